"""Unlocking in a real terminal: three tries, then a way forward; cancelling erase is
calm, and erase goes ahead only after the word ERASE."""

from __future__ import annotations

from pathlib import Path

import pexpect
import pytest
from pty_osp import spawn_osp

from osp_cli.workbook import service

pytestmark = [pytest.mark.tty, pytest.mark.timeout(90)]

PASSPHRASE = "a long and quiet evening walk"


def spawn(home: Path, *args: str) -> pexpect.spawn:
    return spawn_osp(home, *args, dimensions=(30, 100), timeout=20)


@pytest.fixture
def home(_osp_home: Path) -> Path:
    service.create(PASSPHRASE)
    return _osp_home


def test_a_mistyped_passphrase_can_be_tried_again(home: Path) -> None:
    child = spawn(home, "--keep-screen", "progress")
    child.expect_exact("Passphrase:")
    child.sendline("not it at all")
    child.expect_exact("That did not unlock it. Please try again.")
    child.expect_exact("Passphrase:")
    child.sendline(PASSPHRASE)
    child.expect_exact("Session 1")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_three_wrong_tries_end_with_exit_3_and_point_to_recover(home: Path) -> None:
    child = spawn(home, "review")
    for _ in range(3):
        child.expect_exact("Passphrase:")
        child.sendline("still not it")
    child.expect_exact("osp recover")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 3
    assert PASSPHRASE not in (child.before or "")


def test_cancelling_erase_keeps_the_workbook_and_exits_0(home: Path) -> None:
    child = spawn(home, "erase")
    child.expect_exact("type the word ERASE")
    child.sendline("no")
    child.expect_exact("Nothing was erased.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert service.workbook_file().exists()


def test_erase_goes_ahead_after_the_word_erase(home: Path) -> None:
    child = spawn(home, "erase")
    child.expect_exact("It cannot be undone")
    child.expect_exact("type the word ERASE")
    child.sendline("ERASE")
    child.expect_exact("Your workbook has been erased.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert not service.workbook_file().exists()
    assert not home.exists() or not any(home.iterdir())
