"""The decrypted workbook as typed records, and the changes that can be made to it.

The vault encrypts plain JSON; this module is the one place that turns that JSON into
records (:func:`from_dict`, running any :data:`MIGRATIONS` first) and back
(:meth:`Payload.to_dict`, always the newest :data:`SCHEMA`). docs/vault-format.md
documents the JSON field by field.

Every change is a callable ``Payload -> None`` so that the vault can apply it to the
newest copy under the lock: two processes never lose each other's answers. The helpers
below (``set_answer``, ``skip``, ``set_flag``...) build :class:`Edit` changes, made of
small operations that the vault saves as one journal record each and that are replayed,
by the same code, when the journal is read (docs/vault-format.md, "The journal").

An exercise's state holds one or more **entries**: one run through the exercise, with
its answers, skips, flags and closing reflection. An ordinary exercise has exactly one
entry. A repeatable exercise (a diary) gets a new dated entry each time it is done; the
last entry is the one being worked on (or the most recent one, once finished).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from osp_cli.errors import DamagedFile

SCHEMA = 2
REFLECTION_ID = "_reflection"

#: What an answer holds: text, a choice, a number, yes/no, a list, or a table
#: (row → column → cell).
Value = str | int | bool | list[str] | dict[str, dict[str, str]]


def now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


class PayloadError(ValueError):
    """The decrypted payload is not in the expected shape (never contains answer text)."""


# --- reading helpers (the payload is authenticated, but still checked) ------------------


def _need(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], what: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise PayloadError(f"{what}: '{key}' is missing or of the wrong type")
    return value


def _opt_str(data: Mapping[str, Any], key: str, what: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise PayloadError(f"{what}: '{key}' is of the wrong type")
    return value


def _str_list(data: Mapping[str, Any], key: str, what: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PayloadError(f"{what}: '{key}' is not a list of ids")
    return list(value)


def _obj(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise PayloadError(f"{what} is not an object")
    return value


# --- the records ---------------------------------------------------------------------


@dataclass
class Answer:
    """One finished (or, for a list or table, partly built) answer and when it was given."""

    value: Value
    at: str

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "at": self.at}

    @classmethod
    def from_dict(cls, data: Any) -> Answer:
        data = _obj(data, "an answer")
        if "value" not in data:
            raise PayloadError("an answer has no value")
        return cls(value=data["value"], at=_need(data, "at", str, "an answer"))


@dataclass
class Entry:
    """One run through an exercise: its answers, skips, flags and closing reflection."""

    number: int  # 1, 2, 3... in the order the runs were started
    started: str
    updated: str
    completed: str | None = None
    answers: dict[str, Answer] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)  # lists/tables still being filled in
    reflection: str | None = None

    def values(self) -> dict[str, Value]:
        """question id → answer value."""
        return {qid: answer.value for qid, answer in self.answers.items()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "started": self.started,
            "updated": self.updated,
            "completed": self.completed,
            "answers": {qid: a.to_dict() for qid, a in self.answers.items()},
            "skipped": list(self.skipped),
            "flagged": list(self.flagged),
            "partial": list(self.partial),
            "reflection": self.reflection,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Entry:
        what = "an exercise entry"
        data = _obj(data, what)
        answers = _obj(data.get("answers", {}), "answers")
        return cls(
            number=_need(data, "number", int, what),
            started=_need(data, "started", str, what),
            updated=_need(data, "updated", str, what),
            completed=_opt_str(data, "completed", what),
            answers={str(qid): Answer.from_dict(a) for qid, a in answers.items()},
            skipped=_str_list(data, "skipped", what),
            flagged=_str_list(data, "flagged", what),
            partial=_str_list(data, "partial", what),
            reflection=_opt_str(data, "reflection", what),
        )


@dataclass
class ExerciseState:
    """Everything kept for one exercise: its entries (never empty; the last is the
    current one) and the text typed into a question but not yet submitted."""

    version: int
    entries: list[Entry]
    drafts: dict[str, str] = field(default_factory=dict)  # question id → unsubmitted text

    @property
    def current(self) -> Entry:
        return self.entries[-1]

    # Read-only views of the current entry, for the common case of one entry.
    @property
    def answers(self) -> dict[str, Answer]:
        return self.current.answers

    @property
    def skipped(self) -> list[str]:
        return self.current.skipped

    @property
    def flagged(self) -> list[str]:
        return self.current.flagged

    @property
    def partial(self) -> list[str]:
        return self.current.partial

    @property
    def reflection(self) -> str | None:
        return self.current.reflection

    @property
    def started(self) -> str:
        return self.current.started

    @property
    def updated(self) -> str:
        return max(entry.updated for entry in self.entries)

    @property
    def completed(self) -> str | None:
        return self.current.completed

    def entry(self, number: int) -> Entry | None:
        for entry in self.entries:
            if entry.number == number:
                return entry
        return None

    def newest_first(self) -> list[Entry]:
        return sorted(self.entries, key=lambda e: e.number, reverse=True)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "entries": [entry.to_dict() for entry in self.entries],
            "drafts": dict(self.drafts),
        }

    @classmethod
    def from_dict(cls, data: Any) -> ExerciseState:
        what = "an exercise"
        data = _obj(data, what)
        entries = _need(data, "entries", list, what)
        if not entries:
            raise PayloadError("an exercise has no entries")
        drafts = _obj(data.get("drafts", {}), "drafts")
        if not all(isinstance(v, str) for v in drafts.values()):
            raise PayloadError("a draft is not text")
        return cls(
            version=_need(data, "version", int, what),
            entries=[Entry.from_dict(e) for e in entries],
            drafts={str(k): v for k, v in drafts.items()},
        )


@dataclass(frozen=True, slots=True)
class CheckIn:
    """One check-in: distress (``feeling``) and urge, 0-10, with an optional note.

    ``self_harm`` is the answer to the optional question about thoughts of suicide or
    self-harm (asked after a high distress rating): None when it was not asked or not
    answered.
    """

    at: str
    feeling: int
    urge: int
    note: str
    context: str  # "manual", "before:<exercise id>" or "after:<exercise id>"
    self_harm: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        """The workbook form (every field)."""
        return {
            "at": self.at,
            "feeling": self.feeling,
            "urge": self.urge,
            "note": self.note,
            "context": self.context,
            "self_harm": self.self_harm,
        }

    def to_json(self) -> dict[str, Any]:
        """The summary form (docs/formats.md). The self-harm answer goes with it, so his
        practitioner sees it first (he is told so when the question is asked)."""
        return self.to_dict()

    @classmethod
    def from_dict(cls, data: Any) -> CheckIn:
        what = "a check-in"
        data = _obj(data, what)
        feeling = _need(data, "feeling", int, what)
        urge = _need(data, "urge", int, what)
        if not (0 <= feeling <= 10 and 0 <= urge <= 10):
            raise PayloadError("a check-in rating is outside 0-10")
        self_harm = data.get("self_harm")
        if self_harm is not None and not isinstance(self_harm, bool):
            raise PayloadError("a check-in's self_harm is of the wrong type")
        return cls(
            at=_need(data, "at", str, what),
            feeling=feeling,
            urge=urge,
            note=_opt_str(data, "note", what) or "",
            context=_opt_str(data, "context", what) or "manual",
            self_harm=self_harm,
        )


@dataclass(frozen=True, slots=True)
class ImportedAssignment:
    """A signed assignment that was imported: what was set, for which session, by when."""

    id: str
    sequence: int  # grows with each assignment: an older one is never imported again
    issued: str
    session: int | None
    exercises: tuple[str, ...]
    due: str | None
    next_session: str | None
    note: str
    imported: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "sequence": self.sequence,
            "issued": self.issued,
            "session": self.session,
            "exercises": list(self.exercises),
            "due": self.due,
            "next_session": self.next_session,
            "note": self.note,
            "imported": self.imported,
        }

    @classmethod
    def from_dict(cls, data: Any) -> ImportedAssignment:
        what = "an assignment"
        data = _obj(data, what)
        session = data.get("session")
        if session is not None and (not isinstance(session, int) or isinstance(session, bool)):
            raise PayloadError("an assignment's session is of the wrong type")
        return cls(
            id=_need(data, "id", str, what),
            sequence=_need(data, "sequence", int, what),
            issued=_need(data, "issued", str, what),
            session=session,
            exercises=tuple(_str_list(data, "exercises", what)),
            due=_opt_str(data, "due", what),
            next_session=_opt_str(data, "next_session", what),
            note=_opt_str(data, "note", what) or "",
            imported=_need(data, "imported", str, what),
        )


@dataclass(frozen=True, slots=True)
class PractitionerPin:
    """The practitioner's public keys, pinned at the first import (base64)."""

    x25519: str
    ed25519: str
    fingerprint: str
    pinned: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "x25519": self.x25519,
            "ed25519": self.ed25519,
            "fingerprint": self.fingerprint,
            "pinned": self.pinned,
        }

    @classmethod
    def from_dict(cls, data: Any) -> PractitionerPin:
        what = "the practitioner's keys"
        data = _obj(data, what)
        return cls(**{key: _need(data, key, str, what) for key in cls.__slots__})


