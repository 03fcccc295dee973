"""Where the participant is: status per exercise, what is assigned, what to do next.

Pure: exercises and payload in, data out. Only *visible* questions count (a question
hidden by its ``when`` condition is neither asked nor counted). A question counts as
dealt with when it has a finished answer or was skipped; a list or table still being
filled in (``partial``) does not count yet.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from osp_cli.exercises.model import Kind
from osp_cli.workbook import model
from osp_cli.workbook.model import CheckIn  # the one check-in type, shared

__all__ = ["CheckIn"]

if TYPE_CHECKING:
    from osp_cli.exercises.model import Exercise, Question


class Stage(enum.StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    DONE = "done"


@dataclass(frozen=True)
class Assignment:
    exercise_id: str
    session: int | str | None
    due: str | None
    imported: str | None = None  # when the assignment that set it was imported


@dataclass(frozen=True)
class ExerciseStatus:
    exercise_id: str
    title: str
    session: int | str
    minutes: int
    stage: Stage
    answered: int  # visible questions answered or skipped
    total: int  # visible questions
    assigned: bool
    due: str | None
    flagged: int
    entries: int = 0  # dated entries of a repeatable exercise (0 for other exercises)
    again: bool = False  # a repeatable one, finished, then set again: to do again

    @property
    def to_do(self) -> bool:
        """Set by the practitioner and still to do (not finished, or set again)."""
        return self.assigned and (self.stage is not Stage.DONE or self.again)

    @property
    def label(self) -> str:
        """'not started', 'in progress (3 of 8)', 'done' or 'to do again'."""
        if self.again:
            return "to do again"
        if self.stage is Stage.IN_PROGRESS:
            return f"in progress ({self.answered} of {self.total})"
        return self.stage.value


def partial_ids(payload: model.Payload, exercise_id: str) -> set[str]:
    state = model.exercise_state(payload, exercise_id)
    return set(state.partial) if state else set()


def finished_answers(payload: model.Payload, exercise_id: str) -> dict[str, Any]:
    """Answers that are complete (not a list or table still being filled in)."""
    partial = partial_ids(payload, exercise_id)
    return {
        qid: value
        for qid, value in model.answers_of(payload, exercise_id).items()
        if qid not in partial
    }


def dealt_with(payload: model.Payload, exercise_id: str) -> set[str]:
    """Question ids with a finished answer, or skipped."""
    state = model.exercise_state(payload, exercise_id)
    skipped = set(state.skipped) if state else set()
    return set(finished_answers(payload, exercise_id)) | skipped


def visible(exercise: Exercise, payload: model.Payload) -> list[Question]:
    return exercise.visible_questions(model.answers_of(payload, exercise.id))


def first_open_index(exercise: Exercise, payload: model.Payload) -> int:
    """Index (among visible questions) of the first one not yet dealt with; len if none."""
    done = dealt_with(payload, exercise.id)
    questions = visible(exercise, payload)
    for index, question in enumerate(questions):
        if question.id not in done:
            return index
    return len(questions)


def assignments(payload: model.Payload) -> dict[str, Assignment]:
    """Assigned exercise ids (newest assignment wins) with their due date."""
    found: dict[str, Assignment] = {}
    for entry in payload.assignments:
        due = entry.due or entry.next_session
        for exercise_id in entry.exercises:
            found[exercise_id] = Assignment(exercise_id, entry.session, due, entry.imported)
    return found


def _later(stamp: str | None, than: str | None) -> bool:
    """True when timestamp ``stamp`` is after ``than`` (False if either is unreadable)."""
    try:
        first = _dt.datetime.fromisoformat(stamp or "")
        second = _dt.datetime.fromisoformat(than or "")
        if (first.tzinfo is None) != (second.tzinfo is None):
            first, second = first.replace(tzinfo=None), second.replace(tzinfo=None)
        return first > second
    except ValueError:
        return False


def latest_assignment(payload: model.Payload) -> model.ImportedAssignment | None:
    """The newest assignment: the latest issued (the later import when two tie)."""
    entries = list(payload.assignments)
    if not entries:
        return None
    order = sorted(range(len(entries)), key=lambda i: (entries[i].issued, i))
    return entries[order[-1]]


def next_session(payload: model.Payload, today: _dt.date | None = None) -> str | None:
    """The next session date set by the newest assignment (ISO date), if it has one."""
    _ = today
    latest = latest_assignment(payload)
    return latest.next_session if latest is not None and latest.next_session else None


def latest_note(payload: model.Payload) -> str | None:
    """The note that came with the newest assignment, if it has one."""
    latest = latest_assignment(payload)
    return latest.note if latest is not None and latest.note else None


def status_of(
    exercise: Exercise, payload: model.Payload, assigned: Mapping[str, Assignment] | None = None
) -> ExerciseStatus:
    assigned = assignments(payload) if assigned is None else assigned
    state = model.exercise_state(payload, exercise.id)
    questions = visible(exercise, payload)
    done = dealt_with(payload, exercise.id)
    answered = sum(1 for q in questions if q.id in done)
    if state is not None and state.completed:
        stage = Stage.DONE
    elif state is not None:
        stage = Stage.IN_PROGRESS
    else:
        stage = Stage.NOT_STARTED
    assignment = assigned.get(exercise.id)
    # A diary finished, then set again by a later assignment: its stage stays "done" (a
    # summary reports what was done), but it is to do again.
    again = (
        exercise.repeatable
        and stage is Stage.DONE
        and assignment is not None
        and state is not None
        and _later(assignment.imported, state.completed)
    )
    return ExerciseStatus(
        exercise_id=exercise.id,
        title=exercise.title,
        session=exercise.session,
        minutes=exercise.minutes,
        stage=stage,
        answered=answered,
        total=len(questions),
        assigned=assignment is not None,
        due=assignment.due if assignment else None,
        flagged=len(state.flagged) if state else 0,
        entries=len(state.entries) if state and exercise.repeatable else 0,
        again=again,
    )


def statuses(
    exercises: Mapping[str, Exercise], payload: model.Payload, session: int | str | None = None
) -> list[ExerciseStatus]:
    """Status of every exercise (optionally one session), in programme order
    (session, then the exercise's ``order``, then id)."""
    assigned = assignments(payload)
    ordered = sorted(exercises.values(), key=lambda exercise: exercise.sort_key)
    return [
        status_of(exercise, payload, assigned)
        for exercise in ordered
        if session is None or exercise.session == session
    ]


def latest_assigned_session(payload: model.Payload) -> int | str | None:
    """The session of the newest assignment that names one."""
    for entry in reversed(payload.assignments):
        if entry.session is not None:
            return entry.session
    return None


def next_exercise(exercises: Mapping[str, Exercise], payload: model.Payload) -> str | None:
    """What to do next, in this order:

    1. work set by the practitioner and not finished;
    2. an unfinished exercise of the latest session he was set work for (one in
       progress first), so someone in session 2 is not steered back to session 1;
    3. any exercise in progress;
    4. the first one not started, in programme order (the evaluation last).
    """
    ordered = statuses(exercises, payload)
    latest = latest_assigned_session(payload)
    rules: tuple[Callable[[ExerciseStatus], bool], ...] = (
        lambda s: s.to_do,
        lambda s: latest is not None and s.session == latest and s.stage is Stage.IN_PROGRESS,
        lambda s: latest is not None and s.session == latest and s.stage is Stage.NOT_STARTED,
        lambda s: s.stage is Stage.IN_PROGRESS,
        lambda s: s.stage is Stage.NOT_STARTED and s.session != "evaluation",
        lambda s: s.stage is Stage.NOT_STARTED,
    )
    for wanted in rules:
        for status in ordered:
            if wanted(status):
                return status.exercise_id
    return None


@dataclass(frozen=True)
class SessionProgress:
    session: int | str
    label: str
    done: int
    in_progress: int
    total: int
    not_set: bool = False  # nothing set for this session yet, and nothing started in it
    set_total: int = 0  # exercises in this session set by the practitioner
    set_done: int = 0  # ...and how many of those are done


def by_session(exercises: Mapping[str, Exercise], payload: model.Payload) -> list[SessionProgress]:
    """Per session: how many done, in progress and in all. Once the practitioner has set
    any work, a session with nothing set and nothing started is ``not_set`` (shown as
    "not set yet" rather than a discouraging "0 of 5 done")."""
    rows: dict[int | str, list[ExerciseStatus]] = {}
    for status in statuses(exercises, payload):
        rows.setdefault(status.session, []).append(status)
    any_set = bool(assignments(payload))
    return [
        SessionProgress(
            session=session,
            label=f"Session {session}" if isinstance(session, int) else "Evaluation",
            done=sum(1 for s in items if s.stage is Stage.DONE),
            in_progress=sum(1 for s in items if s.stage is Stage.IN_PROGRESS),
            total=len(items),
            not_set=any_set and all(not s.assigned and s.stage is Stage.NOT_STARTED for s in items),
            set_total=sum(1 for s in items if s.assigned),
            set_done=sum(1 for s in items if s.assigned and not s.to_do),
        )
        for session, items in rows.items()
    ]


def checkins(payload: model.Payload) -> list[CheckIn]:
    return list(payload.checkins)


@dataclass(frozen=True, slots=True)
class EntryRatings:
    """One scale question of a repeatable exercise, answered in its dated entries."""

    exercise_id: str
    title: str
    prompt: str
    low: int
    high: int
    points: tuple[tuple[int, str, int], ...]  # (entry number, started, value), oldest first


def entry_ratings(exercises: Mapping[str, Exercise], payload: model.Payload) -> list[EntryRatings]:
    """The scale answers of every repeatable exercise's entries over time, in programme
    order (exercises with no rated entry are left out)."""
    found = []
    for exercise in sorted(exercises.values(), key=lambda e: e.sort_key):
        state = model.exercise_state(payload, exercise.id)
        if not exercise.repeatable or state is None:
            continue
        for question in exercise.questions:
            if question.kind is not Kind.SCALE:
                continue
            points = tuple(
                (entry.number, entry.started, value)
                for entry in sorted(state.entries, key=lambda e: e.number)
                if type(value := entry.values().get(question.id)) is int
            )
            if points:
                low, high = question.min or 0, question.max or 10
                found.append(
                    EntryRatings(exercise.id, exercise.title, question.prompt, low, high, points)
                )
    return found


HIGH_RATING = 7


def is_high(feeling: int, urge: int) -> bool:
    """A check-in high enough to show the support panel and offer to stop."""
    return feeling >= HIGH_RATING or urge >= HIGH_RATING
