"""osp restore PATH: check the copy in full (the front has only looked at its first
bytes), prove the passphrase read by the front opens it, then put it in place."""

from __future__ import annotations

from pathlib import Path

from osp_cli import paths
from osp_cli.ui.console import console
from osp_cli.vault.store import check_backup_file, restore_from
from osp_cli.workbook import service


def run(*, path: Path, secret: str) -> None:
    check_backup_file(path)  # a damaged copy is refused before anything is written
    paths.ensure_home()
    restore_from(path, service.workbook_file(), secret)
    del secret
    console().print(
        "Restored. The workbook you had before is kept as a backup inside osp's folder.",
        markup=False,
    )
