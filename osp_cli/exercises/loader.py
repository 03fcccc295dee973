"""The strict exercise loader: TOML text in, :class:`Exercise` out, or every problem at once.

Each problem is one line naming the file, the exercise id, the question id and the
field, for example::

    exercises/foo.toml: exercise 'foo', question 'bar', field 'choices': must not be empty

``-`` stands for an id that is not known (a syntax error, a missing or malformed id).
The only exception that leaves this module is :class:`osp_cli.errors.ExerciseError`.
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from osp_cli import limits
from osp_cli.errors import ExerciseError
from osp_cli.exercises.model import (
    DEFAULT_ORDER,
    EVALUATION,
    LIST_MAX_DEFAULT,
    LIST_MIN_DEFAULT,
    WHEN_KINDS,
    Default,
    Exercise,
    Kind,
    PlanSection,
    Question,
    When,
    WhenValue,
)
from osp_cli.exercises.safety_flags import SafetyFlags, filled_flags, safety_flag_problems
from osp_cli.exercises.topics import TOPICS

if TYPE_CHECKING:
    # Only for the type checker: defining it costs start-up time (exercises validate).
    class _Extras(TypedDict, total=False):
        """The kind-specific fields of a :class:`Question`."""

        choices: tuple[str, ...]
        default: Default | None
        exclusive: tuple[str, ...]
        min: int | None
        max: int | None
        labels: dict[int, str]
        item_prompt: str | None
        rows: tuple[str, ...]
        columns: tuple[str, ...]
        row_header: str | None
        flag_on: bool | None


__all__ = [
    "COMMON_QUESTION_KEYS",
    "EXERCISE_ID_PATTERN",
    "KIND_KEYS",
    "MAX_SCALE_RANGE",
    "QUESTION_ID_PATTERN",
    "TOP_LEVEL_KEYS",
    "duplicate_id_problems",
    "expand_paths",
    "load_file",
    "load_paths",
    "parse_exercise",
]

EXERCISE_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,47}$"
QUESTION_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,47}$"
_EXERCISE_ID = re.compile(EXERCISE_ID_PATTERN.rstrip("$") + r"\Z")
_QUESTION_ID = re.compile(QUESTION_ID_PATTERN.rstrip("$") + r"\Z")
_LABEL_KEY = re.compile(r"-?[0-9]{1,6}\Z")

MIN_SESSION, MAX_SESSION = 1, 6
MIN_MINUTES, MAX_MINUTES = 1, 180
MAX_SCALE_RANGE = 100
MIN_ORDER, MAX_ORDER = 1, 99

TOP_LEVEL_KEYS: dict[str, bool] = {
    "id": True,
    "title": True,
    "session": True,
    "topics": True,
    "minutes": True,
    "version": True,
    "order": False,
    "sensitive": False,
    "repeatable": False,
    "measure": False,
    "intro": True,
    "care": False,
    "reflection": True,
    "questions": True,
}
"""Every top-level key, mapped to whether it is required."""

COMMON_QUESTION_KEYS = (
    "id",
    "kind",
    "prompt",
    "help",
    "required",
    "no_names",
    "no_names_exempt",
    "no_sexual_detail",
    "when",
    "plan",
)

KIND_KEYS: dict[Kind, tuple[str, ...]] = {
    Kind.TEXT: ("default",),
    Kind.LONG_TEXT: ("default",),
    Kind.CHOICE: ("choices", "default"),
    Kind.CHOICES: ("choices", "default", "min", "max", "exclusive"),
    Kind.SCALE: ("min", "max", "labels", "default"),
    Kind.YES_NO: ("default", "flag_on"),
    Kind.LIST: ("min", "max", "item_prompt"),
    Kind.TABLE: ("rows", "columns", "row_header"),
}
"""The extra keys each kind allows; any other key is an error."""

# Text shown in terminals may hold newlines and tabs, nothing else from these ranges:
# C0 and C1 controls, DEL, bidi marks, embeddings, overrides and isolates, and the
# Unicode line and paragraph separators.
_BAD_CHAR = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]")

_UNKNOWN = "-"


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


def _show(value: object, limit: int = 40) -> str:
    """Author text quoted for a problem line: escaped, truncated, never raw controls."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    shown = repr(text)
    return _BAD_CHAR.sub("?", shown)