@dataclass(frozen=True, slots=True)
class ExportRecord:
    """One export: when, which exercises, and for repeatable ones which entry numbers."""

    at: str
    exercises: tuple[str, ...]
    entries: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "exercises": list(self.exercises),
            "entries": {eid: list(numbers) for eid, numbers in self.entries.items()},
        }

    @classmethod
    def from_dict(cls, data: Any) -> ExportRecord:
        what = "an export record"
        data = _obj(data, what)
        entries: dict[str, tuple[int, ...]] = {}
        for eid, numbers in _obj(data.get("entries", {}), "exported entries").items():
            if not isinstance(numbers, list) or not all(
                isinstance(n, int) and not isinstance(n, bool) for n in numbers
            ):
                raise PayloadError("exported entry numbers are of the wrong type")
            entries[str(eid)] = tuple(numbers)
        return cls(
            at=_need(data, "at", str, what),
            exercises=tuple(_str_list(data, "exercises", what)),
            entries=entries,
        )


@dataclass
class Payload:
    """The whole decrypted workbook."""

    created: str
    participant_ref: str | None = None  # set by the first imported assignment
    practitioner: PractitionerPin | None = None
    assignments: list[ImportedAssignment] = field(default_factory=list)
    custom_exercises: dict[str, str] = field(default_factory=dict)  # id → TOML text
    exercises: dict[str, ExerciseState] = field(default_factory=dict)
    checkins: list[CheckIn] = field(default_factory=list)
    exports: list[ExportRecord] = field(default_factory=list)
    #: The workbook's own Ed25519 private key (base64), which signs every summary (see
    #: osp_cli/workbook/identity.py). None only in a workbook made before signing.
    signing_key: str | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "created": self.created,
            "participant_ref": self.participant_ref,
            "practitioner": self.practitioner.to_dict() if self.practitioner else None,
            "assignments": [a.to_dict() for a in self.assignments],
            "custom_exercises": dict(self.custom_exercises),
            "exercises": {eid: s.to_dict() for eid, s in self.exercises.items()},
            "checkins": [c.to_dict() for c in self.checkins],
            "exports": [e.to_dict() for e in self.exports],
            "signing_key": self.signing_key,
        }


