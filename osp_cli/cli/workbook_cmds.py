"""The participant's everyday commands: home, list, do, next, review, edit, check-in,
progress and plan. Each one parses, calls a use-case, and renders the result.

Only Typer and the standard library are imported at module level, so that
``osp --help`` stays fast; everything else is imported inside the commands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from osp_cli.cli import front
from osp_cli.ui.console import on_screen
from osp_cli.ui.safe import path_text as _shown

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.text import Text

    from osp_cli.exercises.model import Exercise
    from osp_cli.workbook.service import Workbook


# --- shared helpers ----------------------------------------------------------------------


def _page(draw: Callable[[], None], finish: str | None = None) -> None:
    """Show what ``draw`` prints: whole if it fits the screen, else through the pager.
    When a terminal is attached, the participant reads it before the screen clears."""
    from osp_cli.cli.common import has_terminal
    from osp_cli.ui import pager

    pager.show(draw, finish=finish or pager.FINISHED, interactive=has_terminal())


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


def _do_exercise(workbook: Workbook, exercise: Exercise) -> Exercise:
    """Run one exercise; when it is finished, offer the next one set (and run it if he
    wants). Returns the last exercise worked on (screen already clear)."""
    from osp_cli.ui import flow, prompts
    from osp_cli.ui.views import say
    from osp_cli.workbook.runner import Runner

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
        following = _offer_next(workbook, exercise)
        if following is None:
            return exercise
        exercise = following


def _offer_next(workbook: Workbook, done: Exercise) -> Exercise | None:
    """After finishing: the next exercise set by the practitioner, if there is one."""
    from osp_cli.ui import prompts, safe
    from osp_cli.ui.views import say
    from osp_cli.workbook import progress

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
    from osp_cli import paths
    from osp_cli.vault.layout import workbook_exists

    if not workbook_exists(paths.workbook_path()):
        from osp_cli.cli.vault_cmds import run_init
        from osp_cli.ui import lines

        lines.say("Welcome to osp. There is no workbook on this computer yet.", "bold")
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
    assigned = [s for s in rows if s.to_do]
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
    set_for_you = [s for s in rows if s.assigned]
    if set_for_you:
        done = sum(1 for s in set_for_you if not s.to_do)
        say(
            f"Set for you: {done} of {len(set_for_you)} done. "
            f"Also available: {len(rows) - len(set_for_you)} more exercises."
        )
    elif finished:
        say(f"Finished so far: {finished} exercise{'s' if finished > 1 else ''}. Well done.")
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
        from osp_cli.cli.exchange_cmds import waiting_assignments

        waiting = waiting_assignments(workbook)
        if waiting or not workbook.payload.assignments:
            what = "a new file is waiting" if waiting else "none imported yet"
            options.append((f"Import work from my practitioner ({what})", "import"))
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
        clear_screen(between=True)
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
        clear_screen(between=True)


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
            _page(lambda: front.command("review").draw(workbook, picked))
    elif choice == "checkin":
        front.command("checkin").ask(workbook)
    elif choice == "import":
        _import_from_home(workbook)
    elif choice == "plan":
        _page(lambda: front.command("plan").draw(workbook))
    elif choice == "progress":
        _page(lambda: front.command("progress").draw(workbook))
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


def _import_from_home(workbook: Workbook) -> None:
    """Import an assignment file: one waiting here or in Downloads, or a typed path."""
    from pathlib import Path

    from osp_cli.cli import exchange_cmds
    from osp_cli.ui import prompts, safe

    def where(path: Path) -> str:
        """The file's name and its folder in words: short enough for a menu line."""
        if path.parent == Path.cwd():
            return f"{safe.path_text(path.name)} (in this folder)"
        if path.parent == Path.home() / "Downloads":
            return f"{safe.path_text(path.name)} (in Downloads)"
        return safe.path_text(path)

    waiting = exchange_cmds.waiting_assignments(workbook)
    options = [(f"Import {where(path)}", str(path)) for path in waiting]
    options.append(("Type where the file is", "type"))
    options.append(("Back to the main menu", ""))
    chosen = prompts.choose("Which file?", options)
    if chosen == "type":
        chosen = prompts.ask_line("The file's name (or drag it into this window), then Enter:")
        chosen = chosen.strip().strip("'\"")
    if not chosen:
        return
    chosen_file = exchange_cmds._read_assignment(Path(chosen).expanduser())
    exchange_cmds.run_import(workbook, chosen_file, from_home=True)
    prompts.pause()


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
    workbook = _open("Doing an exercise")
    exercise = workbook.exercise(exercise_id)
    with on_screen():
        exercise = _do_exercise(workbook, exercise)
    _after_exercise(exercise, workbook)


def _check_id_first(exercise_id: str) -> str:
    """Before the passphrase: a built-in id goes straight on; one that looks like a typing
    mistake for a built-in id is questioned now, not after unlocking. (An id that could
    be a custom exercise is checked after unlocking, as only the workbook knows those.)"""
    from osp_cli.cli.common import require_terminal
    from osp_cli.exercises.files import builtin_ids, closest

    require_terminal("Doing an exercise")
    builtin = builtin_ids()  # the file names: no exercise is read before the prompt
    if exercise_id in builtin:
        return exercise_id
    close = closest(exercise_id, builtin)
    if close is None:
        return exercise_id
    from osp_cli.errors import UserError
    from osp_cli.ui import prompts
    from osp_cli.ui.views import say

    say(f"There is no built-in exercise called '{_shown(exercise_id)}'.")
    choice = prompts.choose(
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
    workbook = _open("Doing an exercise")
    from osp_cli.ui.views import say
    from osp_cli.workbook import progress

    next_id = progress.next_exercise(workbook.exercises(), workbook.payload)
    if next_id is None:
        say("You have finished every exercise. Well done. 'osp review' shows your answers.")
        return
    exercise = workbook.exercise(next_id)
    with on_screen():
        exercise = _do_exercise(workbook, exercise)
    _after_exercise(exercise, workbook)


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
    workbook = _open("Changing an answer")
    from osp_cli.errors import UserError
    from osp_cli.ui import flow
    from osp_cli.ui.views import say
    from osp_cli.workbook.runner import Runner

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
