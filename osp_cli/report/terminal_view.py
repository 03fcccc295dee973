"""The summary in the terminal (Rich), flagged items first. User text only as safe Text."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from osp_cli.exchange.summary import ExerciseEntry, QuestionEntry, Summary
from osp_cli.report import common
from osp_cli.ui import safe
from osp_cli.ui.console import box, plain_mode

if TYPE_CHECKING:
    from rich.console import RenderableType


def _indented(body: RenderableType, indent: int = 2) -> RenderableType:
    """``body`` indented: every line of it, wrapped and continuation lines too."""
    return Padding(body, (0, 0, 0, indent), expand=False)


def _items(items: tuple[str, ...] | list[str]) -> RenderableType:
    """'- item' lines, indented; an item's further lines line up under its text."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for item in items:
        grid.add_row(Text("-"), safe.text(item))
    return _indented(grid)


def _answer(q: QuestionEntry) -> RenderableType:
    view = common.answer_view(q)
    if view.shape == "empty":
        return _indented(safe.text(view.text, style="italic dim"))
    if view.shape == "items":
        return _items(view.items)
    if view.shape == "table":
        table = Table(box=box(), show_lines=False, padding=(0, 1))  # type: ignore[arg-type]
        for heading in view.header:
            table.add_column(safe.text(heading, multiline=False), overflow="fold")
        for row in view.rows:
            table.add_row(*(safe.text(cell) for cell in row))
        return _indented(table)
    return _indented(safe.text(view.text))


def _bar(value: int, plain: bool) -> str:
    if plain:
        return f"{value:>2}"
    return "█" * value + "·" * (10 - value) + f" {value:>2}"


def _questions(e: ExerciseEntry) -> list[Any]:
    parts: list[Any] = []
    for q in e.questions:
        prompt = safe.text(q.prompt, style="bold")
        if q.flagged:
            prompt.append("  [flagged]", style="yellow")
        parts += [prompt, _answer(q)]
    if e.reflection:
        parts += [safe.text(e.reflection_prompt, style="bold"), _indented(safe.text(e.reflection))]
    if not parts:
        parts.append(Text("No answers yet.", style="dim"))
    return parts


def _scale_bar(value: int, low: int, high: int, plain: bool) -> str:
    if plain:
        return f"{value:>3}"
    span = max(1, high - low)
    filled = round(20 * (value - low) / span)
    return "█" * filled + "·" * (20 - filled) + f" {value:>3}"


def _entries(e: ExerciseEntry, plain: bool) -> list[Any]:
    """A repeatable exercise: its ratings over time as bars, then each entry, newest
    first."""
    parts: list[Any] = [Text(common.plural(len(e.entries), "entry", "entries"), style="dim")]
    for series in common.entry_ratings(e):
        parts.append(safe.text(f"{series.prompt} ({series.low} to {series.high}), over time"))
        for point in series.points:
            line = Text("  ")
            line.append_text(safe.text(f"Entry {point.number} {common.nice_date(point.at)}"))
            line.append("  ")
            line.append(
                _scale_bar(point.value, series.low, series.high, plain),
                style="" if plain else "cyan",
            )
            parts.append(line)
    for entry in e.entries:
        parts += [Text(""), safe.text(common.entry_label(entry), style="bold cyan")]
        parts += _questions(entry)
    return parts


