"""The summary a participant exports: a versioned JSON model, built and parsed strictly.

``SCHEMA_VERSION`` is pinned by a contract test; change it (and docs/formats.md) whenever
a key is added, removed or changes meaning. The JSON shape::

    {
      "schema_version": 2,
      "type": "osp-summary",
      "created": ISO time, "osp_version": str,
      "participant_ref": str, "session": int | null, "next_session": "YYYY-MM-DD" | null,
      "note": str,
      "flagged": [{"exercise_id", "question_id", "entry"}],   # entry: number or null
      "exercises": [{"id", "title", "session", "version", "status", "answered", "total",
                     "started", "completed", "reflection_prompt", "reflection",
                     "repeatable", "measure", "number",
                     "questions": [{"id", "kind", "prompt", "answer", "skipped", "flagged",
                                    "choices", "rows", "columns", "min", "max", "labels"}],
                     "entries": [the same shape, one per dated entry, newest first]}],
      "checkins": [{"at", "feeling", "urge", "note", "context", "self_harm"}],
      "plan": [{"section", "heading", "items": [{"text", "exercise_id", "question_id"}]}]
    }

Everything in it that a person wrote is untrusted text: renderers show it only through
``osp_cli.ui.safe``.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from osp_cli import limits
from osp_cli.errors import DamagedFile
from osp_cli.workbook import model, progress
from osp_cli.workbook.model import CheckIn  # the one check-in type, shared
from osp_cli.workbook.plan import build_plan

if TYPE_CHECKING:
    from osp_cli.exchange.pins import Sender
    from osp_cli.exercises.model import Exercise
    from osp_cli.workbook.model import Entry, Payload

SCHEMA_VERSION = 2
TYPE = "osp-summary"
KINDS = ("text", "long_text", "choice", "choices", "scale", "yes_no", "list", "table")
STATUSES = ("not started", "in progress", "done")
MAX_TEXT = limits.EXERCISE_TEXT_CHARS  # any string not covered by a limit of its own

TOP_KEYS = (
    "schema_version",
    "type",
    "created",
    "osp_version",
    "participant_ref",
    "session",
    "next_session",
    "note",
    "flagged",
    "exercises",
    "checkins",
    "plan",
)
EXERCISE_KEYS = (
    "id",
    "title",
    "session",
    "version",
    "status",
    "answered",
    "total",
    "started",
    "completed",
    "reflection_prompt",
    "reflection",
    "repeatable",
    "measure",
    "number",
    "questions",
    "entries",
)
#: Version 1 had no diaries: no repeatable, measure, number or entries.
EXERCISE_KEYS_V1 = tuple(
    k for k in EXERCISE_KEYS if k not in ("repeatable", "measure", "number", "entries")
)
READS = (1, 2)  # summary versions this osp reads (it writes SCHEMA_VERSION)
QUESTION_KEYS = (
    "id",
    "kind",
    "prompt",
    "answer",
    "skipped",
    "flagged",
    "choices",
    "rows",
    "columns",
    "min",
    "max",
    "labels",
)
CHECKIN_KEYS = ("at", "feeling", "urge", "note", "context", "self_harm")
OLD_CHECKIN_KEYS = CHECKIN_KEYS[:-1]  # summaries written before the self-harm question
PLAN_KEYS = ("section", "heading", "items")
PLAN_ITEM_KEYS = ("text", "exercise_id", "question_id")

Answer = str | int | bool | list[str] | dict[str, dict[str, str]] | None


@dataclass(frozen=True, slots=True)
class QuestionEntry:
    id: str
    kind: str
    prompt: str
    answer: Answer
    skipped: bool = False
    flagged: bool = False
    choices: tuple[str, ...] = ()
    rows: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None
    labels: Mapping[int, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "prompt": self.prompt,
            "answer": self.answer,
            "skipped": self.skipped,
            "flagged": self.flagged,
            "choices": list(self.choices),
            "rows": list(self.rows),
            "columns": list(self.columns),
            "min": self.min,
            "max": self.max,
            "labels": {str(k): v for k, v in sorted(self.labels.items())},
        }


@dataclass(frozen=True, slots=True)
class ExerciseEntry:
    id: str
    title: str
    session: int | str
    version: int
    status: str
    answered: int
    total: int
    started: str | None
    completed: str | None
    reflection_prompt: str
    reflection: str | None
    questions: tuple[QuestionEntry, ...]
    repeatable: bool = False
    measure: bool = False  # a before-and-after measure (docs/evaluation-codebook.md)
    number: int | None = None  # for one entry of a repeatable exercise: its number
    # A repeatable exercise: its exported dated entries, newest first, each in this same
    # shape (with ``number`` set and no entries of its own); its own questions are empty.
    entries: tuple[ExerciseEntry, ...] = ()

    @property
    def session_label(self) -> str:
        return f"Session {self.session}" if isinstance(self.session, int) else "Evaluation"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "session": self.session,
            "version": self.version,
            "status": self.status,
            "answered": self.answered,
            "total": self.total,
            "started": self.started,
            "completed": self.completed,
            "reflection_prompt": self.reflection_prompt,
            "reflection": self.reflection,
            "repeatable": self.repeatable,
            "measure": self.measure,
            "number": self.number,
            "questions": [q.to_json() for q in self.questions],
            "entries": [e.to_json() for e in self.entries],
        }

    def parts(self) -> tuple[ExerciseEntry, ...]:
        """What holds answers: the dated entries of a repeatable exercise, else itself."""
        return self.entries if self.repeatable else (self,)


@dataclass(frozen=True, slots=True)
class PlanItem:
    text: str
    exercise_id: str
    question_id: str


@dataclass(frozen=True, slots=True)
class PlanSection:
    section: str
    heading: str
    items: tuple[PlanItem, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "heading": self.heading,
            "items": [
                {"text": i.text, "exercise_id": i.exercise_id, "question_id": i.question_id}
                for i in self.items
            ],
        }


@dataclass(frozen=True, slots=True)
class Flagged:
    """One flagged answer, with the exercise it belongs to."""

    exercise: ExerciseEntry
    question: QuestionEntry


@dataclass(frozen=True, slots=True)
class Summary:
    created: str
    osp_version: str
    participant_ref: str
    session: int | None
    next_session: str | None
    note: str
    exercises: tuple[ExerciseEntry, ...]
    checkins: tuple[CheckIn, ...]
    plan: tuple[PlanSection, ...]
    #: Who sent it, as the practitioner's osp judged it when opening the sealed file
    #: (see osp_cli.exchange.pins). Not part of the signed JSON; None on the
    #: participant's side.
    sender: Sender | None = None

    @property
    def flagged(self) -> list[Flagged]:
        return [
            Flagged(part, q)
            for e in self.exercises
            for part in e.parts()
            for q in part.questions
            if q.flagged
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "type": TYPE,
            "created": self.created,
            "osp_version": self.osp_version,
            "participant_ref": self.participant_ref,
            "session": self.session,
            "next_session": self.next_session,
            "note": self.note,
            "flagged": [
                {
                    "exercise_id": f.exercise.id,
                    "question_id": f.question.id,
                    "entry": f.exercise.number,
                }
                for f in self.flagged
            ],
            "exercises": [e.to_json() for e in self.exercises],
            "checkins": [c.to_json() for c in self.checkins],
            "plan": [p.to_json() for p in self.plan],
        }

    def to_bytes(self) -> bytes:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=1).encode()

    def texts(self) -> Iterable[tuple[str, str, str]]:
        """Every piece of participant-written text as (exercise id, question id, text)."""
        yield ("", "note", self.note)
        for exercise in self.exercises:
            for part in exercise.parts():
                for question in part.questions:
                    for text in answer_strings(question.answer):
                        yield (exercise.id, question.id, text)
                if part.reflection:
                    yield (exercise.id, "_reflection", part.reflection)
        for checkin in self.checkins:
            if checkin.note:
                yield ("", "check-in", checkin.note)


def over_limits(summary: Summary) -> list[tuple[str, str, str]]:
    """(exercise id, question id, message) for each text over its limit in
    osp_cli/limits.py: the export refuses such a summary, as every reader would."""
    found: list[tuple[str, str, str]] = []

    def check(exercise_id: str, question_id: str, text: str, limit: int, what: str) -> None:
        if len(text) > limit:
            where = f" ({exercise_id}, {question_id})" if exercise_id else ""
            message = f"{what}{where}: {len(text):,} characters, up to {limit:,} can be sent"
            found.append((exercise_id, question_id, message))

    check("", "note", summary.note, limits.NOTE_CHARS, "Your note")
    for exercise in summary.exercises:
        for q in exercise.questions:
            answer = q.answer
            if isinstance(answer, str):
                check(exercise.id, q.id, answer, limits.ANSWER_CHARS, "An answer")
            elif isinstance(answer, list) and q.kind == "list":
                for item in answer:
                    check(exercise.id, q.id, item, limits.LIST_ITEM_CHARS, "A list item")
            elif isinstance(answer, dict):
                for cells in answer.values():
                    for cell in cells.values():
                        check(exercise.id, q.id, cell, limits.TABLE_CELL_CHARS, "A table box")
        if exercise.reflection:
            check(
                exercise.id, "_reflection", exercise.reflection, limits.ANSWER_CHARS, "A reflection"
            )
    for checkin in summary.checkins:
        check("", "check-in", checkin.note, limits.ANSWER_CHARS, "A check-in note")
    return found


def answer_strings(answer: Answer) -> list[str]:
    """The free text inside an answer (list items, table cells...)."""
    if isinstance(answer, str):
        return [answer]
    if isinstance(answer, list):
        return [str(item) for item in answer]
    if isinstance(answer, dict):
        return [str(cell) for cells in answer.values() for cell in cells.values()]
    return []


# --- building from a workbook --------------------------------------------------------


def build(
    payload: Payload,
    exercises: Mapping[str, Exercise],
    chosen: Sequence[str],
    note: str,
    *,
    osp_version: str,
    now: str | None = None,
    include_checkins: bool = True,
    include_plan: bool = True,
    entries: Mapping[str, Sequence[int]] | None = None,
) -> Summary:
    """The summary of the chosen exercises, plus (unless left out) all check-ins and the
    whole plan. For a repeatable exercise, ``entries`` names the entry numbers to include
    (all of them when it does not name the exercise)."""
    exported = []
    for exercise_id in chosen:
        exercise = exercises[exercise_id]
        state = model.exercise_state(payload, exercise_id)
        status = progress.status_of(exercise, payload)
        if exercise.repeatable:
            wanted = set(entries[exercise_id]) if entries and exercise_id in entries else None
            parts = tuple(
                _entry(exercise, entry, number=entry.number)
                for entry in (state.newest_first() if state else [])
                if wanted is None or entry.number in wanted
            )
            exported.append(
                ExerciseEntry(
                    id=exercise.id,
                    title=exercise.title,
                    session=exercise.session,
                    version=exercise.version,
                    status=status.stage.value,
                    answered=sum(p.answered for p in parts),
                    total=sum(p.total for p in parts),
                    started=parts[-1].started if parts else None,
                    completed=parts[0].completed if parts else None,
                    reflection_prompt=exercise.reflection,
                    reflection=None,
                    questions=(),
                    repeatable=True,
                    measure=exercise.measure,
                    entries=parts,
                )
            )
        else:
            one = _entry(exercise, state.current if state else None)
            exported.append(
                dataclasses.replace(
                    one, status=status.stage.value, answered=status.answered, total=status.total
                )
            )
    checkins = tuple(_fits(c) for c in payload.checkins) if include_checkins else ()
    plan = build_plan(exercises, payload)
    sections = tuple(
        PlanSection(
            part.section,
            part.heading,
            tuple(PlanItem(i.text, i.exercise_id, i.question_id) for i in part.items),
        )
        for part in (plan.parts if include_plan else [])
    )
    numbers = [a.session for a in payload.assignments if a.session is not None]
    return Summary(
        created=now or _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        osp_version=osp_version,
        participant_ref=payload.participant_ref or "",
        session=numbers[-1] if numbers else None,
        next_session=progress.next_session(payload),
        note=note,
        exercises=tuple(exported),
        checkins=checkins,
        plan=sections,
    )


_CUT = " [cut: too long to send]"


def _fits(checkin: CheckIn) -> CheckIn:
    """A check-in note cannot be edited, so one written before notes had a limit is cut
    (in the summary only; the workbook keeps it whole) rather than block every export."""
    if len(checkin.note) <= limits.ANSWER_CHARS:
        return checkin

    return replace(checkin, note=checkin.note[: limits.ANSWER_CHARS - len(_CUT)] + _CUT)


def _entry(exercise: Exercise, entry: Entry | None, number: int | None = None) -> ExerciseEntry:
    """One run through an exercise (the whole of an ordinary exercise, or one dated entry
    of a repeatable one) in summary form."""
    answers = entry.values() if entry else {}
    partial = set(entry.partial) if entry else set()
    flagged = set(entry.flagged) if entry else set()
    skipped = set(entry.skipped) if entry else set()
    visible = exercise.visible_questions(answers)
    done = skipped | {qid for qid in answers if qid not in partial}
    answered = sum(1 for q in visible if q.id in done)
    if entry is None:
        status = "not started"
    elif entry.completed:
        status = "done"
    else:
        status = "in progress"
    return ExerciseEntry(
        id=exercise.id,
        title=exercise.title,
        session=exercise.session,
        version=exercise.version,
        status=status,
        answered=answered,
        total=len(visible),
        started=entry.started if entry else None,
        completed=entry.completed if entry else None,
        reflection_prompt=exercise.reflection,
        reflection=entry.reflection if entry else None,
        repeatable=exercise.repeatable,
        measure=exercise.measure,
        number=number,
        questions=tuple(
            QuestionEntry(
                id=q.id,
                kind=q.kind.value,
                prompt=q.prompt,
                answer=_answer(answers.get(q.id)),
                skipped=q.id in skipped,
                flagged=q.id in flagged,
                choices=tuple(q.choices),
                rows=tuple(q.rows),
                columns=tuple(q.columns),
                min=q.min if q.kind.value == "scale" else None,
                max=q.max if q.kind.value == "scale" else None,
                labels=dict(q.labels),
            )
            for q in visible
        ),
    )


def _answer(value: object) -> Answer:
    if value is None or isinstance(value, str | int | bool):
        return value
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, Mapping):
        return {
            str(row): {str(c): str(v) for c, v in cells.items()}
            for row, cells in value.items()
            if isinstance(cells, Mapping)
        }
    return str(value)


# --- parsing (strict: a sealed summary may have been made by anyone with the key) ------


class _Bad(Exception):
    pass


# Key sets compared with a dict's keys in one step (``dict.keys() == frozenset``).
_QUESTION_SET = frozenset(QUESTION_KEYS)
_EXERCISE_SET = frozenset(EXERCISE_KEYS)
_EXERCISE_SET_V1 = frozenset(EXERCISE_KEYS_V1)
_CHECKIN_SET = frozenset(CHECKIN_KEYS)
_OLD_CHECKIN_SET = frozenset(OLD_CHECKIN_KEYS)
_PLAN_SET = frozenset(PLAN_KEYS)
_PLAN_ITEM_SET = frozenset(PLAN_ITEM_KEYS)
_TOP_SET = frozenset(TOP_KEYS)
_SCALE_BOUND = 10**6
_ANSWER_LIST_CHARS = max(limits.LIST_ITEM_CHARS, limits.EXERCISE_TEXT_CHARS)


def _obj(value: Any, keys: frozenset[str]) -> dict[str, Any]:
    if not isinstance(value, dict) or value.keys() != keys:
        raise _Bad("unexpected keys")
    return value


def _str(value: Any, *, optional: bool = False, limit: int = MAX_TEXT) -> Any:
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise _Bad("expected text")
    return value


def _int(value: Any, *, optional: bool = False, low: int = 0, high: int = 10**9) -> Any:
    if value is None and optional:
        return None
    if type(value) is not int or not low <= value <= high:
        raise _Bad("expected a number")
    return value


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise _Bad("expected true or false")
    return value


def _strs(value: Any, limit: int = MAX_TEXT) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _Bad("expected a list")
    for item in value:  # one loop, no call per item: the parser's hottest path
        if not isinstance(item, str) or len(item) > limit:
            raise _Bad("expected text")
    return tuple(value)


def _parse_answer(value: Any) -> Answer:
    kind = type(value)
    if kind is str:
        if len(value) > limits.ANSWER_CHARS:
            raise _Bad("expected text")
        return value  # type: ignore[no-any-return]
    if value is None or kind is int or kind is bool:
        return value  # type: ignore[no-any-return]
    if isinstance(value, list):
        # List items, or the options picked in a 'choices' question (author text, which
        # may be as long as any exercise text).
        return list(_strs(value, _ANSWER_LIST_CHARS))
    if isinstance(value, dict):
        table: dict[str, dict[str, str]] = {}
        cell_limit = limits.TABLE_CELL_CHARS
        for row, cells in value.items():
            if not isinstance(cells, dict):
                raise _Bad("expected a table")
            for c, v in cells.items():
                if not isinstance(c, str) or len(c) > MAX_TEXT:
                    raise _Bad("expected text")
                if not isinstance(v, str) or len(v) > cell_limit:
                    raise _Bad("expected text")
            table[_str(row)] = dict(cells)
        return table
    raise _Bad("unexpected answer")


def _bound(value: Any) -> int | None:
    """A scale's optional ``min`` or ``max``."""
    if value is None:
        return None
    if type(value) is not int or not -_SCALE_BOUND <= value <= _SCALE_BOUND:
        raise _Bad("expected a number")
    return value


