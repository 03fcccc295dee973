"""The participant's everyday commands: home, list, do, next, review, edit, check-in,
progress and plan. Each one parses, calls a use-case, and renders the result.

Only Typer and the standard library are imported at module level, so that
``osp --help`` stays fast; everything else is imported inside the commands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from osp_cli.cli.common import on_screen

if TYPE_CHECKING:
    from rich.text import Text

    from osp_cli.exercises.model import Exercise
    from osp_cli.workbook import model
    from osp_cli.workbook.service import Workbook


# --- shared helpers ----------------------------------------------------------------------


def _read_then_clear() -> None:
    """When a terminal is attached, let the participant read before the screen clears."""
    from osp_cli.cli.common import has_terminal
    from osp_cli.ui import prompts

    if has_terminal():
        prompts.pause("Press Enter when you have finished reading (the screen will be cleared).")


def _open(needs_terminal: str | None = None) -> Workbook:
    from osp_cli.cli.common import require_terminal, unlock

    if needs_terminal:
        require_terminal(needs_terminal)
    return unlock()


def _session_value(value: str | None) -> int | str | None:
    if value is None:
        return None
    from osp_cli.errors import UsageError
    from osp_cli.exercises.model import EVALUATION

    if value.strip().lower() == EVALUATION:
        return EVALUATION
    if value.strip().isdigit() and 1 <= int(value) <= 6:
        return int(value)
    raise UsageError("--session must be a number from 1 to 6, or 'evaluation'.")


def _do_exercise(workbook: Workbook, exercise: Exercise) -> None:
    """Run one exercise and say where things stand afterwards (screen already clear)."""
    from osp_cli.ui import flow, prompts
    from osp_cli.ui.views import say
    from osp_cli.workbook.runner import Runner

    runner = Runner(workbook, exercise)
    from_start = False
    if runner.completed and exercise.repeatable:
        say("You have finished this before. Each time you do it is a new dated entry.", "bold")
        choice = prompts.choose(
            "What would you like to do?",
            [("Start a new entry", "new"), ("Leave it for now", "leave")],
        )
        if choice == "leave":
            return
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
            return
        from_start = True
    outcome = flow.run(runner, from_start=from_start)
    _ = outcome


def _after_exercise(exercise: Exercise, workbook: Workbook) -> None:
    from osp_cli.ui import safe
    from osp_cli.ui.console import console
    from osp_cli.ui.support import support_line
    from osp_cli.workbook import progress

    status = progress.status_of(exercise, workbook.payload)
    line = safe.text(exercise.title)
    line.append(f": {status.label}. Everything you answered is saved.")
    console().print(line)
    if status.stage is not progress.Stage.DONE:
        console().print(f"To carry on later: osp do {exercise.id}", markup=False)
    support_line()


# --- commands ----------------------------------------------------------------------------


def home() -> None:
    """The home screen: what is assigned and in progress, and a menu."""
    from osp_cli.workbook import service

    if not service.exists():
        from osp_cli.cli.vault_cmds import run_init
        from osp_cli.ui.views import say

        say("Welcome to osp. There is no workbook on this computer yet.", "bold")
        workbook = run_init()
    else:
        workbook = _open()
    from osp_cli.cli.common import has_terminal

    if not has_terminal():
        _home_summary(workbook)
        return
    with on_screen():
        _home_loop(workbook)
    from osp_cli.ui.support import support_line
    from osp_cli.ui.views import say

    say("Goodbye for now. Everything is saved.")
    support_line()


def _home_summary(workbook: Workbook) -> None:
    from osp_cli import dates
    from osp_cli.ui import safe
    from osp_cli.ui.console import console
    from osp_cli.ui.support import support_line
    from osp_cli.ui.views import heading, say
    from osp_cli.workbook import progress

    payload = workbook.payload
    exercises = workbook.exercises()
    out = console()
    heading("Your workbook")
    when = progress.next_session(payload)
    if when:
        say(f"Your next session: {dates.day(when)}")
    note = progress.latest_note(payload)
    if note:
        line = safe.text("A note from your practitioner: ")
        line.append_text(safe.text(note))
        out.print(line)
    rows = progress.statuses(exercises, payload)
    assigned = [s for s in rows if s.assigned and s.stage is not progress.Stage.DONE]
    started = [s for s in rows if s.stage is progress.Stage.IN_PROGRESS and not s.assigned]
    if assigned:
        heading("Set by your practitioner")
        for s in assigned:
            due = f", due {dates.day(s.due)}" if s.due else ""
            _bullet(safe.text(s.title), f"{s.label}{due}")
    if started:
        heading("In progress")
        for s in started:
            _bullet(safe.text(s.title), s.label)
    finished = sum(1 for s in rows if s.stage is progress.Stage.DONE)
    if finished:
        say(f"Finished so far: {finished} of {len(rows)} exercises. Well done.")
    if not assigned and not started:
        say("Nothing in progress. 'Next exercise' below suggests what to do next.")
    out.print()
    support_line()


def _bullet(title: Text, detail: str) -> None:
    """'- Title' with its detail on the line below; wrapped lines keep their indent."""
    from rich.table import Table
    from rich.text import Text

    from osp_cli.ui.console import console

    title.append("\n")
    title.append(detail, style="dim")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text("-"), title)
    console().print(grid)


def _home_loop(workbook: Workbook) -> None:
    from osp_cli.errors import Interrupted, OspError
    from osp_cli.ui import prompts, safe
    from osp_cli.ui.console import clear_screen
    from osp_cli.workbook import progress

    while True:
        _home_summary(workbook)
        exercises = workbook.exercises()
        rows = progress.statuses(exercises, workbook.payload)
        started = [s for s in rows if s.stage is progress.Stage.IN_PROGRESS]
        started.sort(
            key=lambda s: (
                state.updated if (state := workbook.payload.exercises.get(s.exercise_id)) else ""
            ),
            reverse=True,
        )
        next_id = progress.next_exercise(exercises, workbook.payload)
        options: list[tuple[str, str]] = []
        if started:
            title = safe.clean(started[0].title, multiline=False)
            options.append((f"Continue: {title}", "do:" + started[0].exercise_id))
        if next_id and (not started or next_id != started[0].exercise_id):
            title = safe.clean(exercises[next_id].title, multiline=False)
            options.append((f"Next exercise: {title}", "do:" + next_id))
        options += [
            ("Choose an exercise", "choose"),
            ("Review my answers", "review"),
            ("Check in: how am I doing?", "checkin"),
            ("My plan", "plan"),
            ("My progress", "progress"),
            ("Export a summary for my practitioner", "export"),
            ("Support: where to get help", "support"),
            ("Quit", "quit"),
        ]
        choice = prompts.choose("What would you like to do?", options)
        clear_screen()
        if choice == "quit":
            return
        try:
            _home_action(workbook, choice)
        except OspError as error:
            if isinstance(error, Interrupted):
                raise
            # Back to the menu rather than out of osp: messages are fixed wording.
            from osp_cli.ui.views import say

            say(error.message, "yellow")
            if error.hint:
                say(error.hint)
            prompts.pause()
        clear_screen()


def _home_action(workbook: Workbook, choice: str) -> None:
    from osp_cli.ui import flow, prompts, views
    from osp_cli.workbook import progress

    if choice.startswith("do:"):
        _do_exercise(workbook, workbook.exercise(choice[3:]))
    elif choice == "choose":
        picked = _choose_exercise(workbook)
        if picked:
            _do_exercise(workbook, workbook.exercise(picked))
    elif choice == "review":
        picked = _choose_exercise(workbook, started_only=True)
        if picked:
            _review(workbook, picked)
            _read_then_clear()
    elif choice == "checkin":
        _checkin(workbook)
    elif choice == "plan":
        _plan(workbook)
        _read_then_clear()
    elif choice == "progress":
        _progress(workbook)
        _read_then_clear()
    elif choice == "export":
        from osp_cli.cli import exchange_cmds

        run_export = getattr(exchange_cmds, "run_export", None)
        if run_export is None:
            views.say("Export is not available in this version yet. Your answers are safe.")
            prompts.pause()
        else:
            run_export(workbook)
            prompts.pause()
    elif choice == "support":
        from osp_cli.ui.flow import offer_stop

        offer_stop(workbook, offer=False, heading="Help now")
    _ = flow, progress


def _choose_exercise(workbook: Workbook, *, started_only: bool = False) -> str | None:
    from osp_cli.ui import prompts, safe
    from osp_cli.workbook import progress

    rows = progress.statuses(workbook.exercises(), workbook.payload)
    if started_only:
        rows = [s for s in rows if s.stage is not progress.Stage.NOT_STARTED]
        if not rows:
            from osp_cli.ui.views import say

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


def list_exercises(
    session: str | None = typer.Option(
        None, "--session", "-s", help="Only this session: 1 to 6, or 'evaluation'."
    ),
) -> None:
    """List the exercises by session, with your progress in each.

    Example: osp list --session 2
    """
    from osp_cli.ui import views
    from osp_cli.ui.support import support_line
    from osp_cli.workbook import progress

    wanted = _session_value(session)
    workbook = _open()
    exercises = workbook.exercises()
    rows = progress.statuses(exercises, workbook.payload, wanted)
    if not rows:
        views.say("There are no exercises for that session.")
        return
    views.status_table(rows)
    views.say("Start or carry on with one: osp do EXERCISE_ID", "dim")
    support_line()


def do(
    exercise_id: str = typer.Argument(..., help="The exercise id, as shown by 'osp list'."),
) -> None:
    """Work through one exercise. Picks up where you left off.

    Example: osp do hopes-and-fears
    """
    workbook = _open("Doing an exercise")
    exercise = workbook.exercise(exercise_id)
    with on_screen():
        _do_exercise(workbook, exercise)
    _after_exercise(exercise, workbook)


def next_exercise() -> None:
    """Carry on with your next exercise.

    One set for you by your practitioner comes first, then one from the latest session
    you were set work for, then one you have started, then the first one not started yet.

    Example: osp next
    """
    from osp_cli.ui.views import say
    from osp_cli.workbook import progress

    workbook = _open("Doing an exercise")
    next_id = progress.next_exercise(workbook.exercises(), workbook.payload)
    if next_id is None:
        say("You have finished every exercise. Well done. 'osp review' shows your answers.")
        return
    exercise = workbook.exercise(next_id)
    with on_screen():
        _do_exercise(workbook, exercise)
    _after_exercise(exercise, workbook)


def _review(workbook: Workbook, exercise_id: str) -> None:
    from osp_cli.ui import views
    from osp_cli.workbook import model

    exercise = workbook.exercise(exercise_id)
    state = model.exercise_state(workbook.payload, exercise_id)
    if state is None:
        return
    # A repeatable exercise shows every dated entry, newest first.
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
            entry_label=_entry_label(entry) if exercise.repeatable else None,
        )


def _entry_label(entry: model.Entry) -> str:
    from osp_cli import dates

    return f"Entry {entry.number}: {dates.day_and_time(entry.started)}"


def review(
    exercise_id: str | None = typer.Argument(
        None, help="One exercise id; leave it out to see every exercise you have started."
    ),
) -> None:
    """Read your own answers.

    Example: osp review thought-record
    """
    from osp_cli.ui.views import say
    from osp_cli.workbook import progress

    workbook = _open()
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
            say("You have not answered any questions yet. Start with 'osp next'.")
            return
        for one in ids:
            _review(workbook, one)
        _read_then_clear()


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
    from osp_cli.errors import UserError
    from osp_cli.ui import flow
    from osp_cli.ui.views import say
    from osp_cli.workbook.runner import Runner

    workbook = _open("Changing an answer")
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
    with on_screen():
        question = (
            (exercise.question(question_id) if question_id != flow.REFLECTION_ID else question_id)
            if question_id is not None
            else flow.pick_question(exercise, runner)
        )
        if question == flow.REFLECTION_ID:
            flow.edit_reflection(runner)
        elif question is not None and not isinstance(question, str):
            flow.edit_one(runner, question)
    if question is not None:
        say("Your change is saved.")


def _checkin(workbook: Workbook) -> None:
    from osp_cli.ui import flow, prompts
    from osp_cli.ui.views import heading, say

    heading("Check-in")
    say("Two quick ratings from 0 to 10, and a note if you like.")
    flow.checkin(workbook, "manual", offer=False)
    _ = prompts


def checkin() -> None:
    """A quick check-in: how you feel, and any urges.

    Two ratings from 0 to 10 and an optional note.

    Example: osp checkin
    """
    from osp_cli.ui.support import support_line

    workbook = _open("A check-in")
    with on_screen():
        _checkin(workbook)
    from osp_cli.ui.views import say

    say("Your check-in is saved. 'osp progress' shows how your check-ins change over time.")
    support_line()


def _progress(workbook: Workbook) -> None:
    from osp_cli.ui import views
    from osp_cli.workbook import progress as use

    exercises = workbook.exercises()
    payload = workbook.payload
    views.progress_chart(use.by_session(exercises, payload), use.checkins(payload))


def progress() -> None:
    """Your progress and check-ins, as a chart.

    Example: osp progress
    """
    workbook = _open()
    with on_screen():
        _progress(workbook)
        _read_then_clear()


def _plan(workbook: Workbook) -> None:
    from osp_cli.ui import views
    from osp_cli.workbook.plan import build_plan

    exercises = workbook.exercises()
    views.plan(build_plan(exercises, workbook.payload), {k: e.title for k, e in exercises.items()})


def plan() -> None:
    """My plan, built from your own answers.

    Your warning signs, risky situations, what you will do, what to do if you slip, who
    you can contact, your reasons to stay safe and what you are working towards.

    Example: osp plan
    """
    workbook = _open()
    with on_screen():
        _plan(workbook)
        _read_then_clear()


def register(app: typer.Typer) -> None:
    app.command("list")(list_exercises)
    app.command("do")(do)
    app.command("next")(next_exercise)
    app.command("review")(review)
    app.command("edit")(edit)
    app.command("checkin")(checkin)
    app.command("progress")(progress)
    app.command("plan")(plan)