def renderable(summary: Summary, *, for_participant: bool = False) -> RenderableType:
    """The summary as Rich renderables. ``for_participant``: his own preview before he
    seals it, without the footer meant for the practitioner."""
    plain = plain_mode()
    s = summary
    parts: list[Any] = []

    def heading(title: str) -> None:
        parts.append(Text(""))
        parts.append(
            Text(title, style="bold") if plain else Rule(title, align="left", style="cyan")
        )

    title = Text("Participant ", style="bold")
    title.append_text(safe.text(s.participant_ref or "not set", style="bold", multiline=False))
    parts.append(title)
    facts = Text(style="dim")
    facts.append_text(safe.text(common.session_text(s)))
    facts.append(" · next session ")
    facts.append_text(safe.text(common.nice_date(s.next_session) or "not set"))
    facts.append(" · exported ")
    facts.append_text(safe.text(common.nice_time(s.created)))
    parts.append(facts)
    sender = common.sender_lines(s)
    if sender is not None:
        warn = s.sender is not None and s.sender.check.name in ("DIFFERENT_KEY", "UNSIGNED")
        style = "bold red" if warn else ("bold green" if "verified" in sender[0] else "bold")
        parts += [Text(""), Text(sender[0], style=style), Text(sender[1])]

    heading(common.NEEDS_ATTENTION)
    attention = common.needs_attention(s)
    if not attention:
        parts.append(Text(common.NOTHING_NEEDS_ATTENTION, style="dim"))
    for item in attention:
        line = Text("! " if item.urgent else "- ", style="bold red" if item.urgent else "")
        line.append_text(safe.text(item.text, style="bold red" if item.urgent else "bold"))
        parts.append(line)
        if item.note.strip():
            note = Text("  Note: ", style="dim")
            note.append_text(safe.text(item.note))
            parts.append(note)

    heading(f"To talk about ({len(s.flagged)} flagged)")
    if not s.flagged:
        parts.append(Text("Nothing was flagged.", style="dim"))
    for f in s.flagged:
        where = Text(style="yellow")
        where.append_text(safe.text(f"{f.exercise.session_label} · {f.exercise.title}"))
        parts += [where, safe.text(f.question.prompt, style="bold"), _answer(f.question), Text("")]

    if s.note.strip():
        heading("Note from the participant")
        parts.append(safe.text(s.note))

    heading("Check-ins")
    parts.append(safe.text(common.checkin_overview(s.checkins)))
    if s.checkins:
        table = Table(box=box(), padding=(0, 1))  # type: ignore[arg-type]
        for column in ("When", "Context", "Upset", "Urges", "Self-harm", "Note"):
            table.add_column(column, overflow="fold")
        for c in s.checkins[-20:]:
            table.add_row(
                safe.text(common.nice_time(c.at)),
                safe.text(common.context_label(c.context)),
                Text(_bar(c.feeling, plain), style="" if plain else "dark_orange"),
                Text(_bar(c.urge, plain), style="" if plain else "magenta"),
                Text(common.self_harm_text(c), style="bold red" if c.self_harm else ""),
                safe.text(c.note),
            )
        parts.append(table)

    heading(f"Exercises ({len(s.exercises)})")
    for e in s.exercises:
        line = Text()
        line.append_text(safe.text(e.title, style="bold"))
        line.append("  ")
        line.append_text(
            safe.text(
                f"{e.session_label} · {common.status_text(e.status, e.answered, e.total)}",
                style="dim",
            )
        )
        parts += [Text(""), line]
        if e.repeatable:
            parts += _entries(e, plain)
        else:
            parts += _questions(e)

    if any(section.items for section in s.plan):
        heading("My plan")
        for section in s.plan:
            if not section.items:
                continue
            parts.append(safe.text(section.heading, style="bold"))
            parts.append(_items([item.text for item in section.items]))
    if not for_participant:
        parts += [Text(""), Text(common.CONFIDENTIAL, style="dim")]
    for part in parts:
        if isinstance(part, Text):
            part.end = "\n"  # safe.text() ends without a newline; each part is a block
    return Group(*parts)


def render(summary: Summary, *, for_participant: bool = False) -> str:
    """Plain text of the terminal view (no colour), for previews and tests."""
    console = Console(
        width=100, no_color=True, color_system=None, emoji=False, markup=False,
        highlight=False, file=io.StringIO(), force_terminal=False,
    )  # fmt: skip
    with console.capture() as capture:
        console.print(renderable(summary, for_participant=for_participant))
    return capture.get()