def _key_label(key: str) -> str:
    """A key as it appears in ``field '...'`` (keys come from the file, so clean them)."""
    clean = "".join(
        "?" if unicodedata.category(ch).startswith("C") or ch in "'\\" else ch for ch in key
    )
    return clean[:40] + ("..." if len(clean) > 40 else "")


class _Problems:
    """The problems found in one file, one line each. (A plain class, not a dataclass:
    'osp exercises validate' loads this module before its first line.)"""

    def __init__(self, source: str) -> None:
        self.source = source
        self.exercise = _UNKNOWN
        self.lines: list[str] = []

    def add(self, question: str, key: str, message: str) -> None:
        self.lines.append(
            f"{self.source}: exercise '{self.exercise}', question '{question}', "
            f"field '{key}': {message}"
        )


class _Reader:
    """Typed reads from one TOML table, recording a problem for each bad value."""

    def __init__(self, table: dict[str, object], problems: _Problems, question: str) -> None:
        self.table = table
        self.problems = problems
        self.question = question

    def problem(self, key: str, message: str) -> None:
        self.problems.add(self.question, key, message)

    def present(self, key: str, required: bool) -> bool:
        if key in self.table:
            return True
        if required:
            self.problem(key, "is required")
        return False

    def text_problem(self, key: str, value: str, *, single_line: bool) -> bool:
        """Record a problem with the characters of ``value``; True if there was one."""
        bad = _BAD_CHAR.search(value)
        if bad:
            code = f"U+{ord(bad.group()):04X}"
            self.problem(
                key,
                f"contains a control character ({code}) at position {bad.start() + 1}; "
                "only newlines and tabs are allowed",
            )
            return True
        if single_line and "\n" in value:
            self.problem(key, "must fit on one line")
            return True
        if len(value) > limits.EXERCISE_TEXT_CHARS:
            self.problem(
                key, f"is {len(value):,} characters; at most {limits.EXERCISE_TEXT_CHARS:,}"
            )
            return True
        return False

    def string(
        self, key: str, *, required: bool, single_line: bool = False, allow_blank: bool = False
    ) -> str | None:
        if not self.present(key, required):
            return None
        value = self.table[key]
        if not isinstance(value, str):
            self.problem(key, f"must be a string, not {_type_name(value)}")
            return None
        if not allow_blank and not value.strip():
            self.problem(key, "must not be empty")
            return None
        if self.text_problem(key, value, single_line=single_line):
            return None
        return value

    def integer(
        self, key: str, *, required: bool, low: int | None = None, high: int | None = None
    ) -> int | None:
        if not self.present(key, required):
            return None
        value = self.table[key]
        if isinstance(value, bool):
            self.problem(key, "must be an integer, not a boolean")
            return None
        if not isinstance(value, int):
            self.problem(key, f"must be an integer, not {_type_name(value)}")
            return None
        if low is not None and high is not None and not low <= value <= high:
            self.problem(key, f"must be from {low} to {high} (is {value})")
            return None
        if low is not None and value < low:
            self.problem(key, f"must be at least {low} (is {value})")
            return None
        if high is not None and value > high:
            self.problem(key, f"must be at most {high} (is {value})")
            return None
        return value

    def boolean(self, key: str, default: bool) -> bool | None:
        if key not in self.table:
            return default
        value = self.table[key]
        if not isinstance(value, bool):
            self.problem(key, f"must be true or false, not {_type_name(value)}")
            return None
        return value

    def strings(self, key: str, *, required: bool, what: str) -> tuple[str, ...] | None:
        """A non-empty array of unique, non-blank, one-line strings."""
        if not self.present(key, required):
            return None
        value = self.table[key]
        if not isinstance(value, list):
            self.problem(key, f"must be an array of strings, not {_type_name(value)}")
            return None
        if not value:
            self.problem(key, "must not be empty")
            return None
        items: list[str] = []
        ok = True
        for number, item in enumerate(value, start=1):
            if not isinstance(item, str):
                self.problem(key, f"{what} {number} must be a string, not {_type_name(item)}")
                ok = False
            elif not item.strip():
                self.problem(key, f"{what} {number} must not be empty")
                ok = False
            elif self.text_problem(key, item, single_line=True):
                ok = False
            elif item in items:
                self.problem(key, f"{what} {number} repeats {_show(item)}; each must be unique")
                ok = False
            else:
                items.append(item)
        return tuple(items) if ok else None

    def unknown_keys(self, allowed: Iterable[str], where: str) -> None:
        allowed = set(allowed)
        for key in self.table:
            if key not in allowed:
                self.problem(_key_label(key), f"unknown key {where}")