def _question(value: Any) -> QuestionEntry:
    # The parser's hottest function (a summary holds a hundred questions or more): the
    # usual checks are written out here rather than called.
    if not isinstance(value, dict) or value.keys() != _QUESTION_SET:
        raise _Bad("unexpected keys")
    data = value
    kind, qid, prompt = data["kind"], data["id"], data["prompt"]
    if kind not in KINDS:
        raise _Bad("unknown kind")
    if type(qid) is not str or len(qid) > MAX_TEXT:
        raise _Bad("expected text")
    if type(prompt) is not str or len(prompt) > MAX_TEXT:
        raise _Bad("expected text")
    labels = data["labels"]
    if not isinstance(labels, dict):
        raise _Bad("expected labels")
    skipped, flagged = data["skipped"], data["flagged"]
    if type(skipped) is not bool or type(flagged) is not bool:
        raise _Bad("expected true or false")
    choices, rows, columns = data["choices"], data["rows"], data["columns"]
    low, high = data["min"], data["max"]
    return QuestionEntry(
        qid,
        kind,
        prompt,
        _parse_answer(data["answer"]),
        skipped,
        flagged,
        () if choices == [] else _strs(choices),
        () if rows == [] else _strs(rows),
        () if columns == [] else _strs(columns),
        None if low is None else _bound(low),
        None if high is None else _bound(high),
        _labels(labels) if labels else {},
    )


