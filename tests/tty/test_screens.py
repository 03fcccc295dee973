"""What the participant actually sees, screen by screen, in a real pseudo-terminal.

Everything osp writes is replayed into a terminal emulator (pyte) at 80x24 and at 40x20,
so each test judges the screen as a person would see it at that moment: what is on it,
and what has scrolled away or been cleared."""

from __future__ import annotations

import io
import os
import re
import sys
import time
from pathlib import Path

import pexpect
import pytest
from pty_osp import finish, send, spawn_osp

from osp_cli import crypto, messages
from osp_cli.exercises.model import Question
from osp_cli.workbook import model, service

pyte = pytest.importorskip("pyte")
pytestmark = [pytest.mark.tty, pytest.mark.timeout(240)]

PASSPHRASE = "a long and quiet evening walk"
ENTER = "\r"
SIZES = [(24, 80), (20, 40)]
DATA = Path(__file__).parent.parent / "data" / "participant"


class Screen:
    """A pyte screen fed with everything the child has written so far."""

    def __init__(self, child: pexpect.spawn, rows: int, columns: int) -> None:
        self.drawn = io.StringIO()
        child.logfile_read = self.drawn
        self.rows, self.columns = rows, columns

    def lines(self) -> list[str]:
        screen = pyte.Screen(self.columns, self.rows)
        pyte.Stream(screen).feed(self.drawn.getvalue())
        return [line.rstrip() for line in screen.display]

    def flat(self) -> str:
        """The screen as one line of words (wrapping and box edges undone)."""
        return words_of(self.lines())


BOX = str.maketrans("", "", "│╭╮╰╯─")


def words_of(lines: list[str]) -> str:
    return " ".join(" ".join(lines).translate(BOX).split())


def _spawn(home: Path, root: Path, *args: str, size: tuple[int, int]) -> pexpect.spawn:
    for folder in ("tmp", "cwd"):
        (root / folder).mkdir(exist_ok=True)
    return spawn_osp(home, *args, root=root, cwd=root / "cwd", dimensions=size, timeout=60)


def _unlocked(home: Path, root: Path, *args: str, size: tuple[int, int]) -> pexpect.spawn:
    child = _spawn(home, root, *args, size=size)
    send(child, "Passphrase: ", PASSPHRASE + "\n")
    return child


def through_opening_screens(child: pexpect.spawn, screen: Screen) -> list[str]:
    """Read every screen shown before the check-in (Enter, or Space in the pager); each
    is returned flattened, without the pager's status line. No line is wider than the
    screen (nothing is cut off or wrapped by the terminal). The pager redraws only what
    changes, so whether it is still open is judged from the screen, not the stream."""
    seen: list[str] = []
    while True:
        index = child.expect_exact(
            ["Press Enter to go on.", "How upset or distressed", pexpect.TIMEOUT], timeout=2
        )
        child.expect(pexpect.TIMEOUT, timeout=0.5)  # let the screen settle
        lines = screen.lines()
        paged = "q: finish" in lines[-1]
        if index == 1 and not paged:
            return seen
        if index == 2 and not paged:
            continue  # still drawing
        assert not any(len(line) > screen.columns for line in lines)
        seen.append(words_of(lines[:-1] if paged else lines))
        child.send(" " if paged else ENTER)