def _check_exercise_id(value: object) -> str | None:
    if isinstance(value, str) and _EXERCISE_ID.match(value):
        return value
    return None


def _when_value_problem(target: Question, value: object) -> str | None:
    """Why ``value`` cannot be an answer to ``target`` (None if it can)."""
    if target.kind is Kind.YES_NO:
        if not isinstance(value, bool):
            return f"must be true or false for yes_no question '{target.id}'"
        return None
    if target.kind in (Kind.CHOICE, Kind.CHOICES):
        if not isinstance(value, str) or value not in target.choices:
            return f"{_show(value)} is not one of the choices of question '{target.id}'"
        return None
    # Kind.SCALE
    assert target.min is not None and target.max is not None
    if isinstance(value, bool) or not isinstance(value, int):
        return f"must be an integer for scale question '{target.id}', not {_type_name(value)}"
    if not target.min <= value <= target.max:
        return (
            f"{value} is outside the range {target.min} to {target.max} of question '{target.id}'"
        )
    return None


class _ExerciseParser:
    def __init__(
        self, data: dict[str, object], problems: _Problems, *, fill_safety_flags: bool = False
    ) -> None:
        self.data = data
        self.problems = problems
        self.top = _Reader(data, problems, _UNKNOWN)
        self.sensitive = False
        self.fill_safety_flags = fill_safety_flags

    # -- top level ------------------------------------------------------------------

    def parse(self, source: str) -> Exercise | None:
        top = self.top
        exercise_id: str | None = None
        if top.present("id", required=True):
            raw_id = self.data["id"]
            exercise_id = _check_exercise_id(raw_id)
            if exercise_id is not None:
                self.problems.exercise = exercise_id
            elif isinstance(raw_id, str):
                top.problem(
                    "id",
                    f"{_show(raw_id)} must be 2 to 48 lowercase letters, digits or hyphens, "
                    "starting with a letter or digit",
                )
            else:
                top.problem("id", f"must be a string, not {_type_name(raw_id)}")
        top.unknown_keys(TOP_LEVEL_KEYS, "at the top level")

        title = top.string("title", required=True, single_line=True)
        session = self._session()
        topics = self._topics()
        minutes = top.integer("minutes", required=True, low=MIN_MINUTES, high=MAX_MINUTES)
        version = top.integer("version", required=True, low=1)
        order = top.integer("order", required=False, low=MIN_ORDER, high=MAX_ORDER)
        sensitive = top.boolean("sensitive", default=False)
        self.sensitive = sensitive is True
        repeatable = top.boolean("repeatable", default=False)
        measure = top.boolean("measure", default=False)
        if measure is True and repeatable is not True:
            top.problem("measure", "needs repeatable = true (the measure is taken more than once)")
        intro = top.string("intro", required=True)
        care = top.string("care", required=False)
        if sensitive is True and "care" not in self.data:
            top.problem("care", "is required when sensitive = true")
        reflection = top.string("reflection", required=True)
        questions = self._questions()

        if (
            exercise_id is None
            or title is None
            or session is None
            or topics is None
            or minutes is None
            or version is None
            or sensitive is None
            or repeatable is None
            or measure is None
            or intro is None
            or reflection is None
            or questions is None
            or self.problems.lines
        ):
            return None
        return Exercise(
            id=exercise_id,
            title=title,
            session=session,
            topics=topics,
            minutes=minutes,
            version=version,
            intro=intro,
            reflection=reflection,
            questions=questions,
            sensitive=sensitive,
            repeatable=repeatable,
            measure=measure,
            care=care,
            order=DEFAULT_ORDER if order is None else order,
            source=source,
        )

    def _session(self) -> int | str | None:
        if not self.top.present("session", required=True):
            return None
        value = self.data["session"]
        if value == EVALUATION:
            return EVALUATION
        if isinstance(value, int) and not isinstance(value, bool):
            if MIN_SESSION <= value <= MAX_SESSION:
                return value
            self.top.problem(
                "session",
                f'must be from {MIN_SESSION} to {MAX_SESSION} or "evaluation" (is {value})',
            )
            return None
        shown = _show(value) if isinstance(value, str) else _type_name(value)
        self.top.problem(
            "session",
            f'must be an integer from {MIN_SESSION} to {MAX_SESSION} or "evaluation", not {shown}',
        )
        return None

    def _topics(self) -> tuple[str, ...] | None:
        topics = self.top.strings("topics", required=True, what="topic")
        if topics is None:
            return None
        unknown = [topic for topic in topics if topic not in TOPICS]
        for topic in unknown:
            self.top.problem(
                "topics", f"unknown topic {_show(topic)} (see TOPICS in the catalogue)"
            )
        return None if unknown else topics

    def _questions(self) -> tuple[Question, ...] | None:
        if not self.top.present("questions", required=True):
            return None
        raw = self.data["questions"]
        if not isinstance(raw, list):
            self.top.problem(
                "questions",
                f"must be an array of tables ([[questions]]), not {_type_name(raw)}",
            )
            return None
        if not raw:
            self.top.problem("questions", "must have at least one question")
            return None

        # First pass: where each id is, so `when` can tell "later" from "unknown".
        positions: dict[str, int] = {}
        for index, item in enumerate(raw):
            if isinstance(item, dict):
                qid = item.get("id")
                if isinstance(qid, str) and _QUESTION_ID.match(qid):
                    positions.setdefault(qid, index)

        built: dict[str, Question | None] = {}
        result: list[Question] = []
        ok = True
        for index, item in enumerate(raw):
            if not isinstance(item, dict):
                self.problems.add(
                    _UNKNOWN,
                    "questions",
                    f"question {index + 1} must be a table, not {_type_name(item)}",
                )
                ok = False
                continue
            question = self._question(item, index, positions, built)
            if question is None:
                ok = False
            else:
                result.append(question)
        return tuple(result) if ok else None

    # -- one question --------------------------------------------------------------

    def _question(
        self,
        table: dict[str, object],
        index: int,
        positions: dict[str, int],
        built: dict[str, Question | None],
    ) -> Question | None:
        before = len(self.problems.lines)
        raw_id = table.get("id")
        qid = raw_id if isinstance(raw_id, str) and _QUESTION_ID.match(raw_id) else None
        reader = _Reader(table, self.problems, qid or _UNKNOWN)
        number = index + 1

        if "id" not in table:
            reader.problem("id", f"is required (question {number} has no id)")
        elif not isinstance(raw_id, str):
            reader.problem("id", f"must be a string, not {_type_name(raw_id)}")
        elif qid is None:
            reader.problem(
                "id",
                f"question {number}: {_show(raw_id)} must be 1 to 48 lowercase letters, "
                "digits or hyphens, starting with a letter or digit",
            )
        elif positions.get(qid) != index:
            reader.problem(
                "id", f"duplicate question id; question {positions[qid] + 1} already uses it"
            )
            qid = None  # keep the first one as the target of `when`

        kind = self._kind(reader)
        allowed = COMMON_QUESTION_KEYS + KIND_KEYS[kind] if kind else COMMON_QUESTION_KEYS
        if kind is not None:
            reader.unknown_keys(allowed, f"for a {kind.value} question")

        prompt = reader.string("prompt", required=True)
        help_text = reader.string("help", required=False)
        # A list that says `min = 0` may be left empty: optional unless it says otherwise.
        optional_list = kind is Kind.LIST and reader.table.get("min") == 0
        required = reader.boolean("required", default=not optional_list)
        no_names = reader.boolean("no_names", default=False)
        no_names_exempt = reader.string("no_names_exempt", required=False, single_line=True)
        no_sexual_detail = reader.boolean("no_sexual_detail", default=False)
        if kind is not None and no_names is not None and no_sexual_detail is not None:
            flags = SafetyFlags(
                no_names=no_names if "no_names" in table else None,
                no_names_exempt=no_names_exempt if "no_names_exempt" in table else None,
                no_sexual_detail=no_sexual_detail if "no_sexual_detail" in table else None,
            )
            if self.fill_safety_flags:
                flags = filled_flags(kind, flags, sensitive=self.sensitive)
                no_names = flags.no_names is True
                no_names_exempt = flags.no_names_exempt
                no_sexual_detail = flags.no_sexual_detail is True
            else:
                for key, message in safety_flag_problems(kind, flags, sensitive=self.sensitive):
                    reader.problem(key, message)
        plan = self._plan(reader)
        when = self._when(reader, index, positions, built)

        extras: _Extras = {}
        if kind is not None:
            extras = self._kind_fields(kind, reader)

        question: Question | None = None
        if (
            len(self.problems.lines) == before
            and qid is not None
            and kind is not None
            and prompt is not None
            and required is not None
            and no_names is not None
            and no_sexual_detail is not None
        ):
            question = Question(
                id=qid,
                kind=kind,
                prompt=prompt,
                help=help_text,
                required=required,
                no_names=no_names,
                no_names_exempt=no_names_exempt,
                no_sexual_detail=no_sexual_detail,
                when=when,
                plan=plan,
                **extras,
            )
        if qid is not None:
            built[qid] = question
        return question

    def _kind(self, reader: _Reader) -> Kind | None:
        if not reader.present("kind", required=True):
            return None
        value = reader.table["kind"]
        kinds = ", ".join(kind.value for kind in Kind)
        if not isinstance(value, str):
            reader.problem("kind", f"must be a string (one of {kinds}), not {_type_name(value)}")
            return None
        try:
            return Kind(value)
        except ValueError:
            reader.problem("kind", f"{_show(value)} is not a question kind; use one of {kinds}")
            return None

    def _plan(self, reader: _Reader) -> PlanSection | None:
        if "plan" not in reader.table:
            return None
        value = reader.table["plan"]
        sections = ", ".join(section.value for section in PlanSection)
        if isinstance(value, str):
            try:
                return PlanSection(value)
            except ValueError:
                pass
        shown = _show(value) if isinstance(value, str) else _type_name(value)
        reader.problem("plan", f"must be one of {sections}, not {shown}")
        return None

    def _when(
        self,
        reader: _Reader,
        index: int,
        positions: dict[str, int],
        built: dict[str, Question | None],
    ) -> When | None:
        if "when" not in reader.table:
            return None
        value = reader.table["when"]
        if not isinstance(value, dict):
            reader.problem(
                "when",
                'must be a table like { question = "earlier-id", equals = VALUE }, '
                f"not {_type_name(value)}",
            )
            return None
        sub = _Reader(value, self.problems, reader.question)
        ok = True
        for key in value:
            if key not in ("question", "equals", "any_of"):
                sub.problem(
                    f"when.{_key_label(key)}", "unknown key; use question, equals or any_of"
                )
                ok = False

        target: Question | None = None
        if "question" not in value:
            sub.problem("when.question", "is required")
            ok = False
        else:
            ref = value["question"]
            if not isinstance(ref, str):
                sub.problem("when.question", f"must be a string, not {_type_name(ref)}")
                ok = False
            elif ref == reader.question:
                sub.problem("when.question", "refers to this question itself")
                ok = False
            elif ref in positions and positions[ref] > index:
                sub.problem(
                    "when.question",
                    f"points forward to question '{ref}'; it must refer to an earlier question",
                )
                ok = False
            elif ref not in positions:
                sub.problem("when.question", f"unknown question {_show(ref)}")
                ok = False
            else:
                target = built.get(ref)
                if target is not None and target.kind not in WHEN_KINDS:
                    sub.problem(
                        "when.question",
                        f"question '{ref}' is a {target.kind.value} question; `when` can "
                        "only refer to choice, choices, scale or yes_no questions",
                    )
                    ok = False
                    target = None

        has_equals, has_any = "equals" in value, "any_of" in value
        values: list[object] = []
        field_name = "when"
        if has_equals == has_any:
            sub.problem("when", "needs exactly one of equals and any_of")
            ok = False
        elif has_equals:
            values = [value["equals"]]
            field_name = "when.equals"
        else:
            raw_any = value["any_of"]
            field_name = "when.any_of"
            if not isinstance(raw_any, list):
                sub.problem(field_name, f"must be an array, not {_type_name(raw_any)}")
                ok = False
            elif not raw_any:
                sub.problem(field_name, "must not be empty")
                ok = False
            else:
                values = list(raw_any)

        for item in values:
            if not isinstance(item, str | int | bool):
                sub.problem(
                    field_name,
                    f"must be a string, integer or boolean, not {_type_name(item)}",
                )
                ok = False
            elif target is not None:
                message = _when_value_problem(target, item)
                if message:
                    sub.problem(field_name, message)
                    ok = False
        if not ok or target is None:
            return None
        checked: list[WhenValue] = [v for v in values if isinstance(v, str | int | bool)]
        if has_equals:
            return When(question=target.id, equals=checked[0])
        return When(question=target.id, any_of=tuple(checked))

    # -- kind-specific fields --------------------------------------------------------

    def _kind_fields(self, kind: Kind, reader: _Reader) -> _Extras:
        if kind in (Kind.TEXT, Kind.LONG_TEXT):
            default = reader.string(
                "default", required=False, single_line=kind is Kind.TEXT, allow_blank=True
            )
            return {"default": default}
        if kind is Kind.YES_NO:
            yes_no_default: bool | None = None
            if "default" in reader.table:
                yes_no_default = reader.boolean("default", default=False)
            flag_on: bool | None = None
            if "flag_on" in reader.table:
                flag_on = reader.boolean("flag_on", default=False)
            return {"default": yes_no_default, "flag_on": flag_on}
        if kind is Kind.CHOICE:
            return self._choice(reader)
        if kind is Kind.CHOICES:
            return self._choices(reader)
        if kind is Kind.SCALE:
            return self._scale(reader)
        if kind is Kind.LIST:
            return self._list(reader)
        return self._table(reader)

    def _choice(self, reader: _Reader) -> _Extras:
        choices = reader.strings("choices", required=True, what="choice")
        default = reader.string("default", required=False, single_line=True)
        if default is not None and default not in _offered(reader, choices):
            reader.problem("default", f"{_show(default)} is not one of the choices")
        return {"choices": choices or (), "default": default}

    def _choices(self, reader: _Reader) -> _Extras:
        choices = reader.strings("choices", required=True, what="choice")
        count = len(choices) if choices else None
        low = reader.integer("min", required=False, low=0, high=count)
        high = reader.integer("max", required=False, low=1, high=count)
        if low is not None and high is not None and high < low:
            reader.problem("max", f"must be at least min ({low}), is {high}")
        default: Default | None = None
        if "default" in reader.table:
            raw = reader.table["default"]
            if not isinstance(raw, list):
                reader.problem("default", f"must be an array of choices, not {_type_name(raw)}")
            else:
                picked: list[str] = []
                for item in raw:
                    if not isinstance(item, str):
                        reader.problem(
                            "default", f"each item must be a string, not {_type_name(item)}"
                        )
                    elif item not in _offered(reader, choices):
                        reader.problem("default", f"{_show(item)} is not one of the choices")
                    elif item in picked:
                        reader.problem("default", f"{_show(item)} is listed twice")
                    else:
                        picked.append(item)
                effective_max = high if high is not None else count
                if low is not None and len(raw) and len(raw) < low:
                    reader.problem("default", f"picks {len(raw)}, fewer than min ({low})")
                if effective_max is not None and len(raw) > effective_max:
                    reader.problem("default", f"picks {len(raw)}, more than max ({effective_max})")
                default = tuple(picked)
        exclusive = self._exclusive(reader, choices, default)
        return {
            "choices": choices or (),
            "default": default,
            "exclusive": exclusive,
            "min": low if low is not None else 0,
            "max": high if high is not None else count,
        }

    def _exclusive(
        self, reader: _Reader, choices: tuple[str, ...] | None, default: Default | None
    ) -> tuple[str, ...]:
        """Choices that cannot be ticked with any other (such as "None of these")."""
        if "exclusive" not in reader.table:
            return ()
        named = reader.strings("exclusive", required=False, what="exclusive choice")
        if named is None:
            return ()
        for item in named:
            if item not in _offered(reader, choices):
                reader.problem("exclusive", f"{_show(item)} is not one of the choices")
        if isinstance(default, tuple) and len(default) > 1:
            for item in named:
                if item in default:
                    reader.problem("default", f"picks {_show(item)} with other choices")
        return named

    def _scale(self, reader: _Reader) -> _Extras:
        low = reader.integer("min", required=True)
        high = reader.integer("max", required=True)
        bounds_ok = low is not None and high is not None
        if low is not None and high is not None:
            if high <= low:
                reader.problem("max", f"must be greater than min ({low}), is {high}")
                bounds_ok = False
            elif high - low > MAX_SCALE_RANGE:
                reader.problem(
                    "max",
                    f"the range from min to max must be at most {MAX_SCALE_RANGE} "
                    f"(is {high - low})",
                )
                bounds_ok = False
        labels = self._labels(reader, low, high, bounds_ok)
        default = reader.integer(
            "default",
            required=False,
            low=low if bounds_ok else None,
            high=high if bounds_ok else None,
        )
        return {"min": low, "max": high, "labels": labels, "default": default}

    def _labels(
        self, reader: _Reader, low: int | None, high: int | None, bounds_ok: bool
    ) -> dict[int, str]:
        if not reader.present("labels", required=True):
            return {}
        raw = reader.table["labels"]
        if not isinstance(raw, dict):
            reader.problem(
                "labels",
                f'must be a table like {{ 0 = "calm", 10 = "very upset" }}, not {_type_name(raw)}',
            )
            return {}
        labels: dict[int, str] = {}
        for key, text in raw.items():
            if not _LABEL_KEY.match(key):
                reader.problem("labels", f"key {_show(key)} is not a whole number")
                continue
            number = int(key)
            if number in labels:
                reader.problem("labels", f"key {number} is given twice")
                continue
            if bounds_ok and low is not None and high is not None and not low <= number <= high:
                reader.problem("labels", f"key {number} is outside the range {low} to {high}")
            if not isinstance(text, str):
                reader.problem("labels", f"label {number} must be a string, not {_type_name(text)}")
            elif not text.strip():
                reader.problem("labels", f"label {number} must not be empty")
            elif not reader.text_problem("labels", text, single_line=True):
                labels[number] = text
        if bounds_ok and low is not None and high is not None:
            missing = [str(end) for end in (low, high) if end not in _label_numbers(raw)]
            if missing:
                reader.problem(
                    "labels",
                    f"must label min ({low}) and max ({high}); missing {' and '.join(missing)}",
                )
        return labels

    def _list(self, reader: _Reader) -> _Extras:
        low = reader.integer("min", required=False, low=0)
        high = reader.integer("max", required=False, low=1)
        if low is not None and high is not None and high < low:
            reader.problem("max", f"must be at least min ({low}), is {high}")
        elif low is not None and "max" not in reader.table and low > LIST_MAX_DEFAULT:
            reader.problem("min", f"is more than the default max ({LIST_MAX_DEFAULT}); set max too")
        item_prompt = reader.string("item_prompt", required=False)
        return {
            "min": LIST_MIN_DEFAULT if low is None else low,
            "max": LIST_MAX_DEFAULT if high is None else high,
            "item_prompt": item_prompt,
        }

    def _table(self, reader: _Reader) -> _Extras:
        rows = reader.strings("rows", required=True, what="row")
        columns = reader.strings("columns", required=True, what="column")
        row_header = reader.string("row_header", required=False, single_line=True)
        return {"rows": rows or (), "columns": columns or (), "row_header": row_header}


