"""osp recover: open the workbook with the recovery code (read by the front), then
choose a new passphrase; the workbook gets a new key and a new recovery code."""

from __future__ import annotations

from osp_cli.cli.new_workbook import choose_passphrase
from osp_cli.commands.recovery_code import rekey
from osp_cli.ui.console import console
from osp_cli.workbook import service


def run(*, code: str) -> None:
    workbook = service.open_with_recovery(code)
    del code
    console().print("That recovery code is right. Now choose a new passphrase.", markup=False)
    new = choose_passphrase()
    rekey(workbook, new)
    del new
    console().print(
        "Your new passphrase is set. Your old recovery code no longer opens this workbook.",
        style="green",
        markup=False,
    )
