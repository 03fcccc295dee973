"""osp review: the participant reads his own answers (also the home menu's 'Review')."""

from __future__ import annotations

from osp_cli import dates
from osp_cli.commands.paging import page
from osp_cli.ui import views
from osp_cli.ui.console import on_screen
from osp_cli.workbook import model, progress
from osp_cli.workbook.service import Workbook


def draw(workbook: Workbook, exercise_id: str) -> None:
    """Print the answers to one exercise: a repeatable one's every dated entry, newest
    first. Nothing when it has not been started."""
    exercise = workbook.exercise(exercise_id)
    state = model.exercise_state(workbook.payload, exercise_id)
    if state is None:
        return
    entries = state.newest_first() if exercise.repeatable else [state.current]
    for entry in entries:
        answers = entry.values()
        views.review(
            exercise,
            exercise.visible_questions(answers),
            answers,
            entry.skipped,
            entry.flagged,
            entry.reflection,
            entry_label=entry_label(entry) if exercise.repeatable else None,
        )


def entry_label(entry: model.Entry) -> str:
    return f"Entry {entry.number}: {dates.day_and_time(entry.started)}"


def run(workbook: Workbook, *, exercise_id: str | None) -> None:
    """One exercise's answers, or (``exercise_id`` None) those of every one started."""
    if exercise_id is not None:
        ids = [workbook.exercise(exercise_id).id]
    else:
        ids = [
            s.exercise_id
            for s in progress.statuses(workbook.exercises(), workbook.payload)
            if s.stage is not progress.Stage.NOT_STARTED
        ]
    with on_screen():
        if not ids:
            views.say("You have not answered any questions yet. Start with 'osp next'.")
            return

        def draw_all() -> None:
            for one in ids:
                draw(workbook, one)

        page(draw_all)
