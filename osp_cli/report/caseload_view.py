"""The caseload and one participant's history in the terminal (Rich). Every string from a
summary or a private note reaches the screen only as safe Text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from osp_cli import dates
from osp_cli.exchange.summary import ExerciseEntry
from osp_cli.inbox.caseload import DIFFERENT_KEY, HIGH, CaseLine, History
from osp_cli.report import common
from osp_cli.report.csv_rows import HEADER, unique_rows
from osp_cli.report.terminal_view import _answer
from osp_cli.ui import safe
from osp_cli.ui.console import box, plain_mode

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text


def _line(value: str, style: str = "") -> Text:
    """User text as one line of its own in a Group (safe.text does not end the line)."""
    shown = safe.text(value, style)
    shown.end = "\n"
    return shown


def _session(line: CaseLine) -> str:
    return f"session {line.last_session}" if line.last_session else "no session"


def line_cells(line: CaseLine) -> list[str]:
    """One caseload line as plain cells (also used by tests and the plain view)."""
    highest = "none" if line.highest is None else f"{line.highest}/10"
    return [
        line.participant_ref,
        f"{dates.short_day(line.last_summary)}, {_session(line)}",
        dates.short_day(line.next_session) or "not set",
        "none" if not line.open_items else f"{line.open_items} to discuss",
        highest,
        "YES" if line.self_harm else "no",
        line.verification,
    ]


HEADINGS = ["Ref", "Last summary", "Next session", "Flagged", "Highest", "Self-harm", "Key"]
NOTE = (
    "Highest: the highest check-in rating (upset or urges) since the last session. "
    "Self-harm: YES if he answered yes to the question about self-harm since then."
)


#: Below this width the caseload is one short block per participant, not a table.
TABLE_WIDTH = 72


def _longest_word(texts: list[str]) -> int:
    return max((len(word) for text in texts for word in text.split()), default=1)


def caseload_table(lines: list[CaseLine], width: int = 80) -> RenderableType:
    rows = [line_cells(line) for line in lines]
    if width < TABLE_WIDTH:
        blocks: list[Any] = []
        for line, cells in zip(lines, rows, strict=True):
            block = Text(cells[0], style="bold")
            for heading, cell in zip(HEADINGS[1:], cells[1:], strict=True):
                block.append(f"\n  {heading}: ")
                block.append_text(safe.text(cell, _style(line, heading), multiline=False))
            blocks.append(block)
        return Group(*blocks)
    table = Table(box=box(), padding=(0, 1), show_lines=False)  # type: ignore[arg-type]
    for index, heading in enumerate(HEADINGS):
        # Never narrower than its longest word: a column wraps between words, never inside.
        longest = _longest_word([heading, *(cells[index] for cells in rows)])
        table.add_column(heading, overflow="fold", min_width=longest)
    for line, cells in zip(lines, rows, strict=True):
        table.add_row(
            *(
                safe.text(cell, _style(line, heading), multiline=False)
                for cell, heading in zip(cells, HEADINGS, strict=True)
            )
        )
    return table


def _style(line: CaseLine, heading: str) -> str:
    if heading == "Ref":
        return "bold"
    if heading == "Flagged":
        return "yellow" if line.open_items else "dim"
    if heading == "Highest":
        return "bold red" if (line.highest or 0) >= HIGH else ""
    if heading == "Self-harm":
        return "bold red" if line.self_harm else "dim"
    if heading == "Key":
        return "bold red" if line.verification.startswith(DIFFERENT_KEY) else "dim"
    return ""


def history_renderable(history: History) -> RenderableType:
    parts: list[Any] = []
    title = Text("Participant ", style="bold")
    title.append_text(safe.text(history.participant_ref, "bold", multiline=False))
    parts.append(title)
    count = common.plural(len(history.received), "summary", "summaries")
    cells = line_cells(history.line)
    parts.append(_line(f"{count}; latest {cells[1]}; next session {cells[2]}", "dim"))

    parts += [Text(""), Text("Check-ins over time", style="bold")]
    if history.checkins:
        parts.append(_line(common.checkin_overview(history.checkins)))
        parts.append(_sparkline(history))
    else:
        parts.append(Text("No check-ins recorded.", style="dim"))

    parts += [Text(""), Text("Flagged to talk about", style="bold")]
    if not history.items:
        parts.append(Text("Nothing was flagged.", style="dim"))
    for number, item in enumerate(history.items, 1):
        head = Text(f"{number}. ", style="bold")
        head.append_text(
            safe.text(f"{item.flagged.exercise.title}: {item.flagged.question.prompt}")
        )
        if item.discussed:
            head.append(f"  [discussed {common.nice_date(item.discussed.at)}]", style="green")
        else:
            head.append("  [to discuss]", style="yellow")
        parts.append(head)
        parts.append(_answer(item.flagged.question))
        if item.discussed and item.discussed.note:
            note = Text("    Your note: ", style="dim")
            note.append_text(safe.text(item.discussed.note, "dim"))
            parts.append(note)

    parts += [Text(""), Text("Exercises by session", style="bold")]
    for label, exercises in history.exercises_by_session:
        line = Text(f"  {label}: ", style="bold")
        line.append_text(
            safe.text(
                "; ".join(
                    f"{e.title} ({common.status_text(e.status, e.answered, e.total)})"
                    for e in exercises
                )
            )
        )
        parts.append(line)

    if history.repeated:
        parts += [Text(""), Text("Diary entries over time", style="bold")]
        for title_text, entries in history.repeated:
            count = common.plural(len(entries), "entry", "entries")
            parts.append(_line(f"  {title_text}: {count}", "bold"))
            for entry in entries:
                when = entry.completed or entry.started
                status = common.status_text(entry.status, entry.answered, entry.total)
                parts.append(_line(f"    - {common.nice_date(when) or 'undated'}: {status}"))
                parts.append(_indented_answers(entry))

    parts += [Text(""), Text("The plan now", style="bold")]
    for section in history.plan:
        parts.append(_line(f"  {section.heading}", "bold"))
        for plan_item in section.items:
            parts.append(_line(f"    - {plan_item.text}"))
        if not section.items:
            parts.append(Text("    Nothing yet.", style="dim"))
    return Group(*parts)


def _indented_answers(entry: ExerciseEntry) -> RenderableType:
    """An entry's answers, question by question, indented under its date."""
    parts: list[Any] = []
    for q in entry.questions:
        parts.append(_line(q.prompt, "dim"))
        parts.append(_answer(q))
    return Padding(Group(*parts), (0, 0, 0, 6))


