"""osp next: carry on with the next exercise (progress.next_exercise says which)."""

from __future__ import annotations

from osp_cli.commands.exercise_loop import work_through
from osp_cli.ui.views import say
from osp_cli.workbook import progress
from osp_cli.workbook.service import Workbook


def run(workbook: Workbook) -> None:
    next_id = progress.next_exercise(workbook.exercises(), workbook.payload)
    if next_id is None:
        say("You have finished every exercise. Well done. 'osp review' shows your answers.")
        return
    work_through(workbook, workbook.exercise(next_id))
