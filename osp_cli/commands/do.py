"""osp do: work through one exercise, picking up where he left off."""

from __future__ import annotations

from osp_cli.commands.exercise_loop import work_through
from osp_cli.workbook.service import Workbook


def run(workbook: Workbook, *, exercise_id: str) -> None:
    """``exercise_id``: as typed, or as corrected by the front (a built-in id's typing
    mistake); a custom exercise's id is checked here, as only the workbook knows them."""
    work_through(workbook, workbook.exercise(exercise_id))
