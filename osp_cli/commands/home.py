"""osp on its own: the home screen, a summary and a menu of everything he can do.

Without a terminal it prints the summary only. The menu runs the other commands' bodies
on the open workbook; an error in one comes back to the menu, not out of osp.
"""

from __future__ import annotations

from pathlib import Path

from osp_cli.cli.front import has_terminal
from osp_cli.commands import checkin, export, import_assignment, plan, review
from osp_cli.commands import progress as progress_command
from osp_cli.commands.exercise_choice import choose_exercise
from osp_cli.commands.exercise_loop import do_exercise
from osp_cli.commands.home_summary import show_summary
from osp_cli.commands.paging import page
from osp_cli.errors import Interrupted, OspError
from osp_cli.ui import prompts, safe
from osp_cli.ui.console import clear_screen, on_screen
from osp_cli.ui.flow import offer_stop
from osp_cli.ui.support import support_line
from osp_cli.ui.views import say
from osp_cli.workbook import progress
from osp_cli.workbook.service import Workbook


def run(workbook: Workbook) -> None:
    if not has_terminal():
        show_summary(workbook)
        return
    with on_screen():
        menu_loop(workbook)
    say("Goodbye for now. Everything is saved.")
    support_line()


def menu_loop(workbook: Workbook) -> None:
    """The summary and the menu, again after each choice, until he quits."""
    while True:
        show_summary(workbook)
        choice = prompts.choose("What would you like to do?", menu(workbook))
        clear_screen(between=True)
        if choice == "quit":
            return
        try:
            act(workbook, choice)
        except OspError as error:
            if isinstance(error, Interrupted):
                raise
            # Back to the menu rather than out of osp: messages are fixed wording.
            say(error.message, "yellow")
            if error.hint:
                say(error.hint)
            prompts.pause()
        clear_screen(between=True)


def menu(workbook: Workbook) -> list[tuple[str, str]]:
    """The menu's (label, choice) pairs: the exercise he started last and the next one
    first, the import when a file is waiting (or none has been imported yet)."""
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
    waiting = import_assignment.waiting_assignments(workbook)
    if waiting or not workbook.payload.assignments:
        what = "a new file is waiting" if waiting else "none imported yet"
        options.append((f"Import work from my practitioner ({what})", "import"))
    return [
        *options,
        ("Choose an exercise", "choose"),
        ("Review my answers", "review"),
        ("Check in: how am I doing?", "checkin"),
        ("My plan", "plan"),
        ("My progress", "progress"),
        ("Export a summary for my practitioner", "export"),
        ("Support: where to get help", "support"),
        ("Quit", "quit"),
    ]


def act(workbook: Workbook, choice: str) -> None:
    """Do what he chose from the menu (any choice but 'quit')."""
    if choice.startswith("do:"):
        do_exercise(workbook, workbook.exercise(choice[3:]))
    elif choice == "choose":
        picked = choose_exercise(workbook)
        if picked:
            do_exercise(workbook, workbook.exercise(picked))
    elif choice == "review":
        picked = choose_exercise(workbook, started_only=True)
        if picked:
            page(lambda: review.draw(workbook, picked))
    elif choice == "checkin":
        checkin.ask(workbook)
    elif choice == "import":
        import_from_home(workbook)
    elif choice == "plan":
        page(lambda: plan.draw(workbook))
    elif choice == "progress":
        page(lambda: progress_command.draw(workbook))
    elif choice == "export":
        export.run_export(workbook)
        prompts.pause()
    elif choice == "support":
        offer_stop(workbook, offer=False, heading="Help now")


def where(path: Path) -> str:
    """The file's name and its folder in words: short enough for a menu line."""
    if path.parent == Path.cwd():
        return f"{safe.path_text(path.name)} (in this folder)"
    if path.parent == Path.home() / "Downloads":
        return f"{safe.path_text(path.name)} (in Downloads)"
    return safe.path_text(path)


def import_from_home(workbook: Workbook) -> None:
    """Import an assignment file: one waiting here or in Downloads, or a typed path."""
    waiting = import_assignment.waiting_assignments(workbook)
    options = [(f"Import {where(path)}", str(path)) for path in waiting]
    options.append(("Type where the file is", "type"))
    options.append(("Back to the main menu", ""))
    chosen = prompts.choose("Which file?", options)
    if chosen == "type":
        chosen = prompts.ask_line("The file's name (or drag it into this window), then Enter:")
        chosen = chosen.strip().strip("'\"")
    if not chosen:
        return
    chosen_file = import_assignment.read_assignment(Path(chosen).expanduser())
    import_assignment.run_import(workbook, chosen_file, from_home=True)
    prompts.pause()