def _words(markdown: str, count: int, *, last: bool = False) -> str:
    plain = re.sub(r"[*_`]", "", " ".join(markdown.split()))
    words = plain.split()
    return " ".join(words[-count:] if last else words[:count])


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "40x20"])
def test_title_intro_and_care_note_are_on_screen_before_the_first_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    from osp_cli.exercises.catalogue import builtin_exercises

    home = tmp_path / "home"
    monkeypatch.setenv("OSP_HOME", str(home))
    service.create(PASSPHRASE)
    exercise = builtin_exercises()["the-childs-perspective"]
    assert exercise.sensitive and exercise.care
    child = _unlocked(home, tmp_path, "do", exercise.id, size=size)
    screen = Screen(child, *size)
    seen = through_opening_screens(child, screen)
    everything = " ".join(seen)  # the pages in order: a phrase may run over a page end
    assert any(exercise.title in shown and "30 minutes" in shown for shown in seen), seen
    for phrase in (
        _words(exercise.intro, 6),
        _words(exercise.intro, 4, last=True),
        _words(exercise.care, 6),
        _words(exercise.care, 4, last=True),
    ):
        assert phrase in everything, (phrase, seen)
    child.sendcontrol("c")
    assert finish(child) == 130


def _many_answers(workbook: service.Workbook) -> list[str]:
    """Answers in several exercises; returns their ids in the order review shows them.
    Only questions always shown are answered (one behind a `when` stays hidden while the
    question it depends on is unanswered), so every chosen exercise shows its answers."""

    def shown_text(question: Question) -> bool:
        return question.kind.value in ("text", "long_text") and question.when is None

    exercises = workbook.exercises()
    chosen = [
        e
        for e in exercises.values()
        if e.session in (1, 2) and any(shown_text(q) for q in e.questions)
    ][:6]
    for exercise in chosen:
        for question in exercise.questions:
            if shown_text(question):
                value = f"{exercise.id}-answer, written at some length to fill the page"
                workbook.save(model.set_answer(exercise.id, exercise.version, question.id, value))
    return [e.id for e in chosen]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "40x20"])
def test_review_opens_at_its_top_and_pages_without_writing_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("OSP_HOME", str(home))
    workbook, _code = service.create(PASSPHRASE)
    ids = _many_answers(workbook)
    titles = [workbook.exercise(i).title for i in ids]
    before = {p for p in tmp_path.rglob("*") if p.is_file()}
    child = _unlocked(home, tmp_path, "review", size=size)
    screen = Screen(child, *size)
    child.expect_exact("q: finish")
    child.expect(pexpect.TIMEOUT, timeout=0.5)
    first = screen.flat()
    assert titles[0] in first, screen.lines()
    assert titles[-1] not in first
    assert titles[0] in " ".join(screen.lines()[:3]), "the review's first title is at the top"
    # Search for the last exercise's title: the page moves to it.
    child.send("/")
    child.expect_exact("Find:")
    child.send(f"{ids[-1]}-answer" + ENTER)
    child.expect_exact("Found on line")
    child.expect(pexpect.TIMEOUT, timeout=0.5)
    assert f"{ids[-1]}-answer" in screen.flat()
    assert titles[0] not in screen.flat()
    # Back to the top, then a page down and a page up.
    child.send("g")
    child.expect(pexpect.TIMEOUT, timeout=0.5)
    assert titles[0] in screen.flat()
    child.send(" ")
    child.expect(pexpect.TIMEOUT, timeout=0.5)
    assert titles[0] not in screen.lines()[0]
    child.send("b")
    child.expect(pexpect.TIMEOUT, timeout=0.5)
    assert titles[0] in screen.flat()
    child.send("q")
    assert finish(child) == 0
    assert "\x1b[2J" in screen.drawn.getvalue()  # cleared on the way out
    after = {p for p in tmp_path.rglob("*") if p.is_file()}
    new = {p for p in after - before if "osp-home" not in p.parts and p.parent != home}
    assert not new, new  # no history file, no temporary file


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "40x20"])
def test_the_recovery_code_is_shown_alone_and_cleared_before_its_check(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    child = _spawn(tmp_path / "home", tmp_path, "init", size=size)
    screen = Screen(child, *size)
    send(child, "Choose a passphrase: ", PASSPHRASE + "\n")
    send(child, "Type it again: ", PASSPHRASE + "\n")
    child.expect_exact("cleared).")
    child.expect(pexpect.TIMEOUT, timeout=0.5)
    shown = screen.flat()
    code = re.search(r"[0-9A-Z]{5}(?:-[0-9A-Z]{5}){4}", shown)
    assert code is not None, screen.lines()
    assert "Your recovery code" in shown
    assert _words(messages.CONFIDENTIALITY, 5) not in shown  # alone: nothing else around it
    child.send(ENTER)
    child.expect_exact("characters:")
    child.expect(pexpect.TIMEOUT, timeout=0.5)
    assert code.group(0) not in screen.flat()
    assert code.group(0).split("-")[-1] not in screen.flat()
    child.send(code.group(0).split("-")[-1] + ENTER)
    child.expect_exact("Your workbook is ready")
    assert finish(child) == 0


CLEAR = "\x1b[H\x1b[2J\x1b[3J"
HOSTILE = "[bold]loud[/bold] \x1b[31mred\x1b[0m \u202eevil :smile: \x1b]0;title\x07"


def _since(drawn: io.StringIO, mark: int) -> str:
    return drawn.getvalue()[mark:]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "40x20"])
