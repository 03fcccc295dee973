"""osp checkin: two ratings from 0 to 10 and an optional note (also the home menu's)."""

from __future__ import annotations

from osp_cli.ui import flow
from osp_cli.ui.console import on_screen
from osp_cli.ui.support import support_line
from osp_cli.ui.views import heading, say
from osp_cli.workbook.service import Workbook


def ask(workbook: Workbook) -> None:
    """The check-in itself, saved in the workbook."""
    heading("Check-in")
    say("Two quick ratings from 0 to 10, and a note if you like.")
    flow.checkin(workbook, "manual", offer=False)


def run(workbook: Workbook) -> None:
    with on_screen():
        ask(workbook)
    say("Your check-in is saved. 'osp progress' shows how your check-ins change over time.")
    support_line()
