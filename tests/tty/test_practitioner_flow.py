"""End to end in real pseudo-terminals, practitioner and participant in separate homes:
practitioner init → assign → participant init and import (fingerprint confirmed) → do
the assigned exercise → export → practitioner open --html → the page has the answers."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pexpect
import pyte
import pytest
from pty_osp import finish, send, spawn_osp

pytestmark = [pytest.mark.tty, pytest.mark.timeout(180)]

DATA = Path(__file__).parent.parent / "data" / "exchange"
PRACTITIONER_PASSPHRASE = "the practitioner's long passphrase"
PARTICIPANT_PASSPHRASE = "a long and quiet evening walk"
WANT = "to sleep better & walk daily"
OBSTACLE_1 = "evenings on my own"
OBSTACLE_2 = "being tired after work"
NOTE = "Thanks for reading this"
ENTER, ESC_ENTER = "\r", "\x1b\r"


def spawn(root: Path, home: Path, *args: str) -> pexpect.spawn:
    return spawn_osp(home, *args, root=root, cwd=root / "cwd")


def test_practitioner_and_participant_end_to_end(tmp_path: Path) -> None:
    for folder in ("tmp", "cwd"):
        (tmp_path / folder).mkdir()
    prac_home, part_home = tmp_path / "practitioner-home", tmp_path / "participant-home"
    assignment = tmp_path / "cwd" / "P-0142-session-2.ospa"
    summary = tmp_path / "cwd" / "summary.osps"
    page = tmp_path / "cwd" / "report.html"

    # 1. practitioner init
    child = spawn(tmp_path, prac_home, "practitioner", "init")
    send(child, "New practitioner passphrase: ", PRACTITIONER_PASSPHRASE + "\n")
    send(child, "Type it again: ", PRACTITIONER_PASSPHRASE + "\n")
    child.expect(r"Fingerprint: ([0-9A-F]{4} [0-9A-F]{4} [0-9A-F]{4} [0-9A-F]{4})")
    fingerprint = child.match.group(1)
    assert finish(child) == 0

    # 2. assign: one custom exercise, embedded
    child = spawn(
        tmp_path, prac_home, "practitioner", "assign", "--participant", "P-0142",
        "--session", "2", "--custom", str(DATA / "e2e-practice.toml"),
        "--next-session", "2030-05-12", "--note", "See you on Tuesday", "--out", str(assignment),
    )  # fmt: skip
    send(child, "Practitioner passphrase: ", PRACTITIONER_PASSPHRASE + "\n")
    child.expect_exact("Wrote the signed assignment")
    assert finish(child) == 0

    # 3a. participant init: passphrase twice, then the last group of the recovery code
    child = spawn(tmp_path, part_home, "init")
    send(child, "Choose a passphrase: ", PARTICIPANT_PASSPHRASE + "\n")
    send(child, "Type it again: ", PARTICIPANT_PASSPHRASE + "\n")
    child.expect_exact("Press Enter once you have written it down")
    code = re.search(r"[0-9A-Z]{5}(?:-[0-9A-Z]{5}){4}", child.before or "")
    assert code is not None
    send(child, "cleared).", ENTER)  # the code is cleared from the screen before its check
    child.expect_exact("type the last group of five characters:")
    child.send(code.group(0).split("-")[-1] + ENTER)
    child.expect_exact("Your workbook is ready")
    assert finish(child) == 0

    # 3b. import: the fingerprint is shown and confirmed
    child = spawn(tmp_path, part_home, "import", str(assignment))
    send(child, "Passphrase: ", PARTICIPANT_PASSPHRASE + "\n")
    child.expect_exact(fingerprint)
    send(child, "Does it match what your practitioner read out?", "y")
    child.expect_exact("Imported your personal work for session 2")
    child.expect_exact("osp do e2e-practice")
    assert finish(child) == 0

    # 4. do the assigned exercise
    child = spawn(tmp_path, part_home, "do", "e2e-practice")
    send(child, "Passphrase: ", PARTICIPANT_PASSPHRASE + "\n")
    send(child, "Press Enter to go on.", ENTER)  # title, time and introduction
    send(child, "Press Enter when you are ready.", ENTER)
    send(child, "What is one thing you want from this week?", WANT + ENTER)
    send(child, "What might get in the way?", OBSTACLE_1 + ENTER + OBSTACLE_2 + ESC_ENTER)
    send(child, "Anything else to add?", ESC_ENTER)
    child.expect_exact("Well done.")
    send(child, "Press Enter to carry on.", ENTER)
    assert finish(child) == 0

    # 5. export: everything new, a note, preview, sealed
    child = spawn(tmp_path, part_home, "export", "--out", str(summary))
    send(child, "Passphrase: ", PARTICIPANT_PASSPHRASE + "\n")
    send(child, "What would you like to include in your summary?", ENTER)
    send(child, "A note for your practitioner", NOTE + ENTER)
    child.expect_exact("This is what your practitioner will see")
    seal = "Seal this summary for your practitioner and save it?"
    if child.expect_exact(["q: finish", seal]) == 0:  # longer than the screen: paged
        child.send("q")
        child.expect_exact(seal)
    child.send("y")
    child.expect_exact("Saved your sealed summary")
    assert finish(child) == 0
    sealed = summary.read_bytes()
    assert sealed.startswith(b"OSPSM") and WANT.encode() not in sealed

    # 6. practitioner open --html
    child = spawn(tmp_path, prac_home, "practitioner", "open", str(summary), "--html", str(page))
    send(child, "Practitioner passphrase: ", PRACTITIONER_PASSPHRASE + "\n")
    child.expect_exact("Wrote HTML")
    assert finish(child) == 0

    # 6b. practitioner open in the terminal, at 40x20: longer than the screen, so paged;
    # the first screen is the top of the summary (its reference), and search finds the note
    child = spawn_osp(prac_home, "practitioner", "open", str(summary), root=tmp_path,
                      cwd=tmp_path / "cwd", dimensions=(20, 40))  # fmt: skip
    send(child, "Practitioner passphrase: ", PRACTITIONER_PASSPHRASE + "\n")
    drawn = io.StringIO()
    child.logfile_read = drawn
    child.expect_exact("q: finish")
    child.expect(pexpect.TIMEOUT, timeout=0.5)
    screen = pyte.Screen(40, 20)
    pyte.Stream(screen).feed(drawn.getvalue())
    assert "q: finish" in screen.display[-1]
    assert "P-0142" in " ".join(screen.display[:4]), screen.display
    assert NOTE not in " ".join(screen.display)
    child.send("/")
    send(child, "Find:", NOTE + ENTER)
    child.expect_exact("Found on line")
    child.send("q")
    assert finish(child) == 0

    # 7. the page holds the typed answers (escaped), the note and the reference
    html = page.read_text("utf-8")
    assert "to sleep better &amp; walk daily" in html
    assert OBSTACLE_1 in html and OBSTACLE_2 in html
    assert NOTE in html and "P-0142" in html
    assert "A practice exercise from your practitioner" in html
    assert "<script" not in html.lower()
