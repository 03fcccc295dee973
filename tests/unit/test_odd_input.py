"""Odd bytes from a terminal never crash a save or lose an answer."""

from __future__ import annotations

import io

import pytest

from osp_cli.errors import UserError
from osp_cli.ui import secret
from osp_cli.ui.prompts import from_terminal
from osp_cli.workbook import model
from osp_cli.workbook.service import Workbook, open_with_passphrase

LATIN1_E_ACUTE = b"caf\xe9".decode("utf-8", "surrogateescape")  # how prompt_toolkit hands it over


def test_undecodable_typing_is_kept_as_readable_text() -> None:
    assert from_terminal(LATIN1_E_ACUTE) == "caf\ufffd"
    assert from_terminal("café ✓") == "café ✓"
    assert from_terminal(None) == ""


def test_a_lone_surrogate_reaching_the_vault_is_saved_not_lost(
    new_workbook: tuple[Workbook, str], passphrase: str
) -> None:
    workbook = new_workbook[0]
    workbook.save(model.set_answer("ex", 1, "q", "before " + LATIN1_E_ACUTE + " after"))
    saved = open_with_passphrase(passphrase).answers("ex")["q"]
    assert saved.startswith("before caf") and saved.endswith(" after")


def test_an_undecodable_passphrase_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("pass" + "\udcff" + "word\n"))
    with pytest.raises(UserError) as info:
        secret.read_secret("Passphrase: ")
    assert "cannot read" in info.value.message
    assert "word" not in info.value.message
