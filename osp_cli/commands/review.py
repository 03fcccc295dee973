"""osp review: the participant reads his own answers (also the home menu's 'Review')."""

from __future__ import annotations

from osp_cli import dates
from osp_cli.commands.paging import page
from osp_cli.ui import safe, views
from osp_cli.ui.console import on_screen
from osp_cli.ui.support import support_line
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
    """One exercise's answers, or (``exercise_id`` None) those of every one started.
    With nothing to show it says so, and leaves that line on screen (it shows nothing of
    his to clear away)."""
    if exercise_id is not None:
        exercise = workbook.exercise(exercise_id)
        started = progress.status_of(exercise, workbook.payload).stage
        ids = [] if started is progress.Stage.NOT_STARTED else [exercise.id]
        title = safe.clean(exercise.title, multiline=False)
        nothing = (
            f"You have not answered any questions in '{title}' yet. "
            f"Start it with 'osp do {exercise.id}'."
        )
    else:
        ids = [
            s.exercise_id
            for s in progress.statuses(workbook.exercises(), workbook.payload)
            if s.stage is not progress.Stage.NOT_STARTED
        ]
        nothing = "You have not answered any questions yet. Start with 'osp next'."
    if not ids:
        views.say(nothing)
        support_line()
        return

    def draw_all() -> None:
        for one in ids:
            draw(workbook, one)

    with on_screen():
        page(draw_all)