def _offered(reader: _Reader, choices: tuple[str, ...] | None) -> set[str]:
    """The choices a default may use, even when ``choices`` itself has problems."""
    if choices is not None:
        return set(choices)
    raw = reader.table.get("choices")
    return {item for item in raw if isinstance(item, str)} if isinstance(raw, list) else set()


def _label_numbers(raw: dict[str, object]) -> set[int]:
    """The integer keys of a labels table (keys that are not numbers are left out)."""
    return {int(key) for key in raw if _LABEL_KEY.match(key)}


# -- public API ----------------------------------------------------------------------


def _problem_line(source: str, message: str) -> str:
    return f"{source}: exercise '{_UNKNOWN}', question '{_UNKNOWN}', field '{_UNKNOWN}': {message}"


#: Most dotted parts one key may have. The TOML parser's cost grows with the square of
#: a key's parts, so a longer one is refused before parsing (no exercise needs more
#: than three).
MAX_KEY_PARTS = 32
_LONG_DOTTED_KEY = re.compile(
    r"(?<![A-Za-z0-9_\-\"'])"  # only from the start of a key: a linear scan
    r"(?:(?:[A-Za-z0-9_\-]{1,200}|\"[^\"\n]{0,200}\"|'[^'\n]{0,200}')[ \t]*\.[ \t]*)"
    + f"{{{MAX_KEY_PARTS},}}"
)


