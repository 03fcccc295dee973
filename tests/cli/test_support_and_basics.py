"""Support is always reachable; the basic commands behave without a workbook."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from osp_cli import __version__
from osp_cli.cli.app import app

runner = CliRunner()


def test_support_works_without_a_workbook(_osp_home: Path) -> None:
    result = runner.invoke(app, ["--plain", "support"])
    assert result.exit_code == 0
    for needed in ("0808 1000 900", "116 123", "111", "999", "identify", "child has been harmed"):
        assert needed in result.output
    assert not _osp_home.exists()  # nothing was created or unlocked


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"osp {__version__}"


@pytest.mark.parametrize(
    "args",
    [["passphrase"], ["recover"], ["backup", "copy.osp"], ["erase"], ["whoami"]],
    ids=lambda a: a[0],
)
def test_commands_needing_a_workbook_say_to_run_init(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args, input="whatever\n")
    assert result.exit_code == 1, result.output
    assert "osp init" in result.output
    assert not (tmp_path / "copy.osp").exists()


def test_init_without_a_terminal_fails_at_once_with_exit_2() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "osp_cli", "init"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 2
    assert "needs a terminal" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_python_m_entry_point_shows_help() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "osp_cli", "--help"], capture_output=True, text=True, timeout=30
    )
    assert proc.returncode == 0
    assert "support" in proc.stdout


def test_readme_holds_the_test_command_that_ci_runs() -> None:
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text()
    lines = readme.splitlines()
    marker = next(i for i, line in enumerate(lines) if "<!-- test-command" in line)
    test_line = next(line for line in lines[marker:] if line.startswith("python3 "))
    assert "pip install -e '.[test]'" in test_line
    assert test_line.split(" && ")[-1].split()[0] == "pytest"  # options may follow (-n auto)
    assert "test-command" in (root / ".ci" / "run").read_text()
    setup = [line for line in lines if line.startswith("python3 -m venv")]
    assert len(setup) == 2  # exactly two set-up lines: run osp, and run the tests
