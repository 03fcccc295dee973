"""Working through exercises one after another (osp do, osp next and the home menu):
run one, and when it is finished offer the next one the practitioner set."""

from __future__ import annotations

from osp_cli.exercises.model import Exercise
from osp_cli.ui import flow, prompts, safe
from osp_cli.ui.console import console, on_screen
from osp_cli.ui.support import support_line
from osp_cli.ui.views import say
from osp_cli.workbook import progress
from osp_cli.workbook.runner import Runner
from osp_cli.workbook.service import Workbook


def work_through(workbook: Workbook, exercise: Exercise) -> None:
    """'osp do' and 'osp next': the exercises on a screen of their own, then a line
    saying where the last one stands."""
    with on_screen():
        exercise = do_exercise(workbook, exercise)
    after_exercise(exercise, workbook)


def do_exercise(workbook: Workbook, exercise: Exercise) -> Exercise:
    """Run one exercise; when it is finished, offer the next one set (and run it if he
    wants). Returns the last exercise worked on (screen already clear)."""
    while True:
        runner = Runner(workbook, exercise)
        from_start = False
        if runner.completed and exercise.repeatable:
            say(
                "You have finished this before. Each time you do it is a new dated entry.",
                "bold",
            )
            choice = prompts.choose(
                "What would you like to do?",
                [("Start a new entry", "new"), ("Leave it for now", "leave")],
            )
            if choice == "leave":
                return exercise
            runner.start_new_entry()
        elif runner.completed:
            say("You have already finished this exercise.", "bold")
            choice = prompts.choose(
                "What would you like to do?",
                [
                    ("Go through it again (your answers are filled in)", "again"),
                    ("Leave it for now", "leave"),
                ],
            )
            if choice == "leave":
                return exercise
            from_start = True
        outcome = flow.run(runner, from_start=from_start)
        if outcome is not flow.Outcome.FINISHED:
            return exercise
        following = offer_next(workbook, exercise)
        if following is None:
            return exercise
        exercise = following


def offer_next(workbook: Workbook, done: Exercise) -> Exercise | None:
    """After finishing: the next exercise set by the practitioner, if there is one."""
    exercises = workbook.exercises()
    waiting = [
        s
        for s in progress.statuses(exercises, workbook.payload)
        if s.to_do and s.exercise_id != done.id
    ]
    if not waiting:
        say("Everything you answered is saved.")
        prompts.pause("Press Enter to carry on.")
        return None
    title = safe.clean(waiting[0].title, multiline=False)
    left = len(waiting)
    say(f"Your practitioner set {left} more exercise{'s' if left > 1 else ''} for you.")
    choice = prompts.choose(
        "What would you like to do now?",
        [
            (f"Go on to the next one: {title}", "next"),
            ("Stop here for now (everything is saved)", "stop"),
        ],
    )
    return exercises[waiting[0].exercise_id] if choice == "next" else None


def after_exercise(exercise: Exercise, workbook: Workbook) -> None:
    """Back on the normal screen: where the exercise stands, and how to carry on."""
    status = progress.status_of(exercise, workbook.payload)
    line = safe.text(exercise.title)
    line.append(f": {status.label}. Everything you answered is saved.")
    console().print(line)
    if status.stage is not progress.Stage.DONE:
        console().print(f"To carry on later: osp do {exercise.id}", markup=False)
    support_line()
