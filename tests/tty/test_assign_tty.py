"""Assigning work by answering questions, in a real pseudo-terminal: the file is the same
as the one the flags make (apart from its id, issue time, sequence and so its signature),
and a wrong passphrase, then the right one, keeps every choice. Also: previewing an
exercise saves nothing."""

from __future__ import annotations

import datetime as _dt
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest
from exchange_data import CUSTOM
from pty_osp import finish, send, spawn_osp, terminal_env

from osp_cli.exchange import assignment
from osp_cli.exercises.catalogue import builtin_exercises

pytestmark = [pytest.mark.tty, pytest.mark.timeout(240)]

PASSPHRASE = "practitioner secret phrase"
DOWN, ENTER, KILL_LINE = "\x1b[B", "\r", "\x15"
PICKED = ("hopes-and-fears", "warning-signs")


def _osp(home: Path, cwd: Path, *args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "osp_cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=terminal_env(home),
        cwd=cwd,
        timeout=120,
        check=False,
    )


def _fields(path: Path) -> dict[str, Any]:
    """Everything in a signed file except what differs between any two runs."""
    decoded = assignment.decode(path.read_bytes())
    data = {
        name: getattr(decoded, name)
        for name in decoded.__dataclass_fields__
        if name not in ("id", "issued", "sequence")
    }
    return data


