"""End to end in a real pseudo-terminal: create a workbook, do an exercise, stop with
Ctrl-C, resume, review, see the plan; then check no answer reached the disk in clear."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest
from pty_osp import finish, send, spawn_osp

from osp_cli.workbook import model, service

pytestmark = [pytest.mark.tty, pytest.mark.timeout(120)]

DATA = Path(__file__).parent.parent / "data" / "participant"
PASSPHRASE = "a long and quiet evening walk"
CANARY = "canary-7f3a9c ünïcödé 日本"
HOSTILE = "\x1b]0;owned\x07\x1b[2J[bold]x[/] \u202eevil"
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"  # bracketed paste: text goes in as typed
DOWN, ENTER, ESC_ENTER = "\x1b[B", "\r", "\x1b\r"


class Osp:
    """Starts ``python -m osp_cli`` in a pseudo-terminal with a private home, tmp and cwd."""

    def __init__(self, root: Path) -> None:
        self.home = root / "home"
        self.tmp = root / "tmp"
        self.cwd = root / "cwd"
        for folder in (self.tmp, self.cwd):
            folder.mkdir(parents=True)
        self.root = root

    def spawn(self, *args: str, dimensions: tuple[int, int] = (40, 120)) -> pexpect.spawn:
        return spawn_osp(
            self.home, *args, root=self.root, cwd=self.cwd, dimensions=dimensions, timeout=20
        )

    def unlock(self, *args: str, dimensions: tuple[int, int] = (40, 120)) -> pexpect.spawn:
        child = self.spawn(*args, dimensions=dimensions)
        child.expect_exact("Passphrase: ")
        child.sendline(PASSPHRASE)
        return child


def checkin(child: pexpect.spawn) -> None:
    send(child, "How upset or distressed do you feel right now?", "0" + ENTER)
    send(child, "to go back to the old online behaviour", "0" + ENTER)
    send(child, "Anything you want to note?", ENTER)


def test_participant_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    osp = Osp(tmp_path)
    monkeypatch.setenv("OSP_HOME", str(osp.home))

    # 1. osp init: passphrase twice, recovery code confirmed
    child = osp.spawn("init")
    send(child, "Choose a passphrase: ", PASSPHRASE + "\n")
    send(child, "Type it again: ", PASSPHRASE + "\n")
    child.expect_exact("Press Enter once you have written it down")
    found = re.search(r"[0-9A-Z]{5}(?:-[0-9A-Z]{5}){4}", child.before or "")
    assert found is not None
    child.send(ENTER)
    child.expect_exact("type the last group of five characters:")
    child.send(found.group(0).split("-")[-1] + ENTER)
    child.expect_exact("Your workbook is ready")
    assert finish(child) == 0

    # The practice exercise arrives as a custom exercise (as an assignment would bring it).
    workbook = service.open_with_passphrase(PASSPHRASE)
    text = (DATA / "walkthrough.toml").read_text("utf-8")
    workbook.save(lambda payload: payload.custom_exercises.__setitem__("walkthrough", text))

    # 2. osp do: two answers, then Ctrl-C halfway
    child = osp.unlock("do", "walkthrough")
    send(child, "Take a break whenever you need one.", "")
    send(child, "Press Enter to go on.", ENTER)
    checkin(child)
    send(child, "Press Enter when you are ready.", ENTER)
    send(child, "Give the feeling a name.", CANARY + ENTER)
    send(child, "What happened?", "first line" + ENTER + "second line, café" + ESC_ENTER)
    child.expect_exact("Which fits best?")
    child.sendcontrol("c")
    child.expect_exact("Everything you answered has been saved.")
    assert finish(child) == 130
    assert "Traceback" not in (child.before or "")

    # 3. osp do again: resumes at question 3 (no second check-in the same day), finishes
    child = osp.unlock("do", "walkthrough")
    send(child, "Press Enter to go on.", ENTER)
    child.expect_exact("You checked in earlier today")
    child.expect_exact("Carrying on from question 3.")
    send(child, "Press Enter when you are ready.", ENTER)
    send(child, "Which fits best?", DOWN + ENTER)
    send(child, "What helps you?", " " + ENTER)
    send(child, "Is that right?", ENTER)
    send(child, "How strong was the feeling?", "4" + ENTER)
    send(child, "Did you talk to anyone?", ENTER)
    send(child, "Who did you talk to", PASTE_START + HOSTILE + PASTE_END + ENTER)
    send(child, "A place or situation 1:", "the spare room" + ENTER)
    send(child, "A place or situation 2:", ENTER)
    send(child, "Goal:", "a steady job" + ENTER)
    send(child, "First step:", ENTER)
    send(child, "Goal:", ENTER)
    send(child, "First step:", ENTER)
    send(child, "What did you notice?", "Calmer now" + ESC_ENTER)
    child.expect_exact("Well done.")
    checkin(child)
    send(child, "Press Enter to carry on.", ENTER)
    child.expect_exact("Everything you answered is saved.")
    assert finish(child) == 0

    # 4. osp review: exactly what was typed, non-ASCII included; hostile text inert
    child = osp.unlock("review", "walkthrough", dimensions=(100, 120))
    child.expect_exact("Press Enter when you have finished reading")
    shown = child.before or ""
    for expected in (CANARY, "first line", "second line, café", "the spare room", "Calmer now"):
        assert expected in shown
    assert "\\x1b]0;owned\\x07" in shown and "[bold]x[/]" in shown and "\\u202eevil" in shown
    assert "\x1b]0;owned" not in shown and "\x07" not in shown
    assert "\x1b[2J" not in shown and "\u202e" not in shown
    child.send(ENTER)
    child.expect_exact("\x1b[2J")  # the screen is cleared on the way out
    assert finish(child) == 0

    # 5. osp plan
    child = osp.unlock("plan", dimensions=(100, 120))
    child.expect_exact("Press Enter when you have finished reading")
    plan = child.before or ""
    for expected in (
        "My warning signs",
        CANARY,
        "My risky situations",
        "the spare room",
        "What I will do",
        "walking",
        "Who I can contact",
        "[bold]x[/]",
        "What I am working towards",
        "a steady job",
        "0808 1000 900",
    ):
        assert expected in plan
    child.send(ENTER)
    assert finish(child) == 0

    # 6. The canary is nowhere on disk in clear: not in the home, the temp dir or the cwd.
    needles = [CANARY.encode(), CANARY.encode("utf-16-le"), b"canary-7f3a9c"]
    scanned = 0
    for folder in (osp.home, osp.tmp, osp.cwd):
        for path in folder.rglob("*"):
            if path.is_file():
                scanned += 1
                data = path.read_bytes()
                assert not any(needle in data for needle in needles), path
    assert scanned >= 1
    workbook.vault.reload()
    answers = model.answers_of(workbook.payload, "walkthrough")
    assert answers["feeling"] == CANARY
    assert answers["story"] == "first line\nsecond line, café"
    assert answers["who"] == HOSTILE  # pasted as is: the raw escape sequences were stored


def test_a_long_question_is_shown_in_full_at_80_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 80x24, a built-in long_text question wider than the screen is on screen in
    full, wrapped, and what is typed is visible after a short '>'. (The question used to
    be the inline prompt: the screen went blank.) A terminal emulator (pyte) replays
    everything osp wrote, so the test sees the screen as the participant does."""
    import io

    pyte = pytest.importorskip("pyte")
    osp = Osp(tmp_path)
    monkeypatch.setenv("OSP_HOME", str(osp.home))
    service.create(PASSPHRASE)
    from osp_cli.exercises.catalogue import builtin_exercises

    question = builtin_exercises()["the-childs-perspective"].questions[0].prompt
    assert len(question) > 80

    child = osp.unlock("do", "the-childs-perspective", dimensions=(24, 80))
    drawn = io.StringIO()
    child.logfile_read = drawn
    # The intro and care note (a page at a time, or Enter to go on), then the check-in.
    opening = ["Press Enter to go on.", "How upset or distressed", pexpect.TIMEOUT]
    while (index := child.expect_exact(opening, timeout=2)) != 1:
        child.send(ENTER if index == 0 else " ")  # Space: the pager's next page or end
    child.send("0" + ENTER)
    send(child, "to go back to the old online behaviour", "0" + ENTER)
    send(child, "Anything you want to note?", ENTER)
    send(child, "Press Enter when you are ready.", ENTER)
    child.expect_exact("press Esc, then Enter).")
    child.send("I typed this")
    child.expect_exact("I typed this")
    child.expect(pexpect.TIMEOUT, timeout=1)  # let the screen settle

    screen = pyte.Screen(80, 24)
    pyte.Stream(screen).feed(drawn.getvalue())
    lines = [line.rstrip() for line in screen.display]
    shown = " ".join(" ".join(lines).split())
    assert question in shown, "\n".join(lines)
    assert any(re.fullmatch(r">\s+I typed this", line) for line in lines), "\n".join(lines)

    child.send(ESC_ENTER)
    child.expect_exact("Question 2 of")
    child.sendcontrol("c")
    child.expect_exact("Everything you answered has been saved.")
    assert finish(child) == 130
    workbook = service.open_with_passphrase(PASSPHRASE)
    first = builtin_exercises()["the-childs-perspective"].questions[0].id
    assert model.answers_of(workbook.payload, "the-childs-perspective") == {first: "I typed this"}


def test_no_terminal_fails_at_once(tmp_path: Path) -> None:
    import subprocess

    env = {**os.environ, "OSP_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-m", "osp_cli", "do", "hopes-and-fears"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )
    assert done.returncode == 2
    assert "needs a terminal" in done.stderr
    assert re.search(r"Traceback", done.stderr) is None
