"""osp passphrase: choose a new passphrase for the open workbook; it gets a new key and
a new recovery code."""

from __future__ import annotations

from osp_cli.cli.new_workbook import choose_passphrase
from osp_cli.commands.recovery_code import rekey
from osp_cli.ui.console import console
from osp_cli.workbook.service import Workbook


def run(workbook: Workbook) -> None:
    new = choose_passphrase()
    rekey(workbook, new)
    del new
    console().print("Your passphrase has been changed.", style="green", markup=False)
