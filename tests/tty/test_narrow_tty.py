"""Menus, hints, questions and errors wrap to the terminal's width at spaces, never inside
a word, judged through pyte at 80x24 and 40x20 on several screens. Below 60 columns the
arrow-key hint is given once, on the first menu of a run, and boxes are plain text."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from pty_osp import finish, spawn_osp, terminal_env

from osp_cli.workbook import service

pyte = pytest.importorskip("pyte")
pytestmark = [pytest.mark.tty, pytest.mark.timeout(240)]

PASSPHRASE = "a long and quiet evening walk"
PRAC = "practitioner secret phrase"
SIZES = [(24, 80), (20, 40)]
HINT = "(use the arrow keys, then Enter)"
DOWN, UP, ENTER = "\x1b[B", "\x1b[A", "\r"
BOX = "│╭╮╰╯─┌┐└┘"


class Screen:
    def __init__(self, child: pexpect.spawn, rows: int, columns: int) -> None:
        self.child, self.rows, self.columns = child, rows, columns
        self.drawn = io.StringIO()
        child.logfile_read = self.drawn

    def settle(self, expected: str) -> list[str]:
        self.child.expect_exact(expected)
        self.child.expect(pexpect.TIMEOUT, timeout=1)  # let it finish drawing
        screen = pyte.Screen(self.columns, self.rows)
        pyte.Stream(screen).feed(self.drawn.getvalue())
        return [line.rstrip() for line in screen.display]


def whole(lines: list[str], *phrases: str) -> None:
    """Each phrase is on the screen with every word whole (a word broken by the terminal
    would read as two: "ke ys")."""
    flat = " ".join(" ".join(lines).split())
    for phrase in phrases:
        assert phrase in flat, (phrase, lines)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "40x20"])
def test_the_assign_questions_wrap_at_spaces(tmp_path: Path, size: tuple[int, int]) -> None:
    rows, columns = size
    made = subprocess.run(
        [sys.executable, "-m", "osp_cli", "practitioner", "init"],
        input=f"{PRAC}\n{PRAC}\n",
        capture_output=True,
        text=True,
        env=terminal_env(tmp_path / "prac"),
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    (tmp_path / "cwd").mkdir()
    child = spawn_osp(tmp_path / "prac", "practitioner", "assign", cwd=tmp_path / "cwd",
                      dimensions=size, timeout=60)  # fmt: skip
    screen = Screen(child, rows, columns)
    child.expect_exact("Participant reference")
    child.send("P-0800" + ENTER)
    shown = screen.settle("Session 6")
    whole(shown, f"? Which session is this work for? {HINT}")  # the first menu: the keys
    child.send(ENTER)
    shown = screen.settle("Hopes and fears")
    whole(
        shown,
        "Exercises to set (0 ticked, about 0 minutes in all). Space ticks, Enter goes on.",
        "Where I am now: a short check, before and after · 5 min · outcome-measure",
    )
    child.send(" " + ENTER)
    shown = screen.settle("press Enter for none:")
    whole(shown, "A custom exercise file to add (.toml), or press Enter for none:")
    child.send(ENTER)
    child.expect_exact("Date of the next session")
    child.send("2020-01-01" + ENTER)
    shown = screen.settle("Use it anyway?")
    whole(shown, "That date has passed. Use it anyway? (y/N)")
    child.sendcontrol("c")
    assert finish(child) == 130


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "40x20"])
def test_the_home_menus_and_an_error_wrap_at_spaces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    rows, columns = size
    home = tmp_path / "home"
    monkeypatch.setenv("OSP_HOME", str(home))
    service.create(PASSPHRASE)
    (tmp_path / "cwd").mkdir()
    child = spawn_osp(home, root=tmp_path, cwd=tmp_path / "cwd", dimensions=size, timeout=60)
    screen = Screen(child, rows, columns)
    child.expect_exact("Passphrase: ")
    child.send(PASSPHRASE + "\n")
    shown = screen.settle("What would you like to do?")
    whole(
        shown,
        f"? What would you like to do? {HINT}",
        "Import work from my practitioner (none imported yet)",
    )
    assert not any(c in "".join(shown) for c in BOX) or columns >= 60
    child.send(DOWN * 2 + ENTER)  # Next exercise, Import, Choose an exercise
    shown = screen.settle("Which exercise?")
    whole(shown, "S1 Where I am now: a short check, before and after (not started)")
    if columns < 60:
        assert "arrow keys" not in " ".join(shown)  # said once, on the first menu
    child.sendcontrol("c")
    finish(child)

    # An error, and the menu that offers a way on, from a mistyped id.
    child = spawn_osp(home, "do", "hopes-and-fear", root=tmp_path, cwd=tmp_path / "cwd",
                      dimensions=size, timeout=60)  # fmt: skip
    screen = Screen(child, rows, columns)
    shown = screen.settle("Stop here")
    whole(
        shown,
        "There is no built-in exercise called 'hopes-and-fear'.",
        f"? Did you mean 'hopes-and-fears'? {HINT}",
        "No: it is one my practitioner sent me",
    )
    child.send(UP + ENTER)  # Stop here
    assert finish(child) == 1
