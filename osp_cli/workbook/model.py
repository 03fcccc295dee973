"""The decrypted workbook payload and the changes that can be made to it.

The payload is plain JSON-compatible data (it is what the vault encrypts). Every
change is a small function ``payload -> None`` so that :meth:`Vault.update` can apply it
to the newest copy under the lock: two processes never lose each other's answers.

Payload shape (schema 1)::

    {
      "schema": 1,
      "created": ISO time,
      "participant_ref": str | None,         # set by the first imported assignment
      "practitioner": None | {"x25519": b64, "ed25519": b64, "fingerprint": str,
                               "pinned": ISO time},
      "assignments": [ {"id", "issued", "sequence": int (replay protection), "session",
                        "exercises": [ids], "due": date|None, "next_session": date|None,
                        "note": str, "imported": ISO time} ],
      "custom_exercises": {exercise_id: toml_text},
      "exercises": {exercise_id: {
          "version": int, "started": ISO, "updated": ISO, "completed": ISO | None,
          "answers": {question_id: {"value": ..., "at": ISO}},
          "skipped": [question_id], "flagged": [question_id],
          "partial": [question_id],          # a list or table still being filled in
          "reflection": str | None}},
      "checkins": [ {"at": ISO, "feeling": 0-10 (distress: 0 calm, 10 very distressed),
                     "urge": 0-10 (0 none, 10 very strong), "note": str,
                     "context": "manual" | "before:<id>" | "after:<id>"} ],
      "exports": [ {"at": ISO, "exercises": [ids]} ]
    }
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

SCHEMA = 1
REFLECTION_ID = "_reflection"

Payload = dict[str, Any]
Change = Callable[[Payload], None]


def now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def new_payload() -> Payload:
    return {
        "schema": SCHEMA,
        "created": now(),
        "participant_ref": None,
        "practitioner": None,
        "assignments": [],
        "custom_exercises": {},
        "exercises": {},
        "checkins": [],
        "exports": [],
    }


def exercise_state(payload: Payload, exercise_id: str) -> dict[str, Any] | None:
    state = payload.get("exercises", {}).get(exercise_id)
    return state if isinstance(state, dict) else None


def answers_of(payload: Payload, exercise_id: str) -> dict[str, Any]:
    """question id → value, for one exercise (empty when not started)."""
    state = exercise_state(payload, exercise_id)
    if not state:
        return {}
    return {qid: entry["value"] for qid, entry in state.get("answers", {}).items()}


def _state(payload: Payload, exercise_id: str, version: int) -> dict[str, Any]:
    exercises = payload.setdefault("exercises", {})
    state = exercises.get(exercise_id)
    if state is None:
        stamp = now()
        state = {
            "version": version,
            "started": stamp,
            "updated": stamp,
            "completed": None,
            "answers": {},
            "skipped": [],
            "flagged": [],
            "reflection": None,
        }
        exercises[exercise_id] = state
    return state  # type: ignore[no-any-return]


def set_answer(exercise_id: str, version: int, question_id: str, value: Any) -> Change:
    def change(payload: Payload) -> None:
        state = _state(payload, exercise_id, version)
        state["answers"][question_id] = {"value": value, "at": now()}
        if question_id in state["skipped"]:
            state["skipped"].remove(question_id)
        state["updated"] = now()

    return change


def skip(exercise_id: str, version: int, question_id: str) -> Change:
    def change(payload: Payload) -> None:
        state = _state(payload, exercise_id, version)
        state["answers"].pop(question_id, None)
        if question_id not in state["skipped"]:
            state["skipped"].append(question_id)
        state["updated"] = now()

    return change


def set_flag(exercise_id: str, version: int, question_id: str, flagged: bool) -> Change:
    def change(payload: Payload) -> None:
        state = _state(payload, exercise_id, version)
        if flagged and question_id not in state["flagged"]:
            state["flagged"].append(question_id)
        if not flagged and question_id in state["flagged"]:
            state["flagged"].remove(question_id)
        state["updated"] = now()

    return change


def set_reflection(exercise_id: str, version: int, text: str | None) -> Change:
    def change(payload: Payload) -> None:
        state = _state(payload, exercise_id, version)
        state["reflection"] = text
        state["updated"] = now()

    return change


def mark_complete(exercise_id: str, version: int) -> Change:
    def change(payload: Payload) -> None:
        state = _state(payload, exercise_id, version)
        state["completed"] = state["completed"] or now()
        state["updated"] = now()

    return change


def add_checkin(feeling: int, urge: int, note: str, context: str = "manual") -> Change:
    if not (0 <= feeling <= 10 and 0 <= urge <= 10):
        raise ValueError("check-in ratings run from 0 to 10")

    def change(payload: Payload) -> None:
        payload.setdefault("checkins", []).append(
            {"at": now(), "feeling": feeling, "urge": urge, "note": note, "context": context}
        )

    return change


def record_export(exercise_ids: list[str]) -> Change:
    def change(payload: Payload) -> None:
        payload.setdefault("exports", []).append({"at": now(), "exercises": exercise_ids})

    return change


def last_export_time(payload: Payload) -> str | None:
    exports = payload.get("exports") or []
    return str(exports[-1]["at"]) if exports else None