def test_plain_pager_pages_down_up_finds_and_quits_writing_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    """The pager in --plain: pages printed in order, top to bottom, nothing redrawn.
    Enter is a page down, b a page up, /word finds a word, q stops. Only safe text reaches
    it (an answer full of escape sequences, markup and a bidi override is shown inert),
    no escape sequence is sent but the clear at the end, and nothing is written to disk."""
    home = tmp_path / "home"
    monkeypatch.setenv("OSP_HOME", str(home))
    workbook, _code = service.create(PASSPHRASE)
    ids = _many_answers(workbook)
    titles = [workbook.exercise(i).title for i in ids]
    first = workbook.exercise(ids[0])
    question = next(q for q in first.questions if q.kind.value in ("text", "long_text"))
    workbook.save(model.set_answer(first.id, first.version, question.id, HOSTILE))
    before = {p for p in tmp_path.rglob("*") if p.is_file()}
    child = _unlocked(home, tmp_path, "--plain", "review", size=size)
    drawn = io.StringIO()
    child.logfile_read = drawn
    prompt = "stop: "  # the end of the prompt (wrapped at spaces on a narrow screen)

    child.expect_exact(prompt)
    top = _since(drawn, 0)
    counted = re.search(r"Lines 1 to (\d+) of \d+\.", top)
    assert counted is not None, top
    page = int(counted.group(1))
    # The whole first page and its prompt are on the screen together: nothing scrolled.
    screen = pyte.Screen(size[1], size[0])
    pyte.Stream(screen).feed(top)
    assert words_of(screen.display).startswith(f"{titles[0]} (Session 1)"), screen.display
    assert "q to stop:" in words_of(screen.display)
    assert titles[0] in top and titles[-1] not in top
    assert "[bold]loud[/bold]" in top and "\\x1b[31mred" in top and "\\u202eevil" in top
    assert ":smile:" in top  # markup and emoji codes shown as typed, never obeyed
    assert all(len(line) <= size[1] for line in top.split("\r\n")), top

    mark = len(drawn.getvalue())
    child.send(ENTER)  # page down
    child.expect_exact(prompt)
    second = _since(drawn, mark)
    assert f"Lines {page + 1} to {2 * page} of" in second
    assert titles[0] not in second

    mark = len(drawn.getvalue())
    child.send("b" + ENTER)  # page up: the first page again
    child.expect_exact(prompt)
    again = _since(drawn, mark)
    assert f"Lines 1 to {page} of" in again and titles[0] in again

    mark = len(drawn.getvalue())
    child.send(f"/{ids[-1]}-ANSWER" + ENTER)  # find (any case): the page starts there
    child.expect_exact([prompt, "End. Press Enter to go on. "])
    found = _since(drawn, mark)
    shown = found.split("\n", 2)
    assert f"{ids[-1]}-answer" in "\n".join(shown[:2]), found  # at the top of the page
    if child.after == prompt:
        child.send("q" + ENTER)  # q: stop reading
    else:
        child.send(ENTER)
    assert finish(child) == 0
    done = drawn.getvalue()
    assert done.count("\x1b") == CLEAR.count("\x1b") and done.rstrip().endswith(CLEAR)
    after = {p for p in tmp_path.rglob("*") if p.is_file()}
    new = {p for p in after - before if p.parent != home}
    assert not new, new  # no history file, no temporary file (HOME and TMPDIR included)


