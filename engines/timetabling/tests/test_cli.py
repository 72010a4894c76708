"""The command line, run as ``python -m engines.timetabling``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from engines.timetabling.ctt import read_instance, read_solution
from engines.timetabling.score import score
from engines.timetabling.tests.strategies import DATA_DIR, NO_DATA

REPO = Path(__file__).resolve().parents[3]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engines.timetabling", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.skipif(not DATA_DIR.is_dir(), reason=NO_DATA)
def test_solve_then_score_round_trip(tmp_path: Path) -> None:
    instance_path = DATA_DIR / "comp01.ctt"
    solution_path = tmp_path / "comp01.sol"
    solved = _run("solve", str(instance_path), "--seconds", "2", "--seed", "1", "-o", str(solution_path))
    assert solved.returncode == 0, solved.stderr
    solve_line = json.loads(solved.stdout)
    scored = _run("score", str(instance_path), str(solution_path))
    assert scored.returncode == 0, scored.stderr
    score_line = json.loads(scored.stdout)
    assert len(solved.stdout.splitlines()) == len(scored.stdout.splitlines()) == 1
    for key in ("hard", "soft", "violations", "total"):
        assert solve_line[key] == score_line[key]
    assert score_line["violations"] == 0
    assert score_line["total"] == score(read_instance(instance_path), read_solution(solution_path)).soft_cost


@pytest.mark.skipif(not DATA_DIR.is_dir(), reason=NO_DATA)
def test_score_reports_warnings(tmp_path: Path) -> None:
    solution_path = tmp_path / "odd.sol"
    solution_path.write_text("c0001 rB 0 0\nc0001 rB 0 0\nzz rB 0 1\nc0001 rQ 0 2\nc0001 rB 9 0\n")
    scored = _run("score", str(DATA_DIR / "comp01.ctt"), str(solution_path))
    assert scored.returncode == 0, scored.stderr
    line = json.loads(scored.stdout)
    assert len(line["warnings"]) == 4
    assert line["hard"]["Lectures"] == 159


def test_unreadable_file_is_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ctt"
    broken.write_text("Name: x\nCourses: many\n")
    result = _run("score", str(broken), str(tmp_path / "none.sol"))
    assert result.returncode == 2
    assert "line 2" in result.stderr


@pytest.mark.skipif(not DATA_DIR.is_dir(), reason=NO_DATA)
def test_solve_never_reads_solutions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from engines.timetabling import cli, ctt

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the solver read a solution file")

    for module in (cli, ctt):
        monkeypatch.setattr(module, "read_solution", refuse, raising=False)
    monkeypatch.setattr(ctt, "parse_solution", refuse)
    output = tmp_path / "out.sol"
    status = cli.main(["solve", str(DATA_DIR / "comp01.ctt"), "--iterations", "3000", "--seed", "2", "-o", str(output)])
    assert status == 0
    line = json.loads(capsys.readouterr().out)
    assert line["iterations"] == 3000
    assert len(output.read_text().splitlines()) == 160
