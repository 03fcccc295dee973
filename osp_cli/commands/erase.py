"""osp erase: after the front's warning, ask for the word ERASE, then destroy the
workbook, its backups and osp's folder if it is empty."""

from __future__ import annotations

from osp_cli.ui import prompts
from osp_cli.ui.console import console
from osp_cli.vault.store import erase
from osp_cli.workbook import service


def run() -> None:
    out = console()
    typed = prompts.ask_line("To go ahead, type the word ERASE:")
    if typed.strip() != "ERASE":
        out.print("Nothing was erased.", markup=False)
        return
    erase(service.workbook_file())
    out.print("Your workbook has been erased.", markup=False)
