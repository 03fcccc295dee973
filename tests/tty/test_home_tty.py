"""The home screen in a real pseudo-terminal: it offers to import work when none has been
imported yet or a file is waiting (here or in Downloads), imports it from the menu, and
then shows the latest assignment's date and note."""

from __future__ import annotations

import datetime as _dt
import io
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from pty_osp import finish, send, spawn_osp, terminal_env

from osp_cli.workbook import service

pyte = pytest.importorskip("pyte")
pytestmark = [pytest.mark.tty, pytest.mark.timeout(240)]

PASSPHRASE = "a long and quiet evening walk"
PRAC = "practitioner secret phrase"
UP, ENTER = "\x1b[A", "\r"
OFFER = "Import work from my practitioner"
SIZES = [(24, 80), (20, 40)]


def _practitioner(root: Path, *args: str, stdin: str) -> None:
    made = subprocess.run(
        [sys.executable, "-m", "osp_cli", "practitioner", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=terminal_env(root / "prac"),
        cwd=root,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stdout + made.stderr


def _assignment(root: Path, out: Path, session: int, when: _dt.date, note: str) -> None:
    _practitioner(
        root, "assign", "--participant", "P-0700", "--session", str(session),
        "--exercise", "hopes-and-fears", "--next-session", when.isoformat(),
        "--note", note, "--out", str(out), stdin=PRAC + "\n",
    )  # fmt: skip


def _number_of(shown: str, title: str) -> str:
    """The number a plain menu gives the entry that starts with ``title``."""
    found = re.findall(rf"^(\d+)\. {re.escape(title)}", shown, re.MULTILINE)
    assert found, shown
    return str(found[-1])


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "40x20"])
def test_home_offers_import_when_none_has_been_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("OSP_HOME", str(home))
    service.create(PASSPHRASE)
    (tmp_path / "cwd").mkdir()
    child = spawn_osp(home, root=tmp_path, cwd=tmp_path / "cwd", dimensions=size, timeout=60)
    drawn = io.StringIO()
    child.logfile_read = drawn
    send(child, "Passphrase: ", PASSPHRASE + "\n")
    child.expect_exact("What would you like to do?")
    child.expect(pexpect.TIMEOUT, timeout=1)  # let the menu finish drawing
    screen = pyte.Screen(size[1], size[0])
    pyte.Stream(screen).feed(drawn.getvalue())
    shown = " ".join(" ".join(screen.display).split())
    assert f"{OFFER} (none imported yet)" in shown, screen.display
    child.send(UP + ENTER)  # from the top, Up goes round to Quit
    assert finish(child) == 0


def test_home_imports_a_waiting_file_and_then_shows_the_latest_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--plain, so every menu is numbered. A file waiting in this folder is offered and
    imported from the menu; once it is in, the offer goes. A later file waiting in
    Downloads brings the offer back, and after it the home screen shows its date."""
    home, cwd, downloads = tmp_path / "home", tmp_path / "cwd", tmp_path / "Downloads"
    for folder in (cwd, downloads, tmp_path / "tmp"):
        folder.mkdir()
    monkeypatch.setenv("OSP_HOME", str(home))
    service.create(PASSPHRASE)
    _practitioner(tmp_path, "init", stdin=f"{PRAC}\n{PRAC}\n")
    soon = _dt.date.today() + _dt.timedelta(days=7)
    later = _dt.date.today() + _dt.timedelta(days=21)
    _assignment(tmp_path, cwd / "first.ospa", 1, soon, "First note")

    child = spawn_osp(home, "--plain", root=tmp_path, cwd=cwd, dimensions=(24, 80), timeout=60)
    drawn = io.StringIO()
    child.logfile_read = drawn
    send(child, "Passphrase: ", PASSPHRASE + "\n")
    child.expect_exact("Type a number and press Enter")
    number = _number_of(drawn.getvalue(), f"{OFFER} (a new file is waiting)")
    child.sendline(number)
    child.expect_exact("Which file?")
    child.expect_exact("Type a number and press Enter")
    menu = drawn.getvalue().split("Which file?")[-1]
    child.sendline(_number_of(menu, "Import "))
    assert "Import first.ospa (in this folder)" in menu
    child.expect_exact("Does it match what your practitioner read out?")
    child.expect_exact("Type a number and press Enter")
    child.sendline("1")  # Yes
    child.expect_exact("Imported your personal work for session 1.")
    send(child, "Press Enter to carry on.", "\n")
    assert "Run 'osp'" not in drawn.getvalue()  # the home screen comes next anyway
    mark = len(drawn.getvalue())
    child.expect_exact("Type a number and press Enter")
    again = drawn.getvalue()[mark:]
    assert f"Your next session: {soon:%A} {soon.day} {soon:%B %Y}" in again
    assert "First note" in again
    assert OFFER not in again  # imported, and nothing else waiting
    child.sendline(_number_of(again, "Quit"))
    assert finish(child) == 0

    _assignment(tmp_path, downloads / "second.ospa", 2, later, "Second note")
    child = spawn_osp(home, "--plain", root=tmp_path, cwd=cwd, dimensions=(24, 80), timeout=60)
    drawn = io.StringIO()
    child.logfile_read = drawn
    send(child, "Passphrase: ", PASSPHRASE + "\n")
    child.expect_exact("Type a number and press Enter")
    child.sendline(_number_of(drawn.getvalue(), f"{OFFER} (a new file is waiting)"))
    child.expect_exact("Which file?")
    child.expect_exact("Type a number and press Enter")
    menu = drawn.getvalue().split("Which file?")[-1]
    assert "Import second.ospa (in Downloads)" in menu and "first.ospa" not in menu
    child.sendline(_number_of(menu, "Import "))
    child.expect_exact("Imported your personal work for session 2.")
    send(child, "Press Enter to carry on.", "\n")
    mark = len(drawn.getvalue())
    child.expect_exact("Type a number and press Enter")
    again = drawn.getvalue()[mark:]
    assert f"Your next session: {later:%A} {later.day} {later:%B %Y}" in again
    assert "Second note" in again and "First note" not in again
    child.sendline(_number_of(again, "Quit"))
    assert finish(child) == 0
    assert "\x1b" not in drawn.getvalue().replace("\x1b[H\x1b[2J\x1b[3J", "")
