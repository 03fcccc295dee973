"""The fronts of the participant's everyday commands: home, list, do, next, review, edit,
check-in, progress and plan.

Each front holds the command's options and help, and the light steps before its first
prompt (check the options, unlock the workbook); the body is in osp_cli/commands/ (see
osp_cli/cli/front.py). Only light modules are imported here.
"""

from __future__ import annotations

import typer

from osp_cli import paths
from osp_cli.cli import front
from osp_cli.errors import UsageError, UserError
from osp_cli.exercises.files import builtin_ids, closest
from osp_cli.ui.lines import say
from osp_cli.ui.safe import path_text as _shown
from osp_cli.vault.layout import workbook_exists

#: The first steps of a new workbook (the first run of 'osp'): loaded only then.
NEW_WORKBOOK = "osp_cli.cli.new_workbook"
#: The questions (questionary): loaded only when the front has something to ask.
PROMPTS = "osp_cli.ui.prompts"
#: Where the session value of the evaluation exercises is defined. It is read only when
#: ``--session`` is given: the exercise model costs more to load than a front should.
EXERCISES_MODEL = "osp_cli.exercises.model"


def home() -> None:
    """The home screen: what is assigned and in progress, and a menu."""
    if workbook_exists(paths.workbook_path()):
        body, workbook = front.unlocked("home")
    else:
        say("Welcome to osp. There is no workbook on this computer yet.", "bold")
        passphrase = front.module(NEW_WORKBOOK).first_steps(also=(front.body_name("home"),))
        try:
            workbook = front.command("init").run_init(passphrase=passphrase)
        finally:
            del passphrase
        body = front.command("home")
    body.run(workbook)


def _session_value(value: str | None) -> int | str | None:
    if value is None:
        return None
    evaluation: str = front.module(EXERCISES_MODEL).EVALUATION
    if value.strip().lower() == evaluation:
        return evaluation
    if value.strip().isdigit() and 1 <= int(value) <= 6:
        return int(value)
    raise UsageError("--session must be a number from 1 to 6, or 'evaluation'.")


def list_exercises(
    session: str | None = typer.Option(
        None, "--session", "-s", help="Only this session: 1 to 6, or 'evaluation'."
    ),
) -> None:
    """List the exercises by session, with your progress in each.

    Example: osp list --session 2
    """
    wanted = _session_value(session)
    body, workbook = front.unlocked("list_exercises")
    body.run(workbook, session=wanted)


def do(
    exercise_id: str = typer.Argument(..., help="The exercise id, as shown by 'osp list'."),
) -> None:
    """Work through one exercise. Picks up where you left off.

    Example: osp do hopes-and-fears
    """
    exercise_id = _check_id_first(exercise_id)
    body, workbook = front.unlocked("do")
    body.run(workbook, exercise_id=exercise_id)


def _check_id_first(exercise_id: str) -> str:
    """Before the passphrase: a built-in id goes straight on; one that looks like a typing
    mistake for a built-in id is questioned now, not after unlocking. (An id that could
    be a custom exercise is checked after unlocking, as only the workbook knows those.)"""
    front.require_terminal("Doing an exercise")
    builtin = builtin_ids()  # the file names: no exercise is read before the prompt
    if exercise_id in builtin:
        return exercise_id
    close = closest(exercise_id, builtin)
    if close is None:
        return exercise_id
    say(f"There is no built-in exercise called '{_shown(exercise_id)}'.")
    choice: str = front.module(PROMPTS).choose(
        f"Did you mean '{close}'?",
        [
            (f"Yes: {close}", close),
            ("No: it is one my practitioner sent me", exercise_id),
            ("Stop here", ""),
        ],
    )
    if not choice:
        raise UserError("Nothing was opened.", hint="Run 'osp list' to see the exercise ids.")
    return choice


def next_exercise() -> None:
    """Carry on with your next exercise.

    One set for you by your practitioner comes first, then one from the latest session
    you were set work for, then one you have started, then the first one not started yet.

    Example: osp next
    """
    body, workbook = front.unlocked("next_exercise", needs_terminal="Doing an exercise")
    body.run(workbook)


def review(
    exercise_id: str | None = typer.Argument(
        None, help="One exercise id; leave it out to see every exercise you have started."
    ),
) -> None:
    """Read your own answers.

    Example: osp review thought-record
    """
    body, workbook = front.unlocked("review")
    body.run(workbook, exercise_id=exercise_id)


def edit(
    exercise_id: str = typer.Argument(..., help="The exercise id."),
    question_id: str | None = typer.Argument(
        None,
        help="The question id, or _reflection for the closing reflection; "
        "leave it out to choose from a list.",
    ),
) -> None:
    """Change one of your answers. Your earlier answer is filled in to start from.

    Example: osp edit warning-signs feelings
    """
    body, workbook = front.unlocked("edit", needs_terminal="Changing an answer")
    body.run(workbook, exercise_id=exercise_id, question_id=question_id)


def checkin() -> None:
    """A quick check-in: how you feel, and any urges.

    Two ratings from 0 to 10 and an optional note.

    Example: osp checkin
    """
    body, workbook = front.unlocked("checkin", needs_terminal="A check-in")
    body.run(workbook)


def progress() -> None:
    """Your progress and check-ins, as a chart.

    Example: osp progress
    """
    body, workbook = front.unlocked("progress")
    body.run(workbook)


def plan() -> None:
    """My plan, built from your own answers.

    Your warning signs, risky situations, what you will do, what to do if you slip, who
    you can contact, your reasons to stay safe and what you are working towards.

    Example: osp plan
    """
    body, workbook = front.unlocked("plan")
    body.run(workbook)


def register(app: typer.Typer) -> None:
    app.command("list")(list_exercises)
    app.command("do")(do)
    app.command("next")(next_exercise)
    app.command("review")(review)
    app.command("edit")(edit)
    app.command("checkin")(checkin)
    app.command("progress")(progress)
    app.command("plan")(plan)
