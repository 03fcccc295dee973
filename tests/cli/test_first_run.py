"""First run: 'osp' with no workbook creates one, then carries straight on to the menu."""

from __future__ import annotations

from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from typer.testing import CliRunner

from osp_cli.cli.app import app
from osp_cli.vault import format as fmt
from osp_cli.workbook import model, service

CODE = "ABCDE-FGHJK-MNPQR-STVWX-YZ012"
PASSPHRASE = "a calm river at dawn"


def test_first_run_creates_the_workbook_then_shows_the_menu(
    _osp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fmt, "new_recovery_code", lambda: CODE)
    with create_pipe_input() as inp:
        # Plain mode reads whole lines: the passphrase twice, Enter once the recovery code
        # is written down, its last group (in lower case), then "Quit", the tenth and last
        # item of the home menu (typed as its number).
        inp.close()
        lines = f"{PASSPHRASE}\n{PASSPHRASE}\n\nyz012\n10\n"
        with create_app_session(input=inp, output=DummyOutput()):
            result = CliRunner().invoke(app, ["--plain"], input=lines)
    assert result.exit_code == 0, result.output
    assert "Welcome to osp" in result.output
    assert CODE in result.output
    assert "Your workbook is ready." in result.output
    assert "Run 'osp' to start" not in result.output  # no second start needed
    assert "Goodbye for now. Everything is saved." in result.output
    assert "10. Quit" in result.output
    assert "0808 1000 900" in result.output
    # The new workbook opens with the passphrase and with the recovery code.
    for opened in (
        service.open_with_passphrase(PASSPHRASE),
        service.open_with_recovery(CODE.lower()),
    ):
        assert opened.payload.to_dict()["schema"] == model.SCHEMA
