"""What every renderer shares: how an answer reads, dates, labels. Pure."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from osp_cli import dates
from osp_cli.exchange.summary import ExerciseEntry, QuestionEntry, Summary
from osp_cli.workbook.progress import HIGH_RATING as HIGH
from osp_cli.workbook.progress import CheckIn

FEELING_LABEL = "Upset (0 calm, 10 very upset)"
URGE_LABEL = "Urges (0 none, 10 very strong)"
CONFIDENTIAL = (
    "Confidential. Contains a participant's own words about sensitive matters. "
    "Store and share only as your organisation's policy allows."
)


@dataclass(frozen=True, slots=True)
class AnswerView:
    """An answer shaped for display: exactly one of text, items or table is used."""

    shape: str  # "empty", "text", "items" or "table"
    text: str = ""
    items: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = field(default_factory=tuple)


def answer_view(q: QuestionEntry) -> AnswerView:
    value = q.answer
    if value is None or value == "" or value == [] or value == {}:
        return AnswerView("empty", "Skipped" if q.skipped else "Not answered")
    if q.kind == "yes_no" and isinstance(value, bool):
        return AnswerView("text", "Yes" if value else "No")
    if q.kind == "scale" and isinstance(value, int) and not isinstance(value, bool):
        return AnswerView("text", scale_text(q, value))
    if isinstance(value, list):
        return AnswerView("items", items=tuple(value))
    if isinstance(value, dict):
        rows = q.rows or tuple(value)
        columns = q.columns or tuple(sorted({c for cells in value.values() for c in cells}))
        return AnswerView(
            "table",
            header=("", *columns),
            rows=tuple(
                (row, *(value.get(row, {}).get(column, "") for column in columns)) for row in rows
            ),
        )
    return AnswerView("text", str(value))


def scale_text(q: QuestionEntry, value: int) -> str:
    low, high = q.min, q.max
    shown = f"{value} on a scale of {low} to {high}" if low is not None else str(value)
    label = q.labels.get(value)
    return f"{shown} ({label})" if label else shown


def as_datetime(stamp: str) -> _dt.datetime | None:
    return dates.parse(stamp)


def nice_date(stamp: str | None) -> str:
    """'Thursday 3 December 2026' (or the raw text if it is not a date)."""
    return dates.day(stamp)


def nice_time(stamp: str | None) -> str:
    """'Thursday 3 December 2026, 21:04' in local time."""
    return dates.day_and_time(stamp)


def context_label(context: str) -> str:
    if context.startswith("before:"):
        return f"before {context[7:]}"
    if context.startswith("after:"):
        return f"after {context[6:]}"
    return "check-in" if context == "manual" else context


def session_text(summary: Summary) -> str:
    return f"Session {summary.session}" if summary.session else "Session not set"


def checkin_overview(checkins: tuple[CheckIn, ...]) -> str:
    if not checkins:
        return "No check-ins recorded."
    first, last = checkins[0], checkins[-1]
    count = len(checkins)
    span = (
        f"on {nice_date(first.at)}"
        if nice_date(first.at) == nice_date(last.at)
        else f"from {nice_date(first.at)} to {nice_date(last.at)}"
    )
    high = sum(1 for c in checkins if c.feeling >= HIGH or c.urge >= HIGH)
    text = (
        f"{plural(count, 'check-in')} {span}. "
        f"Latest: upset {last.feeling}/10, urges {last.urge}/10."
    )
    if high:
        text += f" {high} at 7 or above."
    return text


NEEDS_ATTENTION = "Needs attention"
NOTHING_NEEDS_ATTENTION = (
    "Nothing needs attention: no yes to the self-harm question, no check-in at 7 or "
    "above, nothing flagged."
)


@dataclass(frozen=True, slots=True)
class Attention:
    """One line of the "Needs attention" part. ``note`` is participant text (render it
    through the safe-text path); ``urgent`` marks a yes to the self-harm question."""

    text: str
    note: str = ""
    urgent: bool = False


def _ratings(c: CheckIn) -> str:
    return f"upset {c.feeling}/10, urges {c.urge}/10, {context_label(c.context)}"


def needs_attention(summary: Summary) -> list[Attention]:
    """What the practitioner should see first, most urgent first: every yes to the
    self-harm question, every check-in at 7 or more (with its note), flagged items."""
    found = [
        Attention(
            f"Said YES to thoughts of suicide or self-harm at the check-in on "
            f"{nice_time(c.at)} ({_ratings(c)}).",
            c.note,
            urgent=True,
        )
        for c in summary.checkins
        if c.self_harm is True
    ]
    for c in summary.checkins:
        if c.feeling >= HIGH or c.urge >= HIGH:
            answers: dict[bool | None, str] = {True: " Self-harm: yes.", False: " Self-harm: no."}
            asked = answers.get(
                c.self_harm, " Self-harm question not answered." if c.feeling >= HIGH else ""
            )
            found.append(
                Attention(f"High check-in on {nice_time(c.at)}: {_ratings(c)}.{asked}", c.note)
            )
    if summary.flagged:
        found.append(
            Attention(f"{plural(len(summary.flagged), 'flagged item')} to talk about (below).")
        )
    return found


def self_harm_text(c: CheckIn) -> str:
    """The check-in table's self-harm cell."""
    shown: dict[bool | None, str] = {True: "YES", False: "no"}
    return shown.get(c.self_harm, "–")


def plural(count: int, noun: str, many: str = "") -> str:
    """'1 exercise', '2 exercises', '0 summaries' (``many`` for irregular plurals)."""
    return f"{count} {noun if count == 1 else (many or noun + 's')}"


def status_text(status: str, answered: int, total: int) -> str:
    if status == "in progress":
        return f"in progress ({answered} of {total})"
    return status


def sender_lines(summary: Summary) -> tuple[str, str] | None:
    """("Sender: <headline>", explanation) for the practitioner's views, or None."""
    sender = summary.sender
    if sender is None:
        return None
    return (f"Sender: {sender.check.headline}", sender.explanation)


# --- repeatable exercises: entries and their ratings over time --------------------------


@dataclass(frozen=True, slots=True)
class RatingPoint:
    number: int  # the entry's number
    at: str  # when the entry was started
    value: int


@dataclass(frozen=True, slots=True)
class RatingSeries:
    """One scale question of a repeatable exercise, rated in several entries."""

    question_id: str
    prompt: str
    low: int
    high: int
    points: tuple[RatingPoint, ...]  # oldest entry first


def entry_label(entry: ExerciseEntry) -> str:
    """'Entry 3 · Thursday 3 December 2026'."""
    when = nice_date(entry.started) if entry.started else ""
    return f"Entry {entry.number}" + (f" · {when}" if when else "")


def entry_ratings(exercise: ExerciseEntry) -> list[RatingSeries]:
    """The scale answers of a repeatable exercise's entries, one series per question (in
    the order the questions are asked), each oldest entry first. Empty for others."""
    found: dict[str, RatingSeries] = {}
    for entry in sorted(exercise.entries, key=lambda e: e.number or 0):
        for q in entry.questions:
            value = q.answer
            if q.kind != "scale" or not isinstance(value, int) or isinstance(value, bool):
                continue
            point = RatingPoint(entry.number or 0, entry.started or "", value)
            series = found.get(q.id)
            if series is None:
                found[q.id] = RatingSeries(q.id, q.prompt, q.min or 0, q.max or 10, (point,))
            else:
                found[q.id] = RatingSeries(
                    q.id, series.prompt, series.low, series.high, (*series.points, point)
                )
    return list(found.values())