def _sparkline(history: History) -> RenderableType:
    """Upset and urges as two rows of bars, one column per check-in (the latest 60)."""
    shown = history.checkins[-60:]
    marks = " ▁▂▃▄▅▆▇██"
    out = Text()
    for label, attr, style in (("Upset ", "feeling", "red"), ("Urges ", "urge", "magenta")):
        out.append(f"  {label}", style="bold")
        values = [int(getattr(c, attr)) for c in shown]
        if plain_mode():
            out.append(" ".join(str(v) for v in values))
        else:
            for v in values:
                out.append(
                    marks[min(v, 9)] if v < 10 else "█", style="bold red" if v >= HIGH else style
                )
        out.append("\n")
    out.append(
        f"  {common.nice_date(shown[0].at)} to {common.nice_date(shown[-1].at)}", style="dim"
    )
    return out


#: The screen table shows at most this many rows; the CSV has them all.
MAX_TABLE_ROWS = 500


def evaluation_table(rows: list[tuple[str, str, str, str, str, str, str]]) -> RenderableType:
    """The evaluation rows as a table, one line each (the same rows as the CSV)."""
    table = Table(box=box(), padding=(0, 1))  # type: ignore[arg-type]
    for heading in HEADER:
        table.add_column(heading.replace("_", " "), overflow="fold")
    shown = unique_rows(rows)
    for row in shown[:MAX_TABLE_ROWS]:
        ref, kind, measure, when, value, sender, duplicate, before, after, change = row
        cells = (ref, kind, measure, when[:16].replace("T", " "), value, sender, duplicate,
                 before, after, change)  # fmt: skip
        table.add_row(*(safe.text(c, multiline=False) for c in cells))
    if len(shown) <= MAX_TABLE_ROWS:
        return table
    more = f"{len(shown) - MAX_TABLE_ROWS} more rows are not shown here; --csv FILE has them all."
    return Group(table, Text(more, style="dim"))
