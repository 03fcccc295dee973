"""osp plan: the participant's plan, built from his own answers (also the home menu's)."""

from __future__ import annotations

from osp_cli.commands.paging import page
from osp_cli.ui import views
from osp_cli.ui.console import on_screen
from osp_cli.workbook.plan import build_plan
from osp_cli.workbook.service import Workbook


def draw(workbook: Workbook) -> None:
    exercises = workbook.exercises()
    views.plan(build_plan(exercises, workbook.payload), {k: e.title for k, e in exercises.items()})


def run(workbook: Workbook) -> None:
    with on_screen():
        page(lambda: draw(workbook))
