"""Rich views of the participant's workbook: intro, question headers, review, lists,
progress chart and the plan.

Every piece of text that a person wrote (answers, notes, and exercise text, which may
come from a practitioner's custom file) goes through ``osp_cli.ui.safe``; none of it is
ever part of a Rich markup string. Plain mode has no colour and no boxes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from osp_cli import dates, messages
from osp_cli.exercises.model import Kind
from osp_cli.ui import safe
from osp_cli.ui.ask import (
    CHOICES_HINT,
    COMMAND_HELP,
    PLAIN_CHOICES_HINT,
    multiline_hint,
    scale_ends,
    scale_hint,
    scale_title,
)
from osp_cli.ui.console import box, console, narrow, plain_mode
from osp_cli.ui.support import show_support

if TYPE_CHECKING:
    from rich.console import RenderableType

    from osp_cli.exercises.model import Exercise, Question
    from osp_cli.workbook.plan import Plan
    from osp_cli.workbook.progress import CheckIn, EntryRatings, ExerciseStatus, SessionProgress


def user_text(value: str, style: str = "") -> Text:
    """User or exercise text, inert (see ``osp_cli.ui.safe``), as a whole line."""
    text = safe.text(value, style)
    text.end = "\n"
    return text


def fixed(value: str, style: str = "") -> Text:
    """Our own wording (no user text): still a Text, so nothing is read as markup."""
    return Text(value, style=style)


def say(value: str, style: str = "") -> None:
    """Print a line of our own fixed wording."""
    console().print(fixed(value, "" if plain_mode() else style))


def heading(value: Text | str) -> None:
    out = console()
    text = value if not isinstance(value, str) else fixed(value)
    if not plain_mode():
        text.stylize("bold")
    out.print()
    out.print(text)


def section(title: Text, body: RenderableType) -> None:
    out = console()
    if narrow():
        out.print(title)
        out.print(body)
        out.print()
    else:
        out.print(Panel(body, title=title, title_align="left", box=box()))  # type: ignore[arg-type]


NAVIGATION_INTRO = (
    "How this works: one question at a time. Each answer is saved as soon as you give it.\n"
    "Where you type an answer, you can type one of these instead and press Enter:"
)


def navigation_help() -> None:
    say(NAVIGATION_INTRO)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="" if plain_mode() else "bold cyan")
    grid.add_column()
    for command, meaning in COMMAND_HELP:
        grid.add_row(fixed(command), fixed(meaning))
    console().print(grid)
    say(
        "Where you pick from a list, the same things are at the bottom of the list.\n"
        "Ctrl-C also stops at any time; your answers so far are kept."
    )


def navigation_reminder() -> None:
    """'How this works' in one line, after the first time."""
    say(
        "One question at a time; each answer is saved. Type /help at any question to see "
        "what you can type instead of an answer."
    )


def question_header(
    question: Question, number: int, total: int, flagged: bool, exercise_title: str
) -> None:
    """'Question n of m', then the question itself (wrapped, on its own lines), then what
    to do. The prompt that follows is short, so nothing runs off an 80-column screen."""
    out = console()
    out.print()
    line = fixed(f"Question {number} of {total}", "bold")
    line.append_text(fixed(" · ", "dim"))
    line.append_text(user_text(exercise_title, "dim"))
    if flagged:
        line.append_text(fixed("  [flagged for your next session]", "yellow"))
    out.print(line)
    out.print(user_text(question.prompt, "" if plain_mode() else "bold"))
    if question.kind is Kind.SCALE and scale_ends(question):
        out.print(user_text(f"({scale_ends(question)})"))
    reminder = messages.question_reminder(question.no_names, question.no_sexual_detail)
    if reminder:
        out.print(fixed(reminder, "yellow"))
    hints = []
    if not question.required and question.kind in (Kind.TEXT, Kind.LONG_TEXT, Kind.LIST):
        hints.append("This one is optional: leave it blank to skip it.")
    if question.kind is Kind.SCALE:
        assert question.min is not None and question.max is not None
        hints.append(scale_hint(question.min, question.max))
    typed = question.kind in (Kind.TEXT, Kind.LONG_TEXT, Kind.LIST, Kind.TABLE, Kind.SCALE)
    if typed:
        extra = "/help" if question.help else None
        words = " ".join(
            w
            for w in ("/back", "/skip" if not question.required else None, extra, "/flag", "/stop")
            if w
        )
        hints.append(f"Instead of an answer you can type: {words}")
    elif question.kind is Kind.CHOICES:
        hints.append(PLAIN_CHOICES_HINT if plain_mode() else CHOICES_HINT)
        hints.append("Then you can check your ticks, or go back, get help, flag or stop.")
    elif plain_mode():
        hints.append("Going back, help, flag and stop are numbered at the end of the list.")
    elif question.help:
        hints.append("Help is at the bottom of the list.")
    if question.kind is Kind.LONG_TEXT:
        hints.append(multiline_hint())  # last: right above where he types
    for hint in hints:
        out.print(fixed(hint))


def help_text(question: Question) -> None:
    """The question again, with its help (or a note that there is none), and what can be
    typed instead of an answer."""
    prompt = user_text(question.prompt, "" if plain_mode() else "bold")
    if question.help:
        about: RenderableType = user_text(question.help)
    else:
        about = fixed(
            "There is no extra help for this question. Answer it in your own words, "
            "or talk it over at your next session."
        )
    commands = Text("\nInstead of an answer you can type:")
    for command, meaning in COMMAND_HELP:
        commands.append(f"\n  {command}  {meaning}")
    if plain_mode():
        commands.append("\n  /clear  empty your earlier answer")
    else:
        commands.append("\n  Ctrl-U  clear what is typed (an earlier answer too)")
    section(fixed("Help", "bold"), Group(prompt, about, commands))


def done_message(exercise: Exercise) -> None:
    title = fixed("Well done. You have finished ", "bold green")
    title.append_text(user_text(exercise.title, "bold green"))
    title.append_text(fixed(".", "bold green"))
    console().print(title)


# --- reading answers --------------------------------------------------------------------


def answer_text(question: Question, value: Any) -> RenderableType:
    """One saved answer, inert, laid out for its kind."""
    if value is None:
        return fixed("(no answer yet)", "dim")
    kind = question.kind
    if kind is Kind.YES_NO:
        return fixed("Yes" if value else "No")
    if kind is Kind.SCALE and isinstance(value, int):
        return user_text(scale_title(question, value))
    if kind in (Kind.LIST, Kind.CHOICES) and isinstance(value, list):
        lines = Text()
        for index, item in enumerate(value):
            if index:
                lines.append("\n")
            lines.append("- ")
            lines.append_text(user_text(str(item)))
        return lines
    if kind is Kind.TABLE and isinstance(value, dict):
        table = Table(box=box(), show_lines=not plain_mode(), show_edge=not plain_mode())  # type: ignore[arg-type]
        table.add_column(user_text(question.row_header or ""))
        for column in question.columns:
            table.add_column(user_text(column))
        for row in question.rows:
            cells = value.get(row) or {}
            table.add_row(
                user_text(row), *(user_text(str(cells.get(c, ""))) for c in question.columns)
            )
        return table
    return user_text(str(value))


def review(
    exercise: Exercise,
    questions: Sequence[Question],
    answers: dict[str, Any],
    skipped: Iterable[str],
    flagged: Iterable[str],
    reflection: str | None,
    entry_label: str | None = None,
) -> None:
    """One exercise's answers (for a repeatable exercise, one entry, named by
    ``entry_label``)."""
    out = console()
    skipped, flagged = set(skipped), set(flagged)
    title = user_text(exercise.title, "bold")
    title.append_text(fixed(f"  ({exercise.session_label})", "dim"))
    heading(title)
    if entry_label:
        say(entry_label, "bold cyan")
    for number, question in enumerate(questions, start=1):
        label = fixed(f"{number}. ", "bold")
        label.append_text(user_text(question.prompt, "bold"))
        if question.id in flagged:
            label.append_text(fixed("  [flagged for your next session]", "yellow"))
        if question.id in answers:
            body = answer_text(question, answers[question.id])
        elif question.id in skipped:
            body = fixed("(skipped)", "dim")
        else:
            body = fixed("(no answer yet)", "dim")
        out.print(Group(label, body))
        out.print()
    if reflection:
        label = fixed("Reflection: ", "bold")
        label.append_text(user_text(exercise.reflection, "bold"))
        out.print(Group(label, user_text(reflection)))
        out.print()


def status_table(rows: Sequence[ExerciseStatus]) -> None:
    """Exercises under a heading per session: the id, then the title with the status on
    the line below it (so a long date or title wraps inside its column at 80 columns)."""
    out = console()
    session: int | str | None = None
    table: Table | None = None
    for status in rows:
        if status.session != session or table is None:
            if table is not None:
                out.print(table)
            session = status.session
            heading(f"Session {session}" if isinstance(session, int) else "Evaluation")
            table = Table.grid(padding=(0, 2))
            table.add_column(no_wrap=True)
            table.add_column(ratio=1)
        state = status.label + (f", {status.flagged} flagged" if status.flagged else "")
        if status.assigned:
            due = dates.day(status.due)
            state += f", set for you (due {due})" if due else ", set for you"
        finished = status.stage.value == "done" and not status.again
        colour = "green" if finished else "yellow" if status.assigned else ""
        details = user_text(status.title)
        details.append("\n")
        details.append_text(fixed(state, colour if not plain_mode() else ""))
        table.add_row(user_text(status.exercise_id, "bold"), details)
    if table is not None:
        out.print(table)


# --- progress and check-ins -------------------------------------------------------------


def _bar(filled: int, total: int, width: int) -> str:
    if total <= 0:
        return ""
    full = round(width * filled / total)
    return ("#" if plain_mode() else "█") * full + ("." if plain_mode() else "░") * (width - full)


def progress_chart(sessions: Sequence[SessionProgress], history: Sequence[CheckIn]) -> None:
    out = console()
    heading("Exercises finished, by session")
    grid = Table.grid(padding=(0, 2))
    for _ in range(3):
        grid.add_column()
    any_set = any(row.set_total for row in sessions)
    for row in sessions:
        if row.not_set:
            grid.add_row(
                fixed(row.label),
                fixed(""),
                fixed(f"not set yet ({row.total} also available)"),
            )
            continue
        if any_set and row.set_total:
            note = f"{row.set_done} of {row.set_total} set for you done"
            if row.total > row.set_total:
                note += f"; {row.total - row.set_total} more also available"
            bar = _bar(row.set_done, row.set_total, 20)
        else:
            note = f"{row.done} of {row.total} done"
            if any_set:
                note = f"also available: {row.total}, {row.done} done"
            bar = _bar(row.done, row.total, 20)
        if row.in_progress:
            note += f", {row.in_progress} in progress"
        grid.add_row(fixed(row.label), fixed(bar, "green"), fixed(note))
    out.print(grid)
    heading("Check-ins (0 to 10)")
    if not history:
        say("No check-ins yet. Run 'osp checkin' to add one.")
        return
    say("Distress: how upset you felt.  Urges: how strong any urges were.", "dim")
    table = Table.grid(padding=(0, 2))
    for _ in range(5):
        table.add_column()
    for entry in history[-20:]:
        when = dates.day_and_time(entry.at)
        table.add_row(
            fixed(when),
            fixed(f"distress {entry.feeling:>2}"),
            fixed(_bar(entry.feeling, 10, 10), "magenta"),
            fixed(f"urges {entry.urge:>2}"),
            fixed(_bar(entry.urge, 10, 10), "red"),
        )
    out.print(table)
    if len(history) > 20:
        say(f"(showing the last 20 of {len(history)} check-ins)", "dim")


def entry_ratings(series: Sequence[EntryRatings]) -> None:
    """The ratings in each repeatable exercise's entries (a diary), over time."""
    if not series:
        return
    out = console()
    heading("Your diaries over time")
    title = ""
    for one in series:
        if one.title != title:
            title = one.title
            say("")
            out.print(user_text(title, "bold"))
        out.print(user_text(f"{one.prompt} ({one.low} to {one.high})", "dim"))
        table = Table.grid(padding=(0, 2))
        for _ in range(3):
            table.add_column()
        span = max(1, one.high - one.low)
        for number, started, value in one.points[-12:]:
            table.add_row(
                fixed(f"Entry {number}, {dates.day_and_time(started)}"),
                fixed(_bar(value - one.low, span, 10), "cyan"),
                fixed(f"{value:>3}"),
            )
        out.print(table)
        if len(one.points) > 12:
            say(f"(showing the last 12 of {len(one.points)} entries)", "dim")


# --- the plan ---------------------------------------------------------------------------


def plan(plan_data: Plan, titles: dict[str, str]) -> None:
    out = console()
    heading("My plan")
    say("Built from your own answers. It grows as you work through the exercises.", "dim")
    out.print()
    for part in plan_data.parts:
        if part.items:
            body = Text()
            for index, item in enumerate(part.items):
                if index:
                    body.append("\n")
                body.append("- ")
                body.append_text(user_text(item.text))
            parts: list[RenderableType] = [body]
        elif part.filled_by:
            # Each command on a line of its own, never split: it is something to type.
            parts = [fixed("Not filled in yet. You can add to it with:", "dim")]
            for eid in part.filled_by[:3]:
                command = user_text(f"  osp do {eid}")
                command.no_wrap, command.overflow = True, "fold"
                parts.append(command)
        else:
            parts = [fixed("Not filled in yet. It fills in as you do the exercises.", "dim")]
        section(fixed(part.heading, "bold"), Group(*parts))
    _ = titles

    show_support(heading="If you need help now", more_hint="More help: osp support")
