"""What the practitioner reads from the inbox: one line per participant, whoever needs
attention first; one participant's whole history. Pure: records in, data out."""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass

from osp_cli import dates
from osp_cli.exchange.summary import ExerciseEntry, Flagged, PlanSection
from osp_cli.inbox.records import Discussed, Inbox, Received, item_key
from osp_cli.workbook.progress import CheckIn

HIGH = 7  # a check-in rating at which support is offered (SPEC)

# Verification states, as the trust work names them; "not signed" until summaries are.
VERIFIED = "verified"
FIRST_SEEN = "first time seen"
DIFFERENT_KEY = "DIFFERENT KEY"
NOT_SIGNED = "not signed"


@dataclass(frozen=True, slots=True)
class OpenItem:
    """A flagged answer, with whether (and how) it was discussed."""

    key: str
    flagged: Flagged
    from_summary: str  # when the summary holding it was made
    discussed: Discussed | None


@dataclass(frozen=True, slots=True)
class CaseLine:
    participant_ref: str
    last_summary: str  # when the latest summary was made
    last_session: int | None  # the programme session of the latest summary
    summaries: int
    next_session: str | None
    open_items: int
    highest: int | None  # the highest rating (upset or urges) since the last session
    self_harm: bool  # a "yes" to the self-harm question since the last session
    verification: str

    def attention(self) -> tuple[int, int, int, int, str, str]:
        """Sort key: self-harm, a different key, a high rating, most to discuss, soonest
        next session (smaller comes first)."""
        return (
            0 if self.self_harm else 1,
            0 if self.verification.startswith(DIFFERENT_KEY) else 1,
            -(self.highest if self.highest is not None else -1),
            -self.open_items,
            self.next_session or "9999-99-99",
            self.participant_ref,
        )


@dataclass(frozen=True, slots=True)
class History:
    """One participant across all his summaries."""

    participant_ref: str
    received: tuple[Received, ...]
    checkins: tuple[CheckIn, ...]
    exercises_by_session: tuple[tuple[str, tuple[ExerciseEntry, ...]], ...]
    repeated: tuple[tuple[str, tuple[ExerciseEntry, ...]], ...]
    items: tuple[OpenItem, ...]
    plan: tuple[PlanSection, ...]
    line: CaseLine


def self_harm_answer(checkin: CheckIn) -> bool:
    """True for a check-in where he answered yes to the self-harm question (the field
    arrives with the safeguarding work; older check-ins have none)."""
    return getattr(checkin, "self_harm", None) is True


def all_checkins(records: list[Received]) -> list[CheckIn]:
    """Every check-in across the summaries, once each, in time order."""
    seen: dict[tuple[str, str], CheckIn] = {}
    for record in records:
        for c in record.summary.checkins:
            seen[(c.at, c.context)] = c
    return sorted(seen.values(), key=lambda c: (_when(c.at), c.at))


def _when(stamp: str) -> float:
    parsed = dates.parse(stamp)
    return parsed.timestamp() if parsed else 0.0


def last_session_date(records: list[Received], today: _dt.date) -> _dt.date | None:
    """The most recent session date known to have passed: every summary names the next
    session as it stood when it was made."""
    past = []
    for record in records:
        stamp = record.summary.next_session
        parsed = _day(stamp) if stamp else None
        if parsed is not None and parsed < today:
            past.append(parsed)
    return max(past) if past else None


def _day(stamp: str) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(stamp[:10])
    except ValueError:
        return None


def since_last_session(checkins: list[CheckIn], last: _dt.date | None) -> list[CheckIn]:
    if last is None:
        return checkins
    start = _dt.datetime.combine(last, _dt.time(), tzinfo=_dt.UTC).timestamp()
    return [c for c in checkins if _when(c.at) >= start]


def open_items(inbox: Inbox, ref: str) -> list[OpenItem]:
    """Every flagged answer across his summaries (once each, latest copy), oldest first."""
    notes = inbox.notes_for(ref)
    found: dict[str, OpenItem] = {}
    for record in inbox.of(ref):
        for flagged in record.summary.flagged:
            key = item_key(flagged)
            found.pop(key, None)
            found[key] = OpenItem(key, flagged, record.summary.created, notes.get(key))
    return list(found.values())


def case_line(inbox: Inbox, ref: str, today: _dt.date) -> CaseLine:
    records = inbox.of(ref)
    latest = records[-1]
    recent = since_last_session(all_checkins(records), last_session_date(records, today))
    upcoming = [
        r.summary.next_session
        for r in records
        if r.summary.next_session
        and (day := _day(r.summary.next_session)) is not None
        and day >= today
    ]
    return CaseLine(
        participant_ref=ref,
        last_summary=latest.summary.created,
        last_session=latest.summary.session,
        summaries=len(records),
        next_session=min(upcoming) if upcoming else latest.summary.next_session,
        open_items=sum(1 for i in open_items(inbox, ref) if i.discussed is None),
        highest=max((max(c.feeling, c.urge) for c in recent), default=None),
        self_harm=any(self_harm_answer(c) for c in recent),
        verification=latest.verification,
    )


def caseload(inbox: Inbox, today: _dt.date | None = None) -> list[CaseLine]:
    """One line per participant reference, whoever needs attention first."""
    today = today or _dt.date.today()
    lines = [case_line(inbox, ref, today) for ref in inbox.refs()]
    return sorted(lines, key=CaseLine.attention)


def _repeated_entries(exercise: ExerciseEntry) -> tuple[ExerciseEntry, ...]:
    """The dated entries of a repeatable exercise (a diary), when the summary has them."""
    entries = getattr(exercise, "entries", None) or ()
    return tuple(e for e in entries if isinstance(e, ExerciseEntry))


def history(inbox: Inbox, ref: str, today: _dt.date | None = None) -> History | None:
    records = inbox.of(ref)
    if not records:
        return None
    today = today or _dt.date.today()
    # The latest copy of each exercise, grouped by its session in programme order; and
    # every distinct copy of it, in the order received: a diary kept week by week (or an
    # answer he changed) shows as entries over time.
    latest: dict[str, ExerciseEntry] = {}
    copies: dict[str, dict[str, ExerciseEntry]] = {}
    for record in records:
        for exercise in record.summary.exercises:
            latest[exercise.id] = exercise
            seen = copies.setdefault(exercise.id, {})
            for entry in _repeated_entries(exercise) or (exercise,):
                seen.setdefault(_entry_key(entry), entry)
    diaries = {
        latest[exercise_id].title: list(seen.values())
        for exercise_id, seen in copies.items()
        if len(seen) > 1
    }
    groups: dict[str, list[ExerciseEntry]] = {}
    for exercise in sorted(latest.values(), key=_session_order):
        groups.setdefault(exercise.session_label, []).append(exercise)
    return History(
        participant_ref=ref,
        received=tuple(records),
        checkins=tuple(all_checkins(records)),
        exercises_by_session=tuple((k, tuple(v)) for k, v in groups.items()),
        repeated=tuple((k, tuple(v)) for k, v in diaries.items()),
        items=tuple(open_items(inbox, ref)),
        plan=records[-1].summary.plan,
        line=case_line(inbox, ref, today),
    )


def _entry_key(entry: ExerciseEntry) -> str:
    """What makes two copies of an exercise different entries: their answers and times."""
    return json.dumps(
        [entry.started, entry.completed, entry.reflection, [q.answer for q in entry.questions]],
        sort_keys=True,
        ensure_ascii=False,
    )


def _session_order(exercise: ExerciseEntry) -> tuple[int, str]:
    session = exercise.session
    return (session if isinstance(session, int) else 99, exercise.title)