def test_plain_pager_q_stops_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("OSP_HOME", str(home))
    workbook, _code = service.create(PASSPHRASE)
    ids = _many_answers(workbook)
    child = _unlocked(home, tmp_path, "--plain", "review", size=(24, 80))
    drawn = io.StringIO()
    child.logfile_read = drawn
    child.expect_exact("stop: ")
    child.send("q" + ENTER)
    assert finish(child) == 0
    assert f"{ids[-1]}-answer" not in drawn.getvalue()  # nothing more was printed


# --- plain mode: a whole exercise and an export, numbers only, no escape sequences ------

PAGER_PROMPTS = ["Press Enter for more", "End. Press Enter to go on."]


def _answer(child: pexpect.spawn, expected: str, reply: str | None = None) -> None:
    """Wait for ``expected`` (reading any page of a long screen on the way), then type
    ``reply`` and Enter (``None``: only wait; the answer comes at the next prompt)."""
    while True:
        index = child.expect_exact([expected, *PAGER_PROMPTS], timeout=60)
        if index == 0:
            if reply is not None:
                child.sendline(reply)
            return
        child.sendline("")


def _plain_opening(child: pexpect.spawn, feeling: str, story: str) -> None:
    """The walk-through in plain mode, from its intro to its numbered choice question:
    a calm check-in (0, 0, no note), then ``feeling`` and a one-line ``story``."""
    _answer(child, "Press Enter to go on.", "")
    for prompt in ("How upset or distressed", "to go back to the old online behaviour"):
        _answer(child, prompt)
        _answer(child, "> ", "0")
    _answer(child, "Anything you want to note?")
    _answer(child, "> ", "")
    _answer(child, "Press Enter when you are ready.", "")
    _answer(child, "Give the feeling a name.")
    _answer(child, "> ", feeling)
    _answer(child, "What happened?")
    _answer(child, "> ", story)
    _answer(child, "> ", "")
    _answer(child, "> ", "")
    _answer(child, "3. low")


