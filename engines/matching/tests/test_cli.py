"""The command line: solve and check, in process and as ``python -m engines.matching``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from engines.matching.cli import main
from engines.matching.io import instance_to_dict, write_json
from engines.matching.tests.test_solver import college_admissions

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def instance_file(tmp_path: Path) -> Path:
    path = tmp_path / "instance.json"
    write_json(path, instance_to_dict(college_admissions()))
    return path


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engines.matching", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_solve_then_check_round_trip(instance_file: Path, tmp_path: Path) -> None:
    result_file = tmp_path / "result.json"
    solved = run("solve", instance_file, "-o", result_file)
    assert solved.returncode == 0, solved.stderr
    data = json.loads(result_file.read_text(encoding="utf-8"))
    assert data["assignment"] == {"s1": "P1", "s2": "P3", "s3": "P1", "s4": "P2", "s5": None}
    assert (data["seed"], data["tie_breaking"]) == (7, "single")
    assert data["explanations"]["s2"][0]["message"] == "full: its last admitted applicant ranks 3rd, you rank 4th"
    assert data["report"]["matched"] == 4

    checked = run("check", instance_file, result_file)
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout) == {"valid": True, "blocking_pairs": [], "errors": []}
    assert checked.stdout.count("\n") == 1


def test_check_reports_planted_blocking_pair(
    instance_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result_file = tmp_path / "result.json"
    assignment = {"s1": "P1", "s2": None, "s3": "P1", "s4": "P2", "s5": "P3"}
    result_file.write_text(json.dumps({"assignment": assignment}), encoding="utf-8")
    assert main(["check", str(instance_file), str(result_file)]) == 1
    verdict = json.loads(capsys.readouterr().out)
    assert verdict == {
        "valid": False,
        "blocking_pairs": [{"student": "s2", "position": "P3", "reason": "preferred", "displaced": "s5"}],
        "errors": [],
    }


def test_solve_is_byte_identical_for_a_seed(instance_file: Path, tmp_path: Path) -> None:
    outputs = []
    for name in ("a.json", "b.json"):
        assert (
            main(["solve", str(instance_file), "-o", str(tmp_path / name), "--seed", "9", "--tie-breaking", "multiple"])
            == 0
        )
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    data = json.loads(outputs[0])
    assert (data["seed"], data["tie_breaking"]) == (9, "multiple")


def test_solve_to_standard_output(instance_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(instance_file)]) == 0
    assert json.loads(capsys.readouterr().out)["assignment"]["s5"] is None


def test_invalid_instance_exits_2_with_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"students": [{"id": "s1", "prefs": ["nowhere"]}], "positions": []}), encoding="utf-8")
    assert main(["solve", str(path), "-o", str(tmp_path / "out.json")]) == 2
    assert "prefs[0] is unknown position id 'nowhere'" in capsys.readouterr().err
    assert not (tmp_path / "out.json").exists()


def test_unreadable_result_exits_2(instance_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(instance_file), str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
