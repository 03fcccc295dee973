"""Signed assignments, format 1 (see docs/formats.md). Pure: bytes in, bytes out.

Layout (integers big-endian)::

    0      5   magic  b"OSPAS"
    5      1   format version (1)
    6      32  the signer's Ed25519 public key
    38     4   B: body length (at most 4 MiB)
    42     B   body: canonical UTF-8 JSON (below)
    42+B   64  Ed25519 signature over bytes [0, 42+B)

:func:`decode` checks the framing, then the signature, and only then parses the body.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import json
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from osp_cli import crypto, limits
from osp_cli.crypto import CryptoFailure
from osp_cli.errors import DamagedFile, ExerciseError, UserError
from osp_cli.exchange.frame import (
    ASSIGNMENT_MAGIC,
    SIGNED_MIN,
    FrameError,
    canonical_json,
    open_frame,
    sized,
)
from osp_cli.exchange.identifying import ref_problem
from osp_cli.exercises.loader import parse_exercise

MAGIC = ASSIGNMENT_MAGIC
VERSION = 1
TYPE = "osp-assignment"
MAX_BODY = limits.ASSIGNMENT_BYTES
MAX_FILE = limits.ASSIGNMENT_FILE_BYTES
MAX_EXERCISES = 50
MAX_CUSTOM_TEXT = limits.CUSTOM_EXERCISE_BYTES
MAX_NOTE = limits.NOTE_CHARS
_ID = re.compile(r"[a-z0-9][a-z0-9-]{1,47}\Z")
_KEYS = {
    "type",
    "format",
    "id",
    "sequence",
    "issued",
    "participant_ref",
    "session",
    "exercises",
    "custom_exercises",
    "next_session",
    "note",
    "practitioner",
}
_HINT = "Ask your practitioner for a fresh copy of the assignment file."


class ForeignSigner(DamagedFile):
    """Signed correctly, but not by the practitioner this workbook trusts."""


@dataclass(frozen=True, slots=True)
class Assignment:
    id: str
    sequence: int
    issued: str
    participant_ref: str
    session: int
    exercises: tuple[str, ...]
    next_session: str
    note: str
    x25519_public: bytes
    ed25519_public: bytes
    custom_exercises: Mapping[str, str] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        return crypto.fingerprint(self.x25519_public, self.ed25519_public)

    def to_json(self) -> dict[str, Any]:
        return {
            "type": TYPE,
            "format": VERSION,
            "id": self.id,
            "sequence": self.sequence,
            "issued": self.issued,
            "participant_ref": self.participant_ref,
            "session": self.session,
            "exercises": list(self.exercises),
            "custom_exercises": dict(self.custom_exercises),
            "next_session": self.next_session,
            "note": self.note,
            "practitioner": {
                "x25519": crypto.b64e(self.x25519_public),
                "ed25519": crypto.b64e(self.ed25519_public),
            },
        }


def new_sequence(last: int) -> int:
    """The next sequence number: after ``last`` and never behind the clock (in ms)."""
    clock = int(_dt.datetime.now(_dt.UTC).timestamp() * 1000)
    return max(last + 1, clock)


def build(
    *,
    participant_ref: str,
    session: int,
    exercises: Sequence[str],
    custom_exercises: Mapping[str, str],
    next_session: str,
    note: str,
    x25519_public: bytes,
    ed25519_public: bytes,
    sequence: int,
    builtin_ids: Sequence[str],
) -> Assignment:
    """A checked assignment (UserError / ExerciseError naming what is wrong)."""
    assignment = Assignment(
        id=secrets.token_hex(8),
        sequence=sequence,
        issued=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        participant_ref=participant_ref,
        session=session,
        exercises=tuple(exercises),
        next_session=next_session,
        note=note,
        x25519_public=x25519_public,
        ed25519_public=ed25519_public,
        custom_exercises=dict(custom_exercises),
    )
    problem = _problem(assignment)
    if problem:
        raise UserError(problem)
    clash = sorted(set(custom_exercises) & set(builtin_ids))
    if clash:
        raise UserError(
            f"The custom exercise id '{clash[0]}' is already a built-in exercise.",
            hint="Give the custom exercise its own id.",
        )
    unknown = [e for e in exercises if e not in custom_exercises and e not in builtin_ids]
    if unknown:
        close = difflib.get_close_matches(unknown[0], sorted(builtin_ids), n=1)
        suggestion = f"Did you mean '{close[0]}'? " if close else ""
        raise UserError(
            f"There is no built-in exercise called '{unknown[0][:60]}'.",
            hint=f"{suggestion}The built-in exercises are: {', '.join(sorted(builtin_ids))}. "
            "See docs/exercises.md, or pass your own exercise with --custom.",
        )
    check_custom(custom_exercises)
    return assignment


def check_custom(custom: Mapping[str, str], *, fill_safety_flags: bool = False) -> None:
    """Every embedded exercise parses strictly and has the id it is filed under.

    A received assignment is checked with ``fill_safety_flags``: one made before the
    safety-flag rules still imports, and its reminders are switched on when it is shown.
    """
    if not custom:
        return  # nothing to parse: the exercise loader is not even imported
    problems: list[str] = []
    for exercise_id, text in custom.items():
        try:
            exercise = parse_exercise(
                text, f"custom exercise '{exercise_id}'", fill_safety_flags=fill_safety_flags
            )
        except ExerciseError as exc:
            problems += exc.problems
            continue
        if exercise.id != exercise_id:
            problems.append(f"custom exercise '{exercise_id}': its id does not match")
    if problems:
        raise ExerciseError(problems)


def encode(assignment: Assignment, ed25519_private: bytes) -> bytes:
    """The signed file."""
    body = canonical_json(assignment.to_json())
    if len(body) > MAX_BODY:
        raise UserError("The assignment is too large. Embed fewer or shorter exercises.")
    signed = MAGIC + bytes([VERSION]) + assignment.ed25519_public + sized(body)
    return signed + crypto.sign(ed25519_private, signed)


def _damaged(reason: str) -> DamagedFile:
    return DamagedFile(f"This assignment file cannot be used: {reason}.", hint=_HINT)


def signer_of(blob: bytes) -> bytes:
    """The Ed25519 key that claims to have signed ``blob`` (not yet verified)."""
    return _frame(blob)[0]


def _frame(blob: bytes) -> tuple[bytes, bytes, bytes]:
    """(signer key, signed bytes, body) after checking the layout only."""
    try:
        reader = open_frame(blob, MAGIC, VERSION, SIGNED_MIN, "assignment")
        signer = reader.take(32)
        body = reader.sized(MAX_BODY)
        signed_len = reader.pos
        reader.take(64)
        reader.end()
    except FrameError as exc:
        raise _damaged(exc.reason) from exc
    return signer, blob[:signed_len], body


def decode(blob: bytes, pinned_ed25519: bytes | None = None) -> Assignment:
    """Verify and parse. The signature is checked before the body is parsed.

    With ``pinned_ed25519``, the file must be signed by that key (else ForeignSigner).
    """
    signer, signed, body = _frame(blob)
    signature = blob[len(signed) :]
    if not crypto.verify(signer, signed, signature):
        raise _damaged("it has been changed since your practitioner signed it")
    if pinned_ed25519 is not None and signer != pinned_ed25519:
        raise ForeignSigner(
            "This assignment was signed by a different practitioner key from the one your "
            "workbook trusts, so it was not imported.",
            hint="Check with your practitioner. Do not use files from anyone else.",
        )
    try:
        data = json.loads(body.decode("utf-8"))
        assignment = _from_json(data)
    except (
        ValueError,
        TypeError,
        KeyError,
        UnicodeDecodeError,
        CryptoFailure,
        RecursionError,
    ) as exc:
        raise _damaged("its contents are not in the expected form") from exc
    if assignment.ed25519_public != signer:
        raise _damaged("its signing key does not match the key it carries")
    problem = _problem(assignment)
    if problem:
        raise _damaged("its contents are not in the expected form")
    check_custom(assignment.custom_exercises, fill_safety_flags=True)
    return assignment


def _from_json(data: Any) -> Assignment:
    if not isinstance(data, dict) or set(data) != _KEYS:
        raise ValueError("unexpected keys")
    if data["type"] != TYPE or data["format"] != VERSION:
        raise ValueError("unexpected type")
    practitioner = data["practitioner"]
    if not isinstance(practitioner, dict) or set(practitioner) != {"x25519", "ed25519"}:
        raise ValueError("unexpected practitioner")
    custom = data["custom_exercises"]
    if not isinstance(custom, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in custom.items()
    ):
        raise ValueError("unexpected custom exercises")
    exercises = data["exercises"]
    if not isinstance(exercises, list) or not all(isinstance(e, str) for e in exercises):
        raise ValueError("unexpected exercises")
    for key in ("id", "issued", "participant_ref", "next_session", "note"):
        if not isinstance(data[key], str):
            raise ValueError(key)
    for key in ("sequence", "session"):
        if type(data[key]) is not int:
            raise ValueError(key)
    return Assignment(
        id=data["id"],
        sequence=data["sequence"],
        issued=data["issued"],
        participant_ref=data["participant_ref"],
        session=data["session"],
        exercises=tuple(exercises),
        next_session=data["next_session"],
        note=data["note"],
        x25519_public=crypto.b64d(practitioner["x25519"]),
        ed25519_public=crypto.b64d(practitioner["ed25519"]),
        custom_exercises=custom,
    )


def _problem(a: Assignment) -> str | None:
    """What is wrong with the contents, in words for the practitioner, or None."""
    ref = ref_problem(a.participant_ref)
    if ref:
        return f"The participant reference cannot be used. {ref}"
    if not 1 <= a.session <= 6:
        return "The session must be a number from 1 to 6."
    if not a.exercises:
        return "Choose at least one exercise."
    if len(a.exercises) > MAX_EXERCISES or len(set(a.exercises)) != len(a.exercises):
        return f"Choose up to {MAX_EXERCISES} different exercises."
    if any(not _ID.match(e) for e in [*a.exercises, *a.custom_exercises]):
        return "An exercise id is not in the expected form (lower case letters, digits, -)."
    if any(cid not in a.exercises for cid in a.custom_exercises):
        return "A custom exercise is embedded but not assigned."
    if any(len(text) > MAX_CUSTOM_TEXT for text in a.custom_exercises.values()):
        return "A custom exercise file is too large."
    try:
        _dt.date.fromisoformat(a.next_session)
    except ValueError:
        return "The next session date must be written as YYYY-MM-DD."
    if len(a.next_session) != 10:
        return "The next session date must be written as YYYY-MM-DD."
    if len(a.note) > MAX_NOTE:
        return f"The note must be at most {MAX_NOTE} characters."
    if a.sequence < 1 or not re.fullmatch(r"[0-9a-f]{16}", a.id):
        return "The assignment id or sequence is not in the expected form."
    try:
        _dt.datetime.fromisoformat(a.issued)
    except ValueError:
        return "The issue time is not in the expected form."
    if len(a.x25519_public) != 32 or len(a.ed25519_public) != 32:
        return "The practitioner's keys have the wrong length."
    return None