def _labels(labels: dict[Any, Any]) -> dict[int, str]:
    """A scale's labels: whole-number keys (written as text in JSON) to text."""
    found: dict[int, str] = {}
    for key, text in labels.items():
        if type(key) is not str or len(key) > MAX_TEXT:
            raise _Bad("expected text")
        if type(text) is not str or len(text) > MAX_TEXT:
            raise _Bad("expected text")
        found[int(key)] = text
    return found


def _exercise(value: Any, *, inner: bool = False, version: int = SCHEMA_VERSION) -> ExerciseEntry:
    """One exported exercise; ``inner`` for one dated entry inside a repeatable one."""
    if version == 1:
        old = _obj(value, _EXERCISE_SET_V1)
        value = {**old, "repeatable": False, "measure": False, "number": None, "entries": []}
    data = _obj(value, _EXERCISE_SET)
    session = data["session"]
    if session != "evaluation":
        _int(session, low=1, high=6)
    if data["status"] not in STATUSES:
        raise _Bad("unknown status")
    if not isinstance(data["questions"], list) or not isinstance(data["entries"], list):
        raise _Bad("expected questions and entries")
    repeatable = _bool(data["repeatable"])
    number = _int(data["number"], optional=True, low=1)
    if inner and (number is None or data["entries"]):
        raise _Bad("an entry has a number and no entries of its own")
    if not inner and (number is not None or (data["entries"] and not repeatable)):
        raise _Bad("only a repeatable exercise has entries")
    if repeatable and not inner and data["questions"]:
        raise _Bad("a repeatable exercise keeps its answers in its entries")
    return ExerciseEntry(
        id=_str(data["id"]),
        title=_str(data["title"]),
        session=session,
        version=_int(data["version"]),
        status=data["status"],
        answered=_int(data["answered"]),
        total=_int(data["total"]),
        started=_str(data["started"], optional=True),
        completed=_str(data["completed"], optional=True),
        reflection_prompt=_str(data["reflection_prompt"]),
        reflection=_str(data["reflection"], optional=True, limit=limits.ANSWER_CHARS),
        questions=tuple(_question(q) for q in data["questions"]),
        repeatable=repeatable,
        measure=_bool(data["measure"]),
        number=number,
        entries=tuple(_exercise(e, inner=True) for e in data["entries"]),
    )


