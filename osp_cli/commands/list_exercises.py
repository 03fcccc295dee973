"""osp list: the exercises by session, with the participant's progress in each."""

from __future__ import annotations

from osp_cli.cli.front import has_terminal
from osp_cli.ui import pager, views
from osp_cli.ui.support import support_line
from osp_cli.workbook import progress
from osp_cli.workbook.service import Workbook


def run(workbook: Workbook, *, session: int | str | None) -> None:
    """``session``: only that session (checked by the front), or None for all."""
    rows = progress.statuses(workbook.exercises(), workbook.payload, session)
    if not rows:
        views.say("There are no exercises for that session.")
        return

    def draw() -> None:
        views.status_table(rows)
        views.say("Start or carry on with one: osp do EXERCISE_ID")
        support_line()

    pager.show(draw, finish=None, interactive=has_terminal())
