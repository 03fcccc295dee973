"""Crisis help that stays on screen, judged through pyte in a real pseudo-terminal.

At 80×24 and at 40×20: after a high check-in, and for ``osp support``, every number is
visible on the final screen while the next prompt waits for him.
"""

from __future__ import annotations

import time
from pathlib import Path

import pexpect
import pyte
import pytest
from pty_osp import finish, spawn_osp

pytestmark = pytest.mark.tty

PASSPHRASE = "correct horse battery staple"
DOWN, ENTER = "\x1b[B", "\r"
SIZES = [(24, 80), (20, 40)]  # (rows, columns)
NUMBERS = ("0808 1000 900", "116 123", "111", "999")
CRISIS_NUMBERS = ("116 123", "111", "999")


class Screen:
    """A pseudo-terminal child and the screen it draws, as a person would see it."""

    def __init__(self, child: pexpect.spawn, rows: int, columns: int) -> None:
        self.child = child
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.Stream(self.screen)

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def pump(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.2))
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                return

    def wait_for(self, text: str, timeout: float = 30) -> str:
        """Read until ``text`` is on the screen and the output has settled."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.3)
            if text in self.text():
                self.pump(0.8)  # let the prompt finish drawing
                return self.text()
        raise AssertionError(f"{text!r} never appeared on screen:\n{self.text()}")

    def send(self, expected: str, keys: str) -> None:
        self.wait_for(expected)
        self.child.send(keys)


def _numbers_on(shown: str, numbers: tuple[str, ...] = NUMBERS) -> list[str]:
    return [number for number in numbers if number not in shown]


@pytest.fixture
def workbook_with_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workbook whose plan names his people (by role) and his own steps."""
    from osp_cli.workbook import model, service

    home = tmp_path / "home"
    monkeypatch.setenv("OSP_HOME", str(home))
    workbook, _ = service.create(PASSPHRASE)
    workbook.save(
        model.set_answer("relapse-prevention-plan", 1, "contacts", ["my brother", "my GP"])
    )
    workbook.save(
        model.set_answer(
            "relapse-prevention-plan", 1, "coping-steps", ["phone in the kitchen", "a walk"]
        )
    )
    return home


@pytest.mark.parametrize(("rows", "columns"), SIZES)
def test_osp_support_keeps_every_number_on_screen_with_the_prompt(
    tmp_path: Path, rows: int, columns: int
) -> None:
    child = spawn_osp(tmp_path / "home", "support", dimensions=(rows, columns))
    term = Screen(child, rows, columns)
    shown = term.wait_for("More help")
    shown = term.wait_for("Close")
    assert not _numbers_on(shown), shown
    assert "Stop It Now" in shown and "Samaritans" in shown
    assert "If urges are strong" not in shown  # the longer text only on request
    child.send(DOWN + ENTER)  # More help
    term.wait_for("The law")
    term.pump(1.5)
    final = term.text()
    assert "solicitor" in " ".join(final.split())
    # The longer text ends with the numbers again, so they are on the final screen.
    assert not _numbers_on(final), final
    assert finish(child) == 0


@pytest.mark.parametrize(("rows", "columns"), SIZES)
def test_high_checkin_keeps_numbers_and_his_own_plan_on_screen(
    workbook_with_plan: Path, rows: int, columns: int
) -> None:
    child = spawn_osp(workbook_with_plan, "checkin", dimensions=(rows, columns))
    term = Screen(child, rows, columns)
    term.send("Passphrase:", PASSPHRASE + "\n")
    term.send("How upset or distressed", "8" + ENTER)  # ratings are typed numbers
    term.send("old online behaviour", "0" + ENTER)
    term.send("Anything you want to note?", "hard day" + ENTER)
    term.send("harming yourself?", ENTER)  # No
    shown = term.wait_for("When you are ready")
    shown = term.wait_for("More help")
    assert not _numbers_on(shown), shown
    assert "My people: my brother; my GP" in shown
    assert "My steps: phone in the kitchen" in shown
    child.send(ENTER)  # Close
    assert finish(child) == 0


@pytest.mark.parametrize(("rows", "columns"), SIZES)
def test_before_an_exercise_the_offer_to_stop_sits_under_the_numbers(
    workbook_with_plan: Path, rows: int, columns: int
) -> None:
    child = spawn_osp(workbook_with_plan, "do", "grooming-stages", dimensions=(rows, columns))
    term = Screen(child, rows, columns)
    term.send("Passphrase:", PASSPHRASE + "\n")
    # The opening screens (a page at a time, or Enter to go on), then the check-in.
    opening = ["Press Enter to go on.", "How upset or distressed", pexpect.TIMEOUT]
    while (index := child.expect_exact(opening, timeout=2)) != 1:
        child.send(ENTER if index == 0 else " ")
    child.send("0" + ENTER)
    term.send("old online behaviour", "9" + ENTER)  # urges 9
    term.send("Anything you want to note?", ENTER)
    shown = term.wait_for("Stop for now")
    shown = term.wait_for("More help")
    assert not _numbers_on(shown), shown
    assert "Carry on" in shown
    child.send(ENTER)  # Stop for now
    assert finish(child) == 0


@pytest.mark.parametrize(("rows", "columns"), SIZES)
def test_a_yes_to_the_self_harm_question_brings_the_crisis_panel_first(
    workbook_with_plan: Path, rows: int, columns: int
) -> None:
    child = spawn_osp(workbook_with_plan, "checkin", dimensions=(rows, columns))
    term = Screen(child, rows, columns)
    term.send("Passphrase:", PASSPHRASE + "\n")
    term.send("How upset or distressed", "9" + ENTER)
    term.send("old online behaviour", "0" + ENTER)
    term.send("Anything you want to note?", ENTER)
    shown = term.wait_for("harming yourself?")
    assert "included" in " ".join(shown.split())  # told it is shared if he exports
    child.send(DOWN + ENTER)  # Yes
    shown = term.wait_for("When you are ready")
    shown = term.wait_for("More help")
    assert not _numbers_on(shown, CRISIS_NUMBERS), shown
    assert "A&E" in shown and "practitioner" in shown
    child.send(ENTER)  # Close
    assert finish(child) == 0
