"""osp init in a real terminal when the recovery code's last group is typed wrong three
times: it is shown once more, on a screen of its own, and the workbook is still made."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pty_osp import finish, send, spawn_osp

from osp_cli.workbook import service

pytestmark = [pytest.mark.tty, pytest.mark.timeout(180)]

PASSPHRASE = "a long and quiet evening walk"
ENTER = "\r"
CODE = re.compile(r"[0-9A-Z]{5}(?:-[0-9A-Z]{5}){4}")


def test_a_recovery_code_typed_back_wrong_is_shown_again(_osp_home: Path) -> None:
    child = spawn_osp(_osp_home, "init", timeout=60)
    send(child, "Choose a passphrase: ", PASSPHRASE + "\n")
    send(child, "Type it again: ", PASSPHRASE + "\n")
    child.expect_exact("Press Enter once you have written it down")
    first = CODE.search(child.before or "")
    assert first is not None
    send(child, "cleared).", ENTER)
    for _ in range(2):
        send(child, "type the last group of five characters:", "WRONG" + ENTER)
        child.expect_exact("That does not match. Please look again at your written copy.")
    send(child, "type the last group of five characters:", "WRONG" + ENTER)
    child.expect_exact("That still does not match.")
    send(child, "Press Enter to see it.", ENTER)
    child.expect_exact("Press Enter once you have written it down")
    again = CODE.search(child.before or "")
    assert again is not None and again.group(0) == first.group(0)
    send(child, "cleared).", ENTER)
    child.expect_exact("Your workbook is ready")
    child.expect_exact("Run 'osp' to start.")
    assert finish(child) == 0
    assert service.open_with_passphrase(PASSPHRASE).payload is not None
