"""osp progress: the participant's progress by session and his check-ins, as a chart."""

from __future__ import annotations

from osp_cli.commands.paging import page
from osp_cli.ui import views
from osp_cli.ui.console import on_screen
from osp_cli.workbook import progress
from osp_cli.workbook.service import Workbook


def draw(workbook: Workbook) -> None:
    exercises = workbook.exercises()
    payload = workbook.payload
    views.progress_chart(progress.by_session(exercises, payload), progress.checkins(payload))
    views.entry_ratings(progress.entry_ratings(exercises, payload))


def run(workbook: Workbook) -> None:
    with on_screen():
        page(lambda: draw(workbook))
