"""`osp exercises validate PATH...`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from osp_cli.cli.exercises_cmd import exercises_app

DATA = Path(__file__).resolve().parents[1] / "data" / "exercises"
VALID = DATA / "valid"
MANY = DATA / "invalid" / "many-problems.toml"

runner = CliRunner()


def run(*args: str | Path) -> tuple[int, list[str]]:
    result = runner.invoke(exercises_app, ["validate", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output.splitlines()


def test_valid_file_and_folder() -> None:
    code, lines = run(VALID / "minimal.toml", VALID)
    assert code == 0
    assert lines == [f"ok  {VALID / 'minimal.toml'} (1 exercise)", f"ok  {VALID} (2 exercises)"]


def test_invalid_file_lists_every_problem_and_exits_1() -> None:
    code, lines = run(VALID / "all-kinds.toml", MANY)
    assert code == 1
    assert lines[0] == f"ok  {VALID / 'all-kinds.toml'} (1 exercise)"
    problems = lines[1:]
    assert len(problems) >= 14
    assert all(
        line.startswith(f"{MANY}: exercise 'many-problems', question '") for line in problems
    )
    assert (
        f"{MANY}: exercise 'many-problems', question 'pick', field 'choices': must not be empty"
        in problems
    )


def test_missing_path_and_empty_folder_fail(tmp_path: Path) -> None:
    code, lines = run(tmp_path / "nope.toml", tmp_path)
    assert code == 1
    assert lines == [
        f"{tmp_path / 'nope.toml'}: exercise '-', question '-', field '-': "
        "no such file or directory",
        f"{tmp_path}: no exercise files (*.toml) found",
    ]


def test_duplicate_ids_across_paths_fail(tmp_path: Path) -> None:
    copy = tmp_path / "copy.toml"
    shutil.copy(VALID / "minimal.toml", copy)
    code, lines = run(VALID / "minimal.toml", copy, VALID / "minimal.toml")
    assert code == 1
    assert lines[-1] == (
        f"{copy}: exercise 'minimal', question '-', field 'id': duplicate exercise id; "
        f"{VALID / 'minimal.toml'} already uses it"
    )
    assert (
        sum("duplicate exercise id" in line for line in lines) == 1
    )  # the same file twice is fine


def test_control_characters_in_problem_lines_are_shown_inert(tmp_path: Path) -> None:
    odd = tmp_path / "odd\x1b[2Jname.toml"
    odd.write_text("id = ", encoding="utf-8")
    code, lines = run(odd)
    assert code == 1
    assert len(lines) == 1
    assert "\x1b" not in lines[0]
    assert lines[0].startswith(str(tmp_path / "odd\\x1b[2Jname.toml") + ": exercise '-'")
    assert "not valid TOML" in lines[0]


def test_help_has_an_example() -> None:
    result = runner.invoke(exercises_app, ["validate", "--help"])
    assert result.exit_code == 0
    assert "osp exercises validate my-exercises/" in result.output
    assert "validate" in runner.invoke(exercises_app, []).output


def test_mounted_in_the_osp_app() -> None:
    from osp_cli.cli.app import app

    result = runner.invoke(app, ["exercises", "validate", str(VALID / "minimal.toml")])
    assert result.exit_code == 0, result.output
    assert f"ok  {VALID / 'minimal.toml'} (1 exercise)" in result.output


@pytest.mark.timeout(60)
def test_module_imports_only_typer_and_stdlib() -> None:
    code = (
        "import sys, osp_cli.cli.exercises_cmd\n"
        "heavy = [m for m in ('osp_cli.exercises.loader', 'tomllib', 'rich.console')"
        " if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
