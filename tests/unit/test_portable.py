"""osp without the POSIX-only modules (as on Windows), its portable lock, and the Windows
rules for replacing files. See docs/install.md for what was run where."""

from __future__ import annotations

import errno
import json
import os
import pkgutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import osp_cli
from osp_cli import atomic
from osp_cli.workbook import model

WORKER = Path(__file__).resolve().parents[1] / "portable_worker.py"


def _worker(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(WORKER), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_every_module_and_the_main_paths_run_without_posix_modules(tmp_path: Path) -> None:
    os.environ["OSP_HOME"] = str(tmp_path)  # restored by the autouse fixture
    done = _worker("flows", timeout=300)
    assert done.returncode == 0, done.stderr + done.stdout
    found = json.loads(done.stdout)
    every = [m.name for m in pkgutil.walk_packages(osp_cli.__path__, "osp_cli.")]
    assert sorted(found["modules"]) == sorted(every) and len(every) > 40
    assert found["loaded"] == []  # none of fcntl, resource, termios, pty, tty got in
    assert found["lock"] == "os.lockf"  # the Windows-shaped byte-range lock, not flock
    assert found["asked"] == [
        "Does it match what your practitioner read out?",
        "What would you like to include in your summary?",
        "A note for your practitioner (optional, press Enter to skip):",
        "Seal this summary for your practitioner and save it?",
    ]
    assert found["answer"]["entries"][-1]["answers"]["what-led-here"]["value"] == "Lonely evenings"
    assert [e["exercises"] for e in found["exports"]] == [["hopes-and-fears"]]
    assert found["sealed_has_plaintext"] is False
    opened = json.dumps(found["opened"])
    assert "Lonely evenings" in opened and "See you on Tuesday." in opened
    assert found["opened"]["participant_ref"] == "P-0142"
    assert "Lonely evenings" in found["shown"]


def _wait_for(path: Path, seconds: float = 90) -> None:
    end = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < end, f"{path.name} never appeared"
        time.sleep(0.02)


def test_the_fallback_lock_makes_a_second_process_wait(
    new_workbook: tuple[object, str], tmp_path: Path
) -> None:
    ready, release = tmp_path / "ready", tmp_path / "release"
    waiting, done = tmp_path / "waiting", tmp_path / "done"
    run = [sys.executable, str(WORKER)]
    holder = subprocess.Popen(
        [*run, "hold", str(ready), str(release)], stdout=subprocess.PIPE, text=True
    )
    saver = None
    try:
        _wait_for(ready)
        assert ready.read_text() == "os.lockf"
        saver = subprocess.Popen([*run, "save", str(waiting), str(done)])
        _wait_for(waiting)  # unlocked, and now asking for the lock
        time.sleep(1.5)
        assert not done.exists(), "the second process saved while the lock was held"
        assert saver.poll() is None
        release.touch()
        out, _ = holder.communicate(timeout=60)
        released = float(out.strip())
        assert saver.wait(timeout=60) == 0
    finally:
        for proc in (holder, saver):
            if proc is not None and proc.poll() is None:
                proc.kill()
    asked, saved = (float(x) for x in done.read_text().split())
    assert asked < released <= saved  # it waited for the holder, then saved
    from osp_cli.workbook import service

    answers = service.open_with_passphrase("correct horse battery staple").payload
    assert model.answers_of(answers, "hopes-and-fears")["what-led-here"] == "Saved after the wait"


def _held(code: int) -> PermissionError:
    exc = PermissionError(errno.EACCES, "The process cannot access the file")
    exc.winerror = code  # type: ignore[attr-defined]  # set by Windows; absent elsewhere
    return exc


def test_replace_retries_while_another_program_holds_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real_replace, failures = os.replace, [_held(32), _held(5)]
    waits: list[float] = []

    def replace(src: object, dst: object) -> None:
        if failures:
            raise failures.pop(0)
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(time, "sleep", waits.append)
    target = tmp_path / "workbook.osp"
    atomic.replace_durably(target, b"line one\nline two\r\n")
    assert target.read_bytes() == b"line one\nline two\r\n"
    assert waits == list(atomic.RETRY_WAITS[:2])
    assert atomic.temp_files(target) == []


def test_replace_gives_up_after_a_bounded_wait(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[object] = []
    waits: list[float] = []

    def replace(src: object, dst: object) -> None:
        calls.append(dst)
        raise _held(32)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(time, "sleep", waits.append)
    target = tmp_path / "workbook.osp"
    with pytest.raises(PermissionError):
        atomic.replace_durably(target, b"x")
    assert len(calls) == len(atomic.RETRY_WAITS) + 1
    assert 1.0 < sum(waits) < 3.0
    assert atomic.temp_files(target) == [] and not target.exists()


def test_a_real_permission_problem_is_not_retried(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    waits: list[float] = []

    def replace(src: object, dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(time, "sleep", waits.append)
    with pytest.raises(PermissionError):
        atomic.replace_durably(tmp_path / "f", b"x")
    assert waits == []


def test_backups_are_copied_where_hard_links_are_refused(
    monkeypatch: pytest.MonkeyPatch, new_workbook: tuple[object, str]
) -> None:
    from osp_cli.vault.store import backup_paths
    from osp_cli.workbook.service import Workbook

    book = new_workbook[0]
    assert isinstance(book, Workbook)

    def no_links(src: object, dst: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")  # FAT, exFAT

    monkeypatch.setattr(os, "link", no_links)
    before = book.vault.path.read_bytes()
    book.save(model.set_answer("hopes-and-fears", 1, "what-led-here", "first"))
    book.vault.fold()  # backups are made when the journal is folded into the file
    first = book.vault.path.read_bytes()
    book.save(model.set_answer("hopes-and-fears", 1, "what-led-here", "second"))
    book.vault.fold()
    bak1, bak2 = backup_paths(book.vault.path)[:2]
    assert bak1.read_bytes() == first and bak2.read_bytes() == before
    assert bak1.stat().st_ino != book.vault.path.stat().st_ino
    assert oct(bak1.stat().st_mode & 0o777) == oct(0o600)


def test_shell_completion_is_off_and_touches_no_shell_files(tmp_path: Path) -> None:
    """Deliberately off (docs/install.md, "Shell completion"): installing it would write
    a line naming osp into the shell's start-up file, where anyone using the account
    could see it."""
    env = {**os.environ, "HOME": str(tmp_path), "SHELL": "/bin/bash"}
    done = subprocess.run(
        [sys.executable, "-m", "osp_cli", "--install-completion"],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "No such option: --install-completion" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_only_the_platform_module_imports_system_specific_modules() -> None:
    import ast

    special = {"fcntl", "resource", "termios", "pty", "tty", "msvcrt", "winreg", "ctypes"}
    package = Path(osp_cli.__file__).parent
    found = []
    for source in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            found += [
                (source.relative_to(package).as_posix(), name)
                for name in names
                if name.split(".")[0] in special
            ]
    assert found, "the scan found nothing at all: it is broken"
    assert {where for where, _name in found} == {"platform.py"}, found