def _checkin(value: Any) -> CheckIn:
    old = isinstance(value, dict) and "self_harm" not in value
    data = _obj(value, _OLD_CHECKIN_SET if old else _CHECKIN_SET)
    self_harm = data.get("self_harm")
    if self_harm is not None and not isinstance(self_harm, bool):
        raise _Bad("expected true, false or null")
    return CheckIn(
        at=_str(data["at"]),
        feeling=_int(data["feeling"], high=10),
        urge=_int(data["urge"], high=10),
        note=_str(data["note"], limit=limits.ANSWER_CHARS),  # older notes had no limit
        context=_str(data["context"]),
        self_harm=self_harm,
    )


def _plan(value: Any) -> PlanSection:
    data = _obj(value, _PLAN_SET)
    if not isinstance(data["items"], list):
        raise _Bad("expected items")
    items = []
    for raw in data["items"]:
        item = _obj(raw, _PLAN_ITEM_SET)
        items.append(
            PlanItem(_str(item["text"]), _str(item["exercise_id"]), _str(item["question_id"]))
        )
    return PlanSection(_str(data["section"]), _str(data["heading"]), tuple(items))


def _flagged(summary: Summary, version: int) -> list[dict[str, Any]]:
    """The ``flagged`` list as :meth:`Summary.to_json` writes it (version 1: no entry)."""
    if version == 1:
        return [
            {"exercise_id": f.exercise.id, "question_id": f.question.id} for f in summary.flagged
        ]
    return [
        {"exercise_id": f.exercise.id, "question_id": f.question.id, "entry": f.exercise.number}
        for f in summary.flagged
    ]