def test_interactive_assign_equals_the_flags(tmp_path: Path) -> None:
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    cwd.mkdir()
    made = _osp(home, cwd, "practitioner", "init", stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert made.returncode == 0, made.stderr
    (cwd / "extra.toml").write_text(CUSTOM, encoding="utf-8")
    next_session = (_dt.date.today() + _dt.timedelta(days=20)).isoformat()

    # The catalogue as the checkbox lists it: how far down each wanted exercise is.
    order = [e.id for e in sorted(builtin_exercises().values(), key=lambda e: e.sort_key)]
    positions = sorted(order.index(i) for i in PICKED)

    child = spawn_osp(home, "practitioner", "assign", cwd=cwd, timeout=60)
    send(child, "Participant reference", "P-0412" + ENTER)
    send(child, "Which session", DOWN + ENTER)  # from session 1 to session 2
    child.expect_exact("Space ticks, Enter goes on")
    keys, at = "", 0
    for position in positions:
        keys += DOWN * (position - at) + " "
        at = position
    child.send(keys + ENTER)
    send(child, "custom exercise file", "extra.toml" + ENTER)
    child.expect_exact("Added 'my-extra'")
    send(child, "custom exercise file", ENTER)
    send(child, "Date of the next session", "2020-01-01" + ENTER)
    send(child, "That date has passed. Use it anyway?", ENTER)  # No (the default)
    send(child, "Date of the next session", KILL_LINE + next_session + ENTER)
    send(child, "A short note", "Take your time" + ENTER)
    send(child, "Where to write the file", ENTER)  # the offered name
    child.expect_exact("Please check the assignment:")
    child.expect_exact("P-0412")
    send(child, "Is this right?", ENTER)
    # The passphrase comes last; a wrong one asks again and keeps every choice.
    send(child, "Practitioner passphrase: ", "not my passphrase" + ENTER)
    child.expect_exact("Your choices are kept")
    send(child, "Practitioner passphrase: ", PASSPHRASE + ENTER)
    child.expect_exact("Wrote the signed assignment to P-0412-session-2.ospa")
    assert finish(child) == 0

    flags = _osp(
        home, cwd, "practitioner", "assign", "--participant", "P-0412", "--session", "2",
        *(part for i in PICKED for part in ("--exercise", i)), "--custom", "extra.toml",
        "--next-session", next_session, "--note", "Take your time", "--out", "flags.ospa",
        stdin=PASSPHRASE + "\n",
    )  # fmt: skip
    assert flags.returncode == 0, flags.stderr
    asked, flagged = cwd / "P-0412-session-2.ospa", cwd / "flags.ospa"
    assert _fields(asked) == _fields(flagged)
    assert _fields(asked)["exercises"] == (*PICKED, "my-extra")
    assert len(asked.read_bytes()) == len(flagged.read_bytes())


def test_three_wrong_passphrases_print_the_choices(tmp_path: Path) -> None:
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    cwd.mkdir()
    assert (
        _osp(home, cwd, "practitioner", "init", stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n").returncode
        == 0
    )
    child = spawn_osp(home, "practitioner", "assign", cwd=cwd, timeout=60)
    send(child, "Participant reference", "P-0413" + ENTER)
    send(child, "Which session", ENTER)
    child.expect_exact("Space ticks, Enter goes on")
    child.send(" " + ENTER)
    send(child, "custom exercise file", ENTER)
    date = (_dt.date.today() + _dt.timedelta(days=7)).isoformat()
    send(child, "Date of the next session", date + ENTER)
    send(child, "A short note", ENTER)
    send(child, "Where to write the file", ENTER)
    send(child, "Is this right?", ENTER)
    for _ in range(3):
        send(child, "Practitioner passphrase: ", "wrong wrong wrong" + ENTER)
    child.expect_exact("Your choices, as a command you can run again:")
    child.expect_exact("--participant P-0413 --session 1 --exercise")
    assert finish(child) == 3
    assert not (cwd / "P-0413-session-1.ospa").exists()


def test_preview_walks_through_and_saves_nothing(tmp_path: Path) -> None:
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    cwd.mkdir()
    (cwd / "extra.toml").write_text(CUSTOM, encoding="utf-8")
    child = spawn_osp(home, "exercises", "preview", "extra.toml", cwd=cwd, timeout=60)
    child.expect_exact("Nothing you type is saved")
    send(child, "Press Enter to go on.", ENTER)  # the opening screen: title and introduction
    send(child, "Press Enter when you are ready.", ENTER)
    send(child, "One thing?", "canary-preview-answer" + ENTER)
    child.expect_exact("Anything else?")
    child.send("\x1b\r")  # the closing reflection is multi-line: Esc, Enter submits
    child.expect_exact("Press Enter")
    child.send(ENTER)
    child.expect_exact("That was a preview. Nothing was saved.")
    assert finish(child) == 0
    for root, _dirs, names in os.walk(tmp_path):
        for name in names:
            path = Path(root) / name
            assert b"canary-preview-answer" not in path.read_bytes(), path
    assert not (home / "workbook.osp").exists()


PLAIN_WAYS = {
    "--plain": ({}, ("--plain",)),
    "NO_COLOR": ({"NO_COLOR": "1"}, ()),
    "TERM=dumb": ({"TERM": "dumb"}, ()),
}


@pytest.mark.parametrize("way", list(PLAIN_WAYS))
def test_plain_assign_is_numbered_lists_and_questions_a_past_date(tmp_path: Path, way: str) -> None:
    """In plain mode every menu of the step-by-step assignment is a numbered list answered
    by typing numbers (several at once as "1 3,5"), printed once in order with no escape
    sequence at all. 31 February gets its own message; a date that has passed is asked
    about, and "No" asks for the date again while "Yes" keeps it."""
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    cwd.mkdir()
    made = _osp(home, cwd, "practitioner", "init", stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert made.returncode == 0, made.stderr
    extra_env, flags = PLAIN_WAYS[way]
    child = pexpect.spawn(
        sys.executable,
        ["-m", "osp_cli", *flags, "practitioner", "assign"],
        env={**terminal_env(home), **extra_env},
        cwd=str(cwd),
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=60,
    )
    drawn = io.StringIO()
    child.logfile_read = drawn
    send(child, "Participant reference", "P-0500" + ENTER)
    child.expect_exact("6. Session 6")
    send(child, "Type a number and press Enter (or just Enter for 1): ", "3" + ENTER)
    # The catalogue is longer than the screen: it comes a page at a time, in order.
    pages = 1
    while child.expect_exact(["stop: ", "End. Press Enter to go on. "]) == 0:
        child.send(ENTER)  # "Press Enter for more, b to go back, /word to find, q to stop: "
        pages += 1
    child.send(ENTER)
    assert pages > 1
    child.expect_exact("for example: 1 3 5, or 1,3,5")
    send(child, "Numbers: ", "0 99" + ENTER)
    child.expect_exact("Please type numbers from 1 to")
    send(child, "Numbers: ", "1 3,5" + ENTER)
    child.expect_exact("3 exercises chosen, about")
    send(child, "custom exercise file", ENTER)
    send(child, "Date of the next session", "2027-02-31" + ENTER)
    child.expect_exact("There is no 31 February 2027: February 2027 has 28 days.")
    send(child, "Date of the next session", "2020-01-01" + ENTER)
    child.expect_exact("That date has passed. Use it anyway?")
    send(child, "Type a number and press Enter (or just Enter for 2): ", "2" + ENTER)  # No
    child.expect_exact("Date of the next session")
    send(child, "keep what is there now: 2020-01-01", ENTER)  # the same date again
    child.expect_exact("That date has passed. Use it anyway?")
    send(child, "Type a number and press Enter (or just Enter for 2): ", "1" + ENTER)  # Yes
    send(child, "A short note", "See you then" + ENTER)
    send(child, "Where to write the file", ENTER)
    child.expect_exact("Next session:  Wednesday 1 January 2020")
    child.expect_exact("9. Cancel: write nothing")
    send(child, "Type a number and press Enter (or just Enter for 1): ", ENTER)
    send(child, "Practitioner passphrase: ", PASSPHRASE + ENTER)
    child.expect_exact("Wrote the signed assignment to P-0500-session-3.ospa")
    assert finish(child) == 0
    shown = drawn.getvalue()
    assert "\x1b" not in shown, [line for line in shown.splitlines() if "\x1b" in line]
    assert "·" not in shown  # words, not symbols, for a screen reader
    order = [e.id for e in sorted(builtin_exercises().values(), key=lambda e: e.sort_key)]
    written = _fields(cwd / "P-0500-session-3.ospa")
    assert written["exercises"] == (order[0], order[2], order[4])
    assert written["next_session"] == "2020-01-01" and written["session"] == 3


def test_the_participant_can_be_picked_from_the_caseload(tmp_path: Path) -> None:
    """With a caseload store, the first question offers it; picking from it asks the
    passphrase at once (the store is encrypted), and not again at the end."""
    from exchange_data import make_summary

    from osp_cli.exchange import keystore, sealed

    home, cwd = tmp_path / "home", tmp_path / "cwd"
    cwd.mkdir()
    made = _osp(home, cwd, "practitioner", "init", stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert made.returncode == 0, made.stderr
    info = keystore.public_info((home / "practitioner" / "keys.osppk").read_bytes())
    summary = make_summary()
    (cwd / "s.osps").write_bytes(sealed.seal(summary.to_bytes(), info.x25519_public))
    received = _osp(home, cwd, "practitioner", "receive", "s.osps", stdin=PASSPHRASE + "\n")
    assert received.returncode == 0, received.stderr

    child = spawn_osp(home, "practitioner", "assign", cwd=cwd, timeout=60)
    send(child, "Pick the participant from your caseload?", "y")
    send(child, "Practitioner passphrase: ", PASSPHRASE + ENTER)
    child.expect_exact("Which participant is this for?")
    child.expect_exact(summary.participant_ref)
    child.send(ENTER)  # the first one: the only participant in the caseload
    send(child, "Which session", ENTER)
    child.expect_exact("Space ticks, Enter goes on")
    child.send(" " + ENTER)
    send(child, "custom exercise file", ENTER)
    date = (_dt.date.today() + _dt.timedelta(days=7)).isoformat()
    send(child, "Date of the next session", date + ENTER)
    send(child, "A short note", ENTER)
    send(child, "Where to write the file", ENTER)
    send(child, "Is this right?", ENTER)
    child.expect_exact("Wrote the signed assignment to")
    assert finish(child) == 0
    written = cwd / f"{summary.participant_ref}-session-1.ospa"
    assert assignment.decode(written.read_bytes()).participant_ref == summary.participant_ref
