"""Where the practitioner's caseload store is, and whether there is one: path arithmetic
only, so a command can say "your caseload is empty" before the passphrase is asked for
and before the store's code (osp_cli/inbox/store.py) is loaded."""

from __future__ import annotations

from pathlib import Path

from osp_cli.errors import UserError
from osp_cli.exchange import files
from osp_cli.vault.layout import workbook_exists

INBOX_FILE = "inbox.osp"


def inbox_path() -> Path:
    return files.practitioner_dir() / INBOX_FILE


def exists() -> bool:
    """Is there a caseload store (or a backup copy of one to open)?"""
    return workbook_exists(inbox_path())


def missing() -> UserError:
    return UserError(
        "Your caseload is empty: no summaries have been received on this computer.",
        hint="Run 'osp practitioner receive FILE...' to add summaries.",
    )


def require() -> None:
    """Refuse, before the passphrase is asked for, when there is no caseload store."""
    if not exists():
        raise missing()
