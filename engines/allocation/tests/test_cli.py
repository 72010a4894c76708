"""The command line: solve then check, byte-identical results for a seed, and clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from engines.allocation.cli import main
from engines.allocation.io import instance_to_dict, write_json
from engines.allocation.model import Building, Floor, Instance
from engines.allocation.tests.strategies import room, student

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def instance_file(tmp_path: Path) -> Path:
    rooms = tuple(room(f"r{k}", "female" if k % 2 else "male", 2) for k in range(6))
    students = (
        student("f1", roommate="f2", cohort="c"),
        student("f2", roommate="f1", cohort="c"),
        student("f3", cohort="c"),
        student("m1", "male", cohort="c"),
    )
    path = tmp_path / "instance.json"
    write_json(path, instance_to_dict(Instance((Building("B", (Floor("1", rooms),)),), students, seed=4)))
    return path


def test_solve_then_check_round_trip(instance_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    solved = subprocess.run(
        [sys.executable, "-m", "engines.allocation", "solve", str(instance_file), "-o", str(out), "--seed", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert solved.returncode == 0, solved.stderr
    line = json.loads(solved.stdout)
    assert solved.stdout.count("\n") == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["assignment"]["f1"][:2] == data["assignment"]["f2"][:2]
    assert data["seed"] == 2 and data["placed"] == 4
    assert line["cost"] == data["cost"]
    checked = subprocess.run(
        [sys.executable, "-m", "engines.allocation", "check", str(instance_file), str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stderr
    verdict = json.loads(checked.stdout)
    assert verdict["valid"] and verdict["errors"] == []
    assert verdict["cost"] == data["cost"]


def test_solve_is_byte_identical_for_a_seed(instance_file: Path, tmp_path: Path) -> None:
    outputs = []
    for name in ("a.json", "b.json"):
        assert main(["solve", str(instance_file), "-o", str(tmp_path / name), "--seed", "9"]) == 0
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]


def test_check_finds_a_broken_allocation(
    instance_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"assignment": {"f1": "r1-1", "f2": "r1-1", "f3": "r0-1", "m1": null}}',
        encoding="utf-8",
    )
    assert main(["check", str(instance_file), str(bad)]) == 1
    verdict = json.loads(capsys.readouterr().out)
    assert "bed 'r1-1' is given to both 'f1' and 'f2'" in verdict["errors"]
    assert "student 'f3' (female) is in room 'r0' (male)" in verdict["errors"]


def test_bad_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"buildings": [], "students": [{"id": "s1", "gender": "x"}]}', encoding="utf-8")
    assert main(["solve", str(path)]) == 2
    assert "students[0] ('s1'): unknown gender 'x'" in capsys.readouterr().err
    assert main(["solve", str(tmp_path / "missing.json")]) == 2
    path.write_text("{", encoding="utf-8")
    assert main(["check", str(path), str(path)]) == 2
    assert "not valid JSON" in capsys.readouterr().err
