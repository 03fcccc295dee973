"""SIGTERM and SIGHUP take Ctrl-C's way out: answers kept, screen cleared, exit 130
(issue 12.9)."""

from __future__ import annotations

import signal
from pathlib import Path

import pexpect
import pytest
from pty_osp import spawn_osp

from osp_cli.workbook import model, service

pytestmark = [pytest.mark.tty, pytest.mark.timeout(120)]

PASSPHRASE = "a long and quiet evening walk"
CLEAR = "\x1b[2J"


@pytest.fixture
def home(_osp_home: Path) -> Path:
    workbook, _code = service.create(PASSPHRASE)
    workbook.save(model.set_answer("hopes-and-fears", 1, "what-led-here", "a private answer"))
    return _osp_home


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_clears_the_screen_and_keeps_the_answers(home: Path, number: int) -> None:
    child = spawn_osp(home, "edit", "hopes-and-fears", "what-led-here", timeout=30)
    child.expect_exact("Passphrase:")
    child.sendline(PASSPHRASE)
    child.expect_exact("a private answer")  # the earlier answer is on screen, in the box
    child.kill(number)
    child.expect(pexpect.EOF)
    child.close()
    shown = child.before or ""
    assert CLEAR in shown, repr(shown[-300:])
    assert "Traceback" not in shown
    assert child.exitstatus == 130
    answers = service.open_with_passphrase(PASSPHRASE).answers("hopes-and-fears")
    assert answers["what-led-here"] == "a private answer"
