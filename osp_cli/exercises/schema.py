"""A JSON Schema (draft 2020-12) of the exercise format, for practitioners' editors.

``python -m osp_cli.exercises.schema > docs/exercise.schema.json`` regenerates the
committed copy; a test fails when it drifts. The loader is the authority: a few rules
(``when`` pointing to an earlier question, defaults within the choices, labels within
the range) cannot be said in JSON Schema and are checked only by the loader.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from osp_cli import limits
from osp_cli.exercises.loader import (
    COMMON_QUESTION_KEYS,
    EXERCISE_ID_PATTERN,
    KIND_KEYS,
    MAX_MINUTES,
    MAX_ORDER,
    MAX_SESSION,
    MIN_MINUTES,
    MIN_ORDER,
    MIN_SESSION,
    QUESTION_ID_PATTERN,
    TOP_LEVEL_KEYS,
)
from osp_cli.exercises.model import EVALUATION, Kind, PlanSection
from osp_cli.exercises.safety_flags import FLAG_KEYS, TYPED_KINDS
from osp_cli.exercises.topics import TOPICS

__all__ = ["REGENERATE", "SCHEMA_ID", "json_schema", "schema_text"]

SCHEMA_ID = "https://osp.invalid/exercise.schema.json"
REGENERATE = "python -m osp_cli.exercises.schema > docs/exercise.schema.json"

# Text may hold newlines and tabs but no other control or bidi characters (as the loader).
_TEXT_PATTERN = (
    "^[^\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069]*$"
)
_LINE_PATTERN = "^[^\\x00-\\x1f\\x7f-\\x9f\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069]*$"

Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


def _unique_lines(description: str) -> Schema:
    return {
        "description": description,
        "type": "array",
        "items": _ref("line"),
        "minItems": 1,
        "uniqueItems": True,
    }


def _common_question_properties() -> dict[str, Schema]:
    return {
        "id": {
            "description": "Unique within the exercise.",
            "type": "string",
            "pattern": QUESTION_ID_PATTERN,
        },
        "kind": {"description": "The kind of question.", "enum": [k.value for k in Kind]},
        "prompt": {"description": "The question.", **_ref("text")},
        "help": {"description": "Extra explanation, shown on request.", **_ref("text")},
        "required": {
            "description": "A required question cannot be skipped (default true).",
            "type": "boolean",
        },
        "no_names": {
            "description": "Show the reminder not to write names or other identifying "
            "details. Required (true) on text, long_text, list and table questions unless "
            "no_names_exempt gives a reason; not allowed on other kinds.",
            "type": "boolean",
        },
        "no_names_exempt": {
            "description": "Why this typed question truly cannot name anyone (instead of "
            "no_names = true).",
            **_ref("line"),
        },
        "no_sexual_detail": {
            "description": "Show the reminder not to write sexual detail. Required (true) on "
            "text, long_text, list and table questions of a sensitive exercise; not allowed "
            "on other kinds.",
            "type": "boolean",
        },
        "when": _ref("when"),
        "plan": {
            "description": 'The answer feeds this section of "My plan".',
            "enum": [section.value for section in PlanSection],
        },
    }


def _kind_properties() -> dict[Kind, dict[str, Schema]]:
    count = {"type": "integer", "minimum": 0}
    return {
        Kind.TEXT: {
            "default": {
                "type": "string",
                "pattern": _LINE_PATTERN,
                "maxLength": limits.ANSWER_CHARS,
            }
        },
        Kind.LONG_TEXT: {
            "default": {
                "type": "string",
                "pattern": _TEXT_PATTERN,
                "maxLength": limits.ANSWER_CHARS,
            }
        },
        Kind.CHOICE: {
            "choices": _unique_lines("The options (pick one)."),
            "default": {"description": "One of the choices.", **_ref("line")},
        },
        Kind.CHOICES: {
            "choices": _unique_lines("The options (pick several)."),
            "default": {
                "description": "Choices picked at the start.",
                "type": "array",
                "items": _ref("line"),
                "uniqueItems": True,
            },
            "min": {"description": "Fewest picks.", **count},
            "max": {"description": "Most picks (at most the number of choices).", **count},
            "exclusive": {
                "description": "Choices that cannot be ticked with any other, "
                'e.g. ["None of these"].',
                "type": "array",
                "items": _ref("line"),
                "uniqueItems": True,
                "minItems": 1,
            },
        },
        Kind.SCALE: {
            "min": {"description": "The lowest number.", "type": "integer"},
            "max": {
                "description": "The highest number (greater than min, range at most 100).",
                "type": "integer",
            },
            "labels": {
                "description": 'Labels by number, e.g. { 0 = "calm", 10 = "very upset" }; '
                "must label min and max.",
                "type": "object",
                "propertyNames": {"pattern": "^-?[0-9]{1,6}$"},
                "additionalProperties": _ref("line"),
                "minProperties": 2,
            },
            "default": {"description": "A number in the range.", "type": "integer"},
        },
        Kind.YES_NO: {
            "default": {"type": "boolean"},
            "flag_on": {
                "description": "When the answer is this value, the question is flagged for "
                "the next session (he can remove the flag).",
                "type": "boolean",
            },
        },
        Kind.LIST: {
            "min": {"description": "Fewest items (default 0).", **count},
            "max": {"description": "Most items (default 20).", "type": "integer", "minimum": 1},
            "item_prompt": {"description": "The prompt for each item.", **_ref("text")},
        },
        Kind.TABLE: {
            "rows": _unique_lines("The row labels."),
            "columns": _unique_lines("The column names."),
            "row_header": {"description": 'What the rows are, e.g. "Stage".', **_ref("line")},
        },
    }


_REQUIRED_BY_KIND: dict[Kind, list[str]] = {
    Kind.CHOICE: ["choices"],
    Kind.CHOICES: ["choices"],
    Kind.SCALE: ["min", "max", "labels"],
    Kind.TABLE: ["rows", "columns"],
}


def _question_schema() -> Schema:
    common = _common_question_properties()
    by_kind = _kind_properties()
    branches = []
    for kind in Kind:
        assert set(by_kind[kind]) == set(KIND_KEYS[kind]), kind
        common_keys = [
            key for key in COMMON_QUESTION_KEYS if kind in TYPED_KINDS or key not in FLAG_KEYS
        ]
        then: Schema = {
            "properties": {key: {} for key in common_keys} | by_kind[kind],
            "additionalProperties": False,
        }
        if kind in _REQUIRED_BY_KIND:
            then["required"] = _REQUIRED_BY_KIND[kind]
        if kind in TYPED_KINDS:
            then["anyOf"] = [
                {"required": ["no_names"], "properties": {"no_names": {"const": True}}},
                {"required": ["no_names_exempt"], "not": {"required": ["no_names"]}},
            ]
        branches.append(
            {
                "if": {"properties": {"kind": {"const": kind.value}}, "required": ["kind"]},
                "then": then,
            }
        )
    return {
        "description": "One question ([[questions]]).",
        "type": "object",
        "required": ["id", "kind", "prompt"],
        "properties": common,
        "allOf": branches,
    }


def _sensitive_question() -> Schema:
    """In a sensitive exercise, a typed question must show the no-sexual-detail reminder."""
    typed = sorted(kind.value for kind in TYPED_KINDS)
    return {
        "if": {"properties": {"kind": {"enum": typed}}, "required": ["kind"]},
        "then": {
            "required": ["no_sexual_detail"],
            "properties": {"no_sexual_detail": {"const": True}},
        },
    }


def _when_schema() -> Schema:
    value: Schema = {"type": ["string", "integer", "boolean"]}
    return {
        "description": "Ask only if an earlier answer matches (exactly one of equals, any_of).",
        "type": "object",
        "properties": {
            "question": {"type": "string", "pattern": QUESTION_ID_PATTERN},
            "equals": value,
            "any_of": {"type": "array", "items": value, "minItems": 1},
        },
        "required": ["question"],
        "oneOf": [{"required": ["equals"]}, {"required": ["any_of"]}],
        "additionalProperties": False,
    }


def json_schema() -> Schema:
    """The JSON Schema of an exercise file, as a JSON-ready dict."""
    properties: dict[str, Schema] = {
        "id": {
            "description": "Stable id, used on the command line and in saved answers.",
            "type": "string",
            "pattern": EXERCISE_ID_PATTERN,
        },
        "title": {"description": "Shown in lists and headings.", **_ref("line")},
        "session": {
            "description": f'The programme session ({MIN_SESSION}-{MAX_SESSION}) or "evaluation".',
            "oneOf": [
                {"type": "integer", "minimum": MIN_SESSION, "maximum": MAX_SESSION},
                {"const": EVALUATION},
            ],
        },
        "topics": {
            "description": "Topic tags (see docs/exercises.md).",
            "type": "array",
            "items": {"enum": list(TOPICS)},
            "minItems": 1,
            "uniqueItems": True,
        },
        "minutes": {
            "description": "Rough time it takes.",
            "type": "integer",
            "minimum": MIN_MINUTES,
            "maximum": MAX_MINUTES,
        },
        "version": {
            "description": "Bump when questions change meaning.",
            "type": "integer",
            "minimum": 1,
        },
        "order": {
            "description": "Position within the session (lower comes first; default 50).",
            "type": "integer",
            "minimum": MIN_ORDER,
            "maximum": MAX_ORDER,
        },
        "sensitive": {
            "description": "Show the care note and ask for a check-in before and after.",
            "type": "boolean",
        },
        "repeatable": {
            "description": "A diary: each time it is done is a new dated entry.",
            "type": "boolean",
        },
        "measure": {
            "description": "A before-and-after measure (needs repeatable = true): its first "
            "and latest entries' scale answers go in the evaluation CSV.",
            "type": "boolean",
        },
        "intro": {"description": "Short Markdown explanation shown first.", **_ref("text")},
        "care": {
            "description": "Care note (Markdown); required when sensitive = true.",
            **_ref("text"),
        },
        "reflection": {"description": "The closing reflection question.", **_ref("text")},
        "questions": {
            "description": "The questions, in order.",
            "type": "array",
            "items": _ref("question"),
            "minItems": 1,
        },
    }
    assert set(properties) == set(TOP_LEVEL_KEYS)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "osp exercise",
        "description": "One exercise file for osp (see docs/exercise-format.md).",
        "type": "object",
        "required": [key for key, required in TOP_LEVEL_KEYS.items() if required],
        "properties": properties,
        "additionalProperties": False,
        "if": {"properties": {"sensitive": {"const": True}}, "required": ["sensitive"]},
        "then": {
            "required": ["care"],
            "properties": {"questions": {"items": _sensitive_question()}},
        },
        "dependentSchemas": {
            "measure": {
                "if": {"properties": {"measure": {"const": True}}},
                "then": {"required": ["repeatable"], "properties": {"repeatable": {"const": True}}},
            }
        },
        "$defs": {
            "text": {
                "description": "Text: no control characters other than newline and tab.",
                "type": "string",
                "pattern": _TEXT_PATTERN,
                "minLength": 1,
                "maxLength": limits.EXERCISE_TEXT_CHARS,
            },
            "line": {
                "description": "One line of text: no control characters.",
                "type": "string",
                "pattern": _LINE_PATTERN,
                "minLength": 1,
                "maxLength": limits.EXERCISE_TEXT_CHARS,
            },
            "when": _when_schema(),
            "question": _question_schema(),
        },
    }


def schema_text() -> str:
    """The schema as the text committed in ``docs/exercise.schema.json``."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=True) + "\n"


def main() -> None:
    """Print the schema (``python -m osp_cli.exercises.schema``)."""
    sys.stdout.write(schema_text())


if __name__ == "__main__":
    main()