def from_dict(raw: Mapping[str, Any]) -> Payload:
    """The records of a decrypted payload of any known schema (migrated first).

    A payload from a newer osp, or one not in the expected shape, is a
    :class:`~osp_cli.errors.DamagedFile` (exit 4) with a plain message.
    """
    try:
        data = migrate(raw)
        practitioner = data.get("practitioner")
        custom = _obj(data.get("custom_exercises", {}), "custom exercises")
        if not all(isinstance(v, str) for v in custom.values()):
            raise PayloadError("a custom exercise is not text")
        return Payload(
            created=_need(data, "created", str, "the workbook"),
            participant_ref=_opt_str(data, "participant_ref", "the workbook"),
            practitioner=PractitionerPin.from_dict(practitioner) if practitioner else None,
            assignments=[ImportedAssignment.from_dict(a) for a in data.get("assignments", [])],
            custom_exercises={str(k): v for k, v in custom.items()},
            exercises={
                str(eid): ExerciseState.from_dict(state)
                for eid, state in _obj(data.get("exercises", {}), "exercises").items()
            },
            checkins=[CheckIn.from_dict(c) for c in data.get("checkins", [])],
            exports=[ExportRecord.from_dict(e) for e in data.get("exports", [])],
            signing_key=_opt_str(data, "signing_key", "the workbook"),
        )
    except (PayloadError, TypeError, AttributeError) as exc:
        raise DamagedFile(
            "Your workbook's contents are not in the form osp expects.",
            hint="Nothing has been changed. 'osp restore PATH' brings back a backup copy.",
        ) from exc