def _same(expected: list[dict[str, Any]], given: list[Any]) -> bool:
    """``given == expected`` with the same types too (``true`` is not the entry number 1)."""
    return given == expected and all(
        type(value) is type(mine[key])  # given == expected: the same keys, all dicts
        for mine, theirs in zip(expected, given, strict=True)
        for key, value in theirs.items()
    )


def from_json(data: Any) -> Summary:
    """A :class:`Summary` from its JSON form; DamagedFile if anything is out of shape."""
    try:
        top = _obj(data, _TOP_SET)
        if top["type"] != TYPE:
            raise _Bad("not a summary")
        version = top["schema_version"]
        if version not in READS or type(version) is not int:
            raise DamagedFile(
                "This summary was written by a newer or older version of osp, "
                "which this version cannot read.",
                hint="Update osp on this computer and try again.",
            )
        for key in ("exercises", "checkins", "plan", "flagged"):
            if not isinstance(top[key], list):
                raise _Bad(key)
        summary = Summary(
            created=_str(top["created"]),
            osp_version=_str(top["osp_version"]),
            participant_ref=_str(top["participant_ref"]),
            session=_int(top["session"], optional=True, low=1, high=6),
            next_session=_str(top["next_session"], optional=True),
            note=_str(top["note"], limit=limits.NOTE_CHARS),
            exercises=tuple(_exercise(e, version=version) for e in top["exercises"]),
            checkins=tuple(_checkin(c) for c in top["checkins"]),
            plan=tuple(_plan(p) for p in top["plan"]),
        )
        if not _same(_flagged(summary, version), top["flagged"]):
            raise _Bad("flagged items do not match the answers")
    except (_Bad, ValueError, TypeError) as exc:
        raise DamagedFile(
            "This summary cannot be read: its contents are not in the expected form.",
            hint="Ask the participant to export it again.",
        ) from exc
    return summary


def from_bytes(raw: bytes) -> Summary:
    if len(raw) > limits.SUMMARY_BYTES:  # before parsing: memory stays bounded
        raise DamagedFile(
            "This summary cannot be read: it is larger than any summary osp writes.",
            hint="Ask the participant to export it again, with fewer exercises at a time.",
        )
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # deep nesting too
        raise DamagedFile(
            "This summary cannot be read: its contents are not valid.",
            hint="Ask the participant to export it again.",
        ) from exc
    return from_json(data)