def test_plain_mode_runs_an_exercise_and_an_export_with_numbers_and_no_escapes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("OSP_HOME", str(home))
    workbook, _code = service.create(PASSPHRASE)
    keys = crypto.new_key_pairs()
    text = (DATA / "walkthrough.toml").read_text("utf-8")

    def setup(payload: model.Payload) -> None:
        payload.custom_exercises["walkthrough"] = text
        payload.practitioner = model.PractitionerPin(
            x25519=crypto.b64e(keys.x25519_public),
            ed25519=crypto.b64e(keys.ed25519_public),
            fingerprint=crypto.fingerprint(keys.x25519_public, keys.ed25519_public),
            pinned=model.now(),
        )

    workbook.save(setup)

    child = _unlocked(home, tmp_path, "--plain", "do", "walkthrough", size=(40, 100))
    drawn = io.StringIO()
    child.logfile_read = drawn
    _plain_opening(child, "on edge", "A long day.")
    _answer(child, "Type a number and press Enter", "2")  # tense
    _answer(child, "Numbers:", "1 2")  # walking, music
    _answer(child, "Is that right?")
    _answer(child, "Type a number and press Enter", "1")  # yes
    _answer(child, "Type a number from 0 to 10, then press Enter.")
    _answer(child, "> ", "6")
    _answer(child, "Did you talk to anyone?")
    _answer(child, "Type a number and press Enter", "2")  # no
    _answer(child, "A place or situation 1:", "the spare room")
    _answer(child, "A place or situation 2:", "")
    for label, cell in (("Goal:", "a steady job"), ("First step:", "update my CV")):
        _answer(child, label, cell)
    _answer(child, "Goal:", "")
    _answer(child, "First step:", "")
    _answer(child, "What did you notice?")
    _answer(child, "> ", "It helped.")
    _answer(child, "> ", "")
    _answer(child, "> ", "")
    _answer(child, "How upset or distressed")
    _answer(child, "> ", "1")
    _answer(child, "to go back to the old online behaviour")
    _answer(child, "> ", "0")
    _answer(child, "Anything you want to note?")
    _answer(child, "> ", "")
    _answer(child, "Press Enter to carry on.", "")
    assert finish(child) == 0
    done = drawn.getvalue()
    assert done.count("\x1b") == CLEAR.count("\x1b") and done.rstrip().find(CLEAR) >= 0
    workbook.vault.reload()
    answers = model.answers_of(workbook.payload, "walkthrough")
    assert answers["mood"] == "tense" and answers["helpers"] == ["walking", "music"]
    assert answers["strength"] == 6 and answers["talked"] is False
    assert answers["goals"] == {"Work": {"Goal": "a steady job", "First step": "update my CV"}}

    out = tmp_path / "cwd" / "summary.osps"
    child = _unlocked(home, tmp_path, "--plain", "export", "--out", str(out), size=(40, 100))
    drawn = io.StringIO()
    child.logfile_read = drawn
    _answer(child, "Cancel: export nothing", "1")
    _answer(child, "A note for your practitioner", "See you soon")
    _answer(child, "Seal this summary", "1")
    assert finish(child) == 0
    exported = drawn.getvalue()
    assert "This is what your practitioner will see" in exported and "on edge" in exported
    assert exported.count("\x1b") == CLEAR.count("\x1b") and CLEAR in exported
    assert out.exists()


