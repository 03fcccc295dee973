"""Choosing an exercise from a list (the home menu's 'Choose an exercise' and 'Review')."""

from __future__ import annotations

from osp_cli.ui import prompts, safe
from osp_cli.ui.views import say
from osp_cli.workbook import progress
from osp_cli.workbook.service import Workbook


def choose_exercise(workbook: Workbook, *, started_only: bool = False) -> str | None:
    """The id of the exercise he picks, or None to go back. ``started_only``: only those
    with an answer (saying so, and returning None, when there are none)."""
    rows = progress.statuses(workbook.exercises(), workbook.payload)
    if started_only:
        rows = [s for s in rows if s.stage is not progress.Stage.NOT_STARTED]
        if not rows:
            say("You have not answered any questions yet.")
            prompts.pause()
            return None
    options = []
    for s in rows:
        session = f"S{s.session}" if isinstance(s.session, int) else "Eval"
        mark = " · set by your practitioner" if s.assigned else ""
        title = safe.clean(s.title, multiline=False)
        options.append((f"{session}  {title}  ({s.label}{mark})", s.exercise_id))
    options.append(("Back to the main menu", ""))
    chosen = prompts.choose("Which exercise?", options)
    return chosen or None
