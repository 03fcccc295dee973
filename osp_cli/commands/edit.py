"""osp edit: change one of his answers, starting from the earlier one."""

from __future__ import annotations

from osp_cli.errors import UserError
from osp_cli.ui import flow
from osp_cli.ui.console import on_screen
from osp_cli.ui.views import say
from osp_cli.workbook.runner import Runner
from osp_cli.workbook.service import Workbook


def run(workbook: Workbook, *, exercise_id: str, question_id: str | None) -> None:
    """``question_id``: a question's id, or flow.REFLECTION_ID for the closing
    reflection, or None to choose from a list (and then change several in turn)."""
    exercise = workbook.exercise(exercise_id)
    runner = Runner(workbook, exercise)
    if question_id is not None and question_id != flow.REFLECTION_ID:
        visible = {q.id for q in runner.questions()}
        if question_id not in visible:
            raise UserError(
                "That exercise has no question with that id that applies to you.",
                hint=f"Run 'osp edit {exercise.id}' to choose from a list.",
            )
    if question_id == flow.REFLECTION_ID and not exercise.reflection:
        raise UserError("That exercise has no closing reflection.")
    changed = 0
    with on_screen():
        while True:
            question = (
                (
                    exercise.question(question_id)
                    if question_id != flow.REFLECTION_ID
                    else question_id
                )
                if question_id is not None
                else flow.pick_question(exercise, runner, again=changed > 0)
            )
            if question is None:
                break
            if question == flow.REFLECTION_ID:
                flow.edit_reflection(runner)
            elif not isinstance(question, str):
                flow.edit_one(runner, question)
            changed += 1
            if question_id is not None:
                break  # came straight from the command line: back there
            say("Your change is saved. Choose another answer to change, or finish.")
    if changed:
        say("Your change is saved." if changed == 1 else "Your changes are saved.")