# --- migrations: one function per schema step, all here -------------------------------


def _from_1(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 → 2: each exercise's answers become its first entry; drafts, the
    check-in's self_harm answer and the exported entry numbers start empty."""
    exercises = {}
    for exercise_id, state in _obj(data.get("exercises", {}), "exercises").items():
        state = _obj(state, "an exercise")
        exercises[exercise_id] = {
            "version": state.get("version", 1),
            "entries": [
                {
                    "number": 1,
                    "started": state.get("started"),
                    "updated": state.get("updated") or state.get("started"),
                    "completed": state.get("completed"),
                    "answers": state.get("answers", {}),
                    "skipped": state.get("skipped", []),
                    "flagged": state.get("flagged", []),
                    "partial": state.get("partial", []),
                    "reflection": state.get("reflection"),
                }
            ],
            "drafts": {},
        }
    checkins = [{**_obj(c, "a check-in"), "self_harm": None} for c in data.get("checkins", [])]
    exports = [{**_obj(e, "an export record"), "entries": {}} for e in data.get("exports", [])]
    return {**data, "schema": 2, "exercises": exercises, "checkins": checkins, "exports": exports}


#: schema n → the function that turns an n payload into an n + 1 payload.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _from_1}


def migrate(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The payload brought up to :data:`SCHEMA`, one step at a time (the input is not
    changed)."""
    data = dict(_obj(raw, "the workbook"))
    schema = data.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise PayloadError("the workbook has no schema number")
    if schema > SCHEMA:
        raise DamagedFile(
            "This workbook was saved by a newer version of osp, which this version cannot read.",
            hint="Update osp on this computer and try again. Nothing has been changed.",
        )
    while schema < SCHEMA:
        data = MIGRATIONS[schema](data)
        schema = data["schema"]
    return data


# --- reading -------------------------------------------------------------------------

Change = Callable[[Payload], None]


def new_payload() -> Payload:
    return Payload(created=now())


def exercise_state(payload: Payload, exercise_id: str) -> ExerciseState | None:
    return payload.exercises.get(exercise_id)


def answers_of(payload: Payload, exercise_id: str) -> dict[str, Any]:
    """question id → value, for the current entry of one exercise (empty when not
    started)."""
    state = payload.exercises.get(exercise_id)
    return state.current.values() if state else {}


def last_export_time(payload: Payload) -> str | None:
    return payload.exports[-1].at if payload.exports else None


# --- changes -------------------------------------------------------------------------
#
# Most changes are :class:`Edit` objects: a list of small *operations* (plain JSON, each
# naming what it touches: one answer, one draft, one check-in...) applied by
# :func:`apply_op`. Applying an edit and replaying its operations from the save journal
# (docs/vault-format.md, "The journal") are the same code, so a save that went to the
# journal gives exactly what a full save would. Every time an operation needs is inside
# it. Rare changes that touch anything else (an imported assignment, the signing key) are
# plain functions and are saved by rewriting the whole file.

Op = dict[str, Any]


@dataclass(frozen=True)
class Edit:
    """A change made of journal operations; ``make`` builds them for one moment."""

    make: Callable[[str], list[Op]]

    def ops(self) -> list[Op]:
        return self.make(now())

    def __call__(self, payload: Payload) -> None:
        for op in self.ops():
            apply_op(payload, op)


def _state(payload: Payload, exercise_id: str, version: int, stamp: str) -> ExerciseState:
    state = payload.exercises.get(exercise_id)
    if state is None:
        state = ExerciseState(version=version, entries=[Entry(1, stamp, stamp)])
        payload.exercises[exercise_id] = state
    return state


def _current(payload: Payload, exercise_id: str, version: int, stamp: str) -> Entry:
    entry = _state(payload, exercise_id, version, stamp).current
    entry.updated = stamp
    return entry


def _mark(marks: list[str], question_id: str, on: bool) -> None:
    if on and question_id not in marks:
        marks.append(question_id)
    if not on and question_id in marks:
        marks.remove(question_id)


def _bool(op: Op, key: str) -> bool:
    value = op.get(key)
    if not isinstance(value, bool):
        raise PayloadError(f"an operation: '{key}' is missing or of the wrong type")
    return value


def apply_op(payload: Payload, op: Op) -> None:
    """Make one operation's change (live, or replayed from the journal). An operation
    that is not in the expected shape is a :class:`PayloadError`."""
    what = "an operation"
    kind = _need(op, "op", str, what)
    if kind == "checkin":
        payload.checkins.append(CheckIn.from_dict(op.get("checkin")))
        return
    if kind == "export":
        payload.exports.append(ExportRecord.from_dict(op.get("export")))
        return
    eid = _need(op, "exercise", str, what)
    if kind in ("partial", "clear-draft"):
        state = payload.exercises.get(eid)
        qid = _need(op, "question", str, what)
        if state is not None and kind == "partial":
            _mark(state.current.partial, qid, _bool(op, "on"))
        elif state is not None:
            state.drafts.pop(qid, None)
        return
    version = _need(op, "version", int, what)
    at = _need(op, "at", str, what)
    if kind == "answer":
        if "value" not in op:
            raise PayloadError("an answer operation has no value")
        qid = _need(op, "question", str, what)
        entry = _current(payload, eid, version, at)
        entry.answers[qid] = Answer(op["value"], at)
        if qid in entry.skipped:
            entry.skipped.remove(qid)
        payload.exercises[eid].drafts.pop(qid, None)
    elif kind == "skip":
        qid = _need(op, "question", str, what)
        entry = _current(payload, eid, version, at)
        entry.answers.pop(qid, None)
        if qid not in entry.skipped:
            entry.skipped.append(qid)
        payload.exercises[eid].drafts.pop(qid, None)
    elif kind == "flag":
        qid = _need(op, "question", str, what)
        _mark(_current(payload, eid, version, at).flagged, qid, _bool(op, "on"))
    elif kind == "reflection":
        _current(payload, eid, version, at).reflection = _opt_str(op, "text", what)
    elif kind == "complete":
        entry = _current(payload, eid, version, at)
        entry.completed = entry.completed or at
    elif kind == "new-entry":
        state = payload.exercises.get(eid)
        if state is None:
            _state(payload, eid, version, at)
        elif state.current.completed is not None:
            number = max(entry.number for entry in state.entries) + 1
            state.entries.append(Entry(number, at, at))
            state.version = version
            state.drafts.clear()
    elif kind == "draft":
        text = _need(op, "text", str, what)
        _state(payload, eid, version, at).drafts[_need(op, "question", str, what)] = text
    else:
        raise PayloadError("an operation of an unknown kind")


def replay(payload: Payload, record: Mapping[str, Any]) -> None:
    """Apply one journal record (``{"ops": [...]}``) to the records."""
    ops = record.get("ops")
    if not isinstance(ops, list):
        raise PayloadError("a journal record has no operations")
    for op in ops:
        apply_op(payload, dict(_obj(op, "an operation")))


def on_json(change: Change) -> Callable[[dict[str, Any]], None]:
    """The same change made to the JSON form (records made, changed, written back in the
    newest schema). For code that works on the stored JSON directly, such as tests of the
    vault; :class:`~osp_cli.workbook.service.Workbook` keeps the records between saves."""

    def apply(raw: dict[str, Any]) -> None:
        records = from_dict(raw)
        change(records)
        raw.clear()
        raw.update(records.to_dict())

    return apply


def both(*changes: Change) -> Change:
    """Several changes saved as one (one journal record when each is an :class:`Edit`)."""
    if all(isinstance(one, Edit) for one in changes):
        edits = [one for one in changes if isinstance(one, Edit)]
        return Edit(lambda at: [op for one in edits for op in one.make(at)])

    def change(payload: Payload) -> None:
        for one in changes:
            one(payload)

    return change


def set_answer(exercise_id: str, version: int, question_id: str, value: Any) -> Edit:
    return Edit(
        lambda at: [
            {"op": "answer", "exercise": exercise_id, "version": version,
             "question": question_id, "value": value, "at": at}
        ]
    )  # fmt: skip


def skip(exercise_id: str, version: int, question_id: str) -> Edit:
    return Edit(
        lambda at: [
            {"op": "skip", "exercise": exercise_id, "version": version,
             "question": question_id, "at": at}
        ]
    )  # fmt: skip


def set_partial(exercise_id: str, question_id: str, partial: bool) -> Edit:
    """Mark a list or table answer as still being filled in (or finished)."""
    return Edit(
        lambda at: [
            {"op": "partial", "exercise": exercise_id, "question": question_id, "on": partial}
        ]
    )


def set_flag(exercise_id: str, version: int, question_id: str, flagged: bool) -> Edit:
    return Edit(
        lambda at: [
            {"op": "flag", "exercise": exercise_id, "version": version,
             "question": question_id, "on": flagged, "at": at}
        ]
    )  # fmt: skip


def set_reflection(exercise_id: str, version: int, text: str | None) -> Edit:
    return Edit(
        lambda at: [
            {"op": "reflection", "exercise": exercise_id, "version": version,
             "text": text, "at": at}
        ]
    )  # fmt: skip


def mark_complete(exercise_id: str, version: int) -> Edit:
    return Edit(
        lambda at: [{"op": "complete", "exercise": exercise_id, "version": version, "at": at}]
    )


def start_entry(exercise_id: str, version: int) -> Edit:
    """Begin a new dated entry of a repeatable exercise (when the current one is
    finished; an unfinished entry is carried on instead)."""
    return Edit(
        lambda at: [{"op": "new-entry", "exercise": exercise_id, "version": version, "at": at}]
    )


def set_draft(exercise_id: str, version: int, question_id: str, text: str) -> Edit:
    """Keep text typed into a question but not yet submitted (encrypted like answers)."""
    return Edit(
        lambda at: [
            {"op": "draft", "exercise": exercise_id, "version": version,
             "question": question_id, "text": text, "at": at}
        ]
    )  # fmt: skip


def clear_draft(exercise_id: str, question_id: str) -> Edit:
    return Edit(
        lambda at: [{"op": "clear-draft", "exercise": exercise_id, "question": question_id}]
    )


def add_checkin(
    feeling: int, urge: int, note: str, context: str = "manual", self_harm: bool | None = None
) -> Edit:
    if not (0 <= feeling <= 10 and 0 <= urge <= 10):
        raise ValueError("check-in ratings run from 0 to 10")
    return Edit(
        lambda at: [
            {"op": "checkin",
             "checkin": CheckIn(at, feeling, urge, note, context, self_harm).to_dict()}
        ]
    )  # fmt: skip


def record_export(
    exercise_ids: list[str], entries: Mapping[str, tuple[int, ...]] | None = None
) -> Edit:
    record_entries = {eid: tuple(numbers) for eid, numbers in (entries or {}).items()}
    return Edit(
        lambda at: [
            {"op": "export",
             "export": ExportRecord(at, tuple(exercise_ids), record_entries).to_dict()}
        ]
    )  # fmt: skip


class Codec:
    """How the vault keeps this workbook: the records in memory, the newest schema on
    disk, and :class:`Edit` changes saved as journal records (see
    :class:`osp_cli.vault.store.Codec`)."""

    journal = True

    def load(self, raw: dict[str, Any]) -> Payload:
        return from_dict(raw)

    def dump(self, payload: Payload) -> dict[str, Any]:
        return payload.to_dict()

    def replay(self, payload: Payload, record: dict[str, Any]) -> None:
        replay(payload, record)

    def apply(self, payload: Payload, change: Callable[[Payload], None]) -> dict[str, Any] | None:
        """Make ``change``; return its journal record, or None when only a full save
        can hold it."""
        if not isinstance(change, Edit):
            change(payload)
            return None
        ops = change.ops()
        for op in ops:
            apply_op(payload, op)
        return {"ops": ops}


CODEC = Codec()


def add_assignment(
    assignment: ImportedAssignment,
    pin: PractitionerPin | None,
    participant_ref: str,
    custom_exercises: Mapping[str, str],
) -> Change:
    """Record an imported assignment (pinning the practitioner's keys the first time)."""

    def change(payload: Payload) -> None:
        if payload.practitioner is None and pin is not None:
            payload.practitioner = pin
        payload.participant_ref = participant_ref
        payload.custom_exercises.update(custom_exercises)
        payload.assignments.append(assignment)

    return change
