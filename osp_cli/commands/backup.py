"""osp backup PATH: copy the encrypted workbook (the front has said it is copying)."""

from __future__ import annotations

from pathlib import Path

from osp_cli.ui.lines import say
from osp_cli.vault.store import copy_out


def run(*, workbook: Path, path: Path) -> None:
    copy_out(workbook, path)
    say("Encrypted copy saved. It still needs your passphrase to open.")
