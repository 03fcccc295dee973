"""Old home of the commands' shared helpers, kept while the commands move to
osp_cli/commands (see osp_cli/cli/front.py); to be removed when none uses it."""

from __future__ import annotations

from osp_cli.cli.front import PASSPHRASE_TRIES, guard_outputs, has_terminal, require_terminal
from osp_cli.cli.front import open_workbook as unlock
from osp_cli.ui.console import on_screen

__all__ = [
    "PASSPHRASE_TRIES",
    "guard_outputs",
    "has_terminal",
    "on_screen",
    "require_terminal",
    "unlock",
]