def test_ctrl_c_or_a_closed_terminal_mid_answer_keeps_the_typing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typing in a long answer, then Ctrl-C: the text is a draft (encrypted, nowhere on
    disk in clear) and is offered back next time. A closed terminal keeps it too."""
    home = tmp_path / "home"
    monkeypatch.setenv("OSP_HOME", str(home))
    workbook, _code = service.create(PASSPHRASE)
    canary = "canary-5d1e half of what I wanted to say"

    def add(payload: model.Payload) -> None:
        payload.custom_exercises["walkthrough"] = (DATA / "walkthrough.toml").read_text("utf-8")

    workbook.save(add)
    child = _unlocked(home, tmp_path, "do", "walkthrough", size=(40, 100))
    _answer(child, "Press Enter to go on.", "")
    for prompt in ("How upset or distressed", "to go back to the old online behaviour"):
        child.expect_exact(prompt)
        child.expect_exact(">")
        child.send("0" + ENTER)
    send(child, "Anything you want to note?", ENTER)
    send(child, "Press Enter when you are ready.", ENTER)
    send(child, "Give the feeling a name.", "tense" + ENTER)
    send(child, "What happened?", canary + ENTER + "and a second line")
    child.expect_exact("and a second line")
    child.sendcontrol("c")
    child.expect_exact("Everything you answered has been saved.")
    assert finish(child) == 130
    workbook.vault.reload()
    state = model.exercise_state(workbook.payload, "walkthrough")
    assert state is not None and state.drafts == {"story": canary + "\nand a second line"}
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert b"canary-5d1e" not in path.read_bytes(), path

    child = _unlocked(home, tmp_path, "do", "walkthrough", size=(40, 100))
    screen = Screen(child, 40, 100)
    send(child, "Press Enter to go on.", ENTER)
    child.expect_exact("You checked in earlier today")  # not asked again the same day
    send(child, "Press Enter when you are ready.", ENTER)
    child.expect_exact("Keep it, or start again?")
    child.expect(pexpect.TIMEOUT, timeout=0.5)
    assert "You had started this answer:" in screen.flat() and canary in screen.flat()
    child.send(ENTER)  # keep it: it is in the box, ready to finish
    child.expect_exact("and a second line")
    child.send(" more")
    child.expect_exact(" more")
    os.close(child.child_fd)  # the terminal window is closed mid-answer (SIGHUP)
    for _ in range(300):
        if not child.isalive():
            break
        time.sleep(0.1)
    assert not child.isalive()
    child.closed = child.ptyproc.closed = True  # its descriptor is already closed
    workbook.vault.reload()
    state = model.exercise_state(workbook.payload, "walkthrough")
    assert state is not None
    assert state.drafts == {"story": canary + "\nand a second line more"}


@pytest.mark.parametrize("way", [{"NO_COLOR": "1"}, {"TERM": "dumb"}], ids=["NO_COLOR", "dumb"])
def test_no_color_and_term_dumb_are_plain_mode_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, way: dict[str, str]
) -> None:
    """Without --plain, NO_COLOR or TERM=dumb give the same plain mode: menus are numbered
    lists answered with a typed number, text is read a line at a time, and no escape
    sequence is sent but the clear at the end."""
    from pty_osp import terminal_env

    home = tmp_path / "home"
    monkeypatch.setenv("OSP_HOME", str(home))
    workbook, _code = service.create(PASSPHRASE)

    def add(payload: model.Payload) -> None:
        payload.custom_exercises["walkthrough"] = (DATA / "walkthrough.toml").read_text("utf-8")

    workbook.save(add)
    (tmp_path / "cwd").mkdir()
    child = pexpect.spawn(
        sys.executable,
        ["-m", "osp_cli", "do", "walkthrough"],
        env={**terminal_env(home), **way},
        cwd=str(tmp_path / "cwd"),
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=60,
    )
    drawn = io.StringIO()
    child.logfile_read = drawn
    send(child, "Passphrase: ", PASSPHRASE + "\n")
    _plain_opening(child, "steady", "Nothing much.")
    _answer(child, "Type a number and press Enter", "3")  # low
    _answer(child, "Numbers:", "music")
    child.expect_exact("Please type numbers")  # ticks are numbers; it asks again
    _answer(child, "Numbers:", "1")
    _answer(child, "Is that right?")
    _answer(child, "Type a number and press Enter", "/stop")  # a command instead
    assert finish(child) == 0
    done = drawn.getvalue()
    assert done.count("\x1b") == CLEAR.count("\x1b") and CLEAR in done, done
    assert "To carry on later: osp do walkthrough" in done.split(CLEAR)[-1]  # cleared last
    workbook.vault.reload()
    answers = model.answers_of(workbook.payload, "walkthrough")
    assert answers["feeling"] == "steady" and answers["mood"] == "low"


@pytest.mark.parametrize("args", [["review"], ["review", "hopes-and-fears"]], ids=["all", "one"])
def test_review_with_nothing_answered_leaves_its_message_on_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """Nothing of his is shown, so nothing is cleared: the line saying there is nothing
    to read yet (and what to do instead) is still on screen when osp has finished."""
    home = tmp_path / "home"
    monkeypatch.setenv("OSP_HOME", str(home))
    service.create(PASSPHRASE)
    child = _unlocked(home, tmp_path, *args, size=(24, 80))
    screen = Screen(child, 24, 80)
    assert finish(child) == 0
    shown = screen.flat()
    if len(args) == 1:
        assert "You have not answered any questions yet. Start with 'osp next'." in shown
    else:
        assert (
            "You have not answered any questions in 'Hopes and fears' yet. "
            "Start it with 'osp do hopes-and-fears'." in shown
        )
    assert "Stop It Now 0808 1000 900" in shown