def _parse(
    text: str, source: str, *, fill_safety_flags: bool = False
) -> tuple[Exercise | None, list[str]]:
    """The exercise, or None and the list of problems. Never raises."""
    problems = _Problems(source)
    if len(text.encode("utf-8", "replace")) > limits.CUSTOM_EXERCISE_BYTES:
        return None, [
            _problem_line(
                source,
                f"is larger than an exercise file may be ({limits.CUSTOM_EXERCISE_BYTES:,} bytes)",
            )
        ]
    if _LONG_DOTTED_KEY.search(text):
        return None, [
            _problem_line(source, f"has a key with more than {MAX_KEY_PARTS} dotted parts")
        ]
    try:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            return None, [_problem_line(source, f"not valid TOML: {exc}")]
        exercise = _ExerciseParser(data, problems, fill_safety_flags=fill_safety_flags).parse(
            source
        )
    except Exception as exc:  # a loader bug must still come out as a problem, not a traceback
        problems.lines.append(
            _problem_line(source, f"could not be checked ({type(exc).__name__}); please report")
        )
        return None, problems.lines
    if problems.lines or exercise is None:
        if not problems.lines:  # pragma: no cover - parse() returns None only with problems
            problems.lines.append(_problem_line(source, "could not be loaded"))
        return None, problems.lines
    return exercise, []


