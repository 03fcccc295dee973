"""The single-file program for people without Python (PyInstaller, one-file mode): built
for Linux here with packaging/build_single_file.py, then started and driven in a real
pseudo-terminal. The Windows and macOS builds use the same script on those systems."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from pty_osp import finish, send, terminal_env

from osp_cli import __version__
from osp_cli.workbook import model, service

if os.environ.get("OSP_REQUIRE_PACKAGING"):  # .ci/run: a missing tool fails, never skips
    import PyInstaller  # noqa: F401
else:
    pytest.importorskip(
        "PyInstaller", reason="PyInstaller is not installed (pip install -e '.[test]' has it)"
    )
pytestmark = [pytest.mark.packaging, pytest.mark.tty, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "a long and quiet evening walk"


def _build(where: Path) -> Path:
    done = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build_single_file.py"),
         "--dist", str(where / "dist"), "--work", str(where / "work")],
        capture_output=True, text=True, timeout=800, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    built = where / "dist" / "osp"
    assert built.is_file()
    return built


def test_the_single_file_program_builds_and_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One test, so that parallel workers never build the program twice."""
    program = _build(tmp_path / "build")
    home = tmp_path / "home"
    (tmp_path / "tmp").mkdir()
    env = terminal_env(home, tmp_path)

    version = subprocess.run(
        [program, "--version"], capture_output=True, text=True, env=env, cwd=tmp_path,
        timeout=120, check=True,
    )  # fmt: skip
    assert version.stdout.strip() == f"osp {__version__}"
    support = subprocess.run(
        [program, "support"], capture_output=True, text=True, env=env, cwd=tmp_path,
        timeout=120, check=True,
    )  # fmt: skip
    assert "0808 1000 900" in support.stdout and "Samaritans" in support.stdout

    # An exercise in a real pseudo-terminal: unlock, answer, Ctrl-C; the answer is kept.
    monkeypatch.setenv("OSP_HOME", str(home))
    service.create(PASSPHRASE)
    child = pexpect.spawn(
        str(program), ["do", "hopes-and-fears"], env=env, cwd=str(tmp_path),
        dimensions=(24, 80), encoding="utf-8", codec_errors="replace", timeout=60,
    )  # fmt: skip
    send(child, "Passphrase: ", PASSPHRASE + "\n")
    send(child, "Press Enter to go on.", "\r")  # the opening screen: title, time, intro
    send(child, "Press Enter when you are ready.", "\r")
    send(child, "What led you to take part in this programme?", "My own choice\x1b\r")
    child.expect_exact("What do you hope will be different")
    child.sendintr()  # Ctrl-C: what is answered stays saved
    assert finish(child) == 130
    # The program unpacked itself under TMPDIR and removed it all again, Ctrl-C or not.
    assert list((tmp_path / "tmp").iterdir()) == []
    answers = model.answers_of(service.open_with_passphrase(PASSPHRASE).payload, "hopes-and-fears")
    assert answers["what-led-here"] == "My own choice"