def parse_exercise(text: str, source: str, *, fill_safety_flags: bool = False) -> Exercise:
    """Parse one exercise from TOML text; ``source`` names it in problem lines.

    Raises :class:`ExerciseError` listing every problem. With ``fill_safety_flags`` (an
    exercise already accepted: kept in a workbook or arriving in a signed assignment),
    missing safety reminders are switched on instead of refused (see
    :func:`osp_cli.exercises.safety_flags.filled_flags`).
    """
    exercise, problems = _parse(text, source, fill_safety_flags=fill_safety_flags)
    if exercise is None:
        raise ExerciseError(problems)
    return exercise


def _read(path: Path, source: str) -> tuple[Exercise | None, list[str]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return None, [_problem_line(source, f"cannot be read ({reason})")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [_problem_line(source, f"is not valid UTF-8 (bad byte at offset {exc.start})")]
    return _parse(text.removeprefix("\ufeff"), source)


def load_file(path: str | os.PathLike[str]) -> Exercise:
    """Load one exercise file. Raises :class:`ExerciseError` listing every problem."""
    exercise, problems = _read(Path(path), os.fspath(path))
    if exercise is None:
        raise ExerciseError(problems)
    return exercise


def duplicate_id_problems(exercises: Iterable[Exercise]) -> list[str]:
    """A problem line for each exercise whose id an earlier one already uses."""
    first: dict[str, Exercise] = {}
    problems: list[str] = []
    for exercise in exercises:
        if exercise.id in first:
            problems.append(
                f"{exercise.source}: exercise '{exercise.id}', question '{_UNKNOWN}', "
                f"field 'id': duplicate exercise id; {first[exercise.id].source} already uses it"
            )
        else:
            first[exercise.id] = exercise
    return problems


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[str]]:
    """Files to load (a directory means its ``*.toml`` files, sorted) and path problems."""
    files: list[Path] = []
    problems: list[str] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        try:
            if path.is_dir():
                found = sorted(p for p in path.glob("*.toml") if p.is_file())
            elif path.exists():
                found = [path]
            else:
                problems.append(_problem_line(os.fspath(given), "no such file or directory"))
                continue
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            problems.append(_problem_line(os.fspath(given), f"cannot be read ({reason})"))
            continue
        for file in found:
            try:
                key = file.resolve()
            except OSError:
                key = file
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files, problems


def load_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Exercise]:
    """Load files and directories (a directory means its ``*.toml`` files, sorted).

    Also checks that no two files share an exercise id. Raises :class:`ExerciseError`
    listing every problem in every file.
    """
    files, problems = expand_paths(paths)
    exercises: list[Exercise] = []
    for file in files:
        exercise, file_problems = _read(file, os.fspath(file))
        problems.extend(file_problems)
        if exercise is not None:
            exercises.append(exercise)
    problems.extend(duplicate_id_problems(exercises))
    if problems:
        raise ExerciseError(problems)
    return exercises
