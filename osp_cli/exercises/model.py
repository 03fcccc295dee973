"""The exercise model: immutable records (named tuples) built by the loader, never by hand-parsing.

Everything here is pure: no I/O, no terminal. ``validate_answer`` is the one place that
decides whether a value fits a question; the UI and the vault both call it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple

from osp_cli import limits

__all__ = [
    "EVALUATION",
    "PLAN_HEADINGS",
    "SESSIONS",
    "AnswerValue",
    "Default",
    "Exercise",
    "Kind",
    "PlanSection",
    "Question",
    "When",
    "WhenValue",
    "is_empty_answer",
    "validate_answer",
]

EVALUATION = "evaluation"
DEFAULT_ORDER = 50
"""Where an exercise without ``order`` comes within its session."""
"""The ``session`` value of the end-of-programme evaluation exercises."""

SESSIONS: tuple[int | str, ...] = (1, 2, 3, 4, 5, 6, EVALUATION)
"""Every valid ``session`` value, in programme order."""

LIST_MIN_DEFAULT = 0
LIST_MAX_DEFAULT = 20


class Kind(enum.StrEnum):
    """The eight question kinds."""

    TEXT = "text"
    LONG_TEXT = "long_text"
    CHOICE = "choice"
    CHOICES = "choices"
    SCALE = "scale"
    YES_NO = "yes_no"
    LIST = "list"
    TABLE = "table"


WHEN_KINDS: frozenset[Kind] = frozenset({Kind.CHOICE, Kind.CHOICES, Kind.SCALE, Kind.YES_NO})
"""Kinds a ``when`` condition may refer to."""


class PlanSection(enum.StrEnum):
    """The sections of "My plan" that answers can feed."""

    WARNING_SIGNS = "warning-signs"
    RISKY_SITUATIONS = "risky-situations"
    COPING = "coping"
    IF_I_SLIP = "if-i-slip"
    CONTACTS = "contacts"
    REASONS = "reasons"
    GOALS = "goals"


PLAN_HEADINGS: dict[PlanSection, str] = {
    PlanSection.WARNING_SIGNS: "My warning signs",
    PlanSection.RISKY_SITUATIONS: "My risky situations",
    PlanSection.COPING: "What I will do",
    PlanSection.IF_I_SLIP: "If I slip",
    PlanSection.CONTACTS: "Who I can contact",
    PlanSection.REASONS: "My reasons to stay safe",
    PlanSection.GOALS: "What I am working towards",
}
"""Friendly headings for each plan section, in the order the plan shows them."""

WhenValue = str | int | bool
AnswerValue = str | int | bool | list[str] | dict[str, dict[str, str]]
Default = str | int | bool | tuple[str, ...]


#: The exercise model's records are named tuples, not dataclasses: immutable all the same,
#: and about a tenth of the cost to define ('osp exercises validate' loads this module
#: before its first line). A question without scale labels shares this empty mapping.
_NO_LABELS: Mapping[int, str] = MappingProxyType({})


def _same(a: object, b: object) -> bool:
    """Equality that does not treat ``True`` as ``1``."""
    return type(a) is type(b) and a == b


class When(NamedTuple):
    """Ask a question only if an earlier answer matches.

    Exactly one of ``equals`` and ``any_of`` is set (the loader guarantees it).
    """

    question: str
    equals: WhenValue | None = None
    any_of: tuple[WhenValue, ...] | None = None

    @property
    def values(self) -> tuple[WhenValue, ...]:
        if self.any_of is not None:
            return self.any_of
        return () if self.equals is None else (self.equals,)

    def holds(self, answers: Mapping[str, object]) -> bool:
        """True when the earlier answer matches.

        A missing (skipped or not yet given) answer never matches. For a ``choices``
        answer (a list), the condition holds when the chosen items include the value
        (``equals``) or any of the values (``any_of``).
        """
        answer = answers.get(self.question)
        if answer is None:
            return False
        wanted = self.values
        if isinstance(answer, list | tuple):
            return any(_same(item, value) for item in answer for value in wanted)
        return any(_same(answer, value) for value in wanted)


class Question(NamedTuple):
    """One question. Kind-specific fields keep their neutral value for other kinds.

    For ``list`` the loader fills ``min``/``max`` with 0/20 when absent; for ``choices``
    with 0 and the number of choices. For ``scale`` both are always set. ``exclusive``
    (``choices`` only) names options that cannot be ticked with any other.
    """

    id: str
    kind: Kind
    prompt: str
    help: str | None = None
    required: bool = True
    no_names: bool = False
    no_names_exempt: str | None = None
    no_sexual_detail: bool = False
    when: When | None = None
    plan: PlanSection | None = None
    choices: tuple[str, ...] = ()
    default: Default | None = None
    exclusive: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None
    labels: Mapping[int, str] = _NO_LABELS
    item_prompt: str | None = None
    rows: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    row_header: str | None = None
    flag_on: bool | None = None
    """yes_no only: this answer flags the question for the next session by default."""

    def label_for(self, value: int) -> str | None:
        """The scale label of ``value``, if it has one."""
        return self.labels.get(value)


class Exercise(NamedTuple):
    """One exercise file."""

    id: str
    title: str
    session: int | str
    topics: tuple[str, ...]
    minutes: int
    version: int
    intro: str
    reflection: str
    questions: tuple[Question, ...]
    sensitive: bool = False
    repeatable: bool = False  # a diary: each run is a new dated entry
    measure: bool = False  # a before-and-after measure: its scale answers go in the CSV
    care: str | None = None
    order: int = DEFAULT_ORDER
    source: str = ""

    def question(self, qid: str) -> Question:
        """The question with id ``qid``; ``KeyError`` if there is none."""
        for question in self.questions:
            if question.id == qid:
                return question
        raise KeyError(qid)

    def visible_questions(self, answers: Mapping[str, object]) -> list[Question]:
        """The questions to ask given the answers so far, in order.

        A question whose ``when`` does not hold is hidden, and so is one whose ``when``
        refers to a hidden question (a stale answer to a hidden question never counts).
        """
        visible: list[Question] = []
        shown: set[str] = set()
        for question in self.questions:
            cond = question.when
            if cond is None or (cond.question in shown and cond.holds(answers)):
                visible.append(question)
                shown.add(question.id)
        return visible

    @property
    def sort_key(self) -> tuple[int, int, str]:
        """Programme order: session (evaluation last), then ``order``, then id."""
        position = SESSIONS.index(self.session) if self.session in SESSIONS else len(SESSIONS)
        return (position, self.order, self.id)

    @property
    def session_label(self) -> str:
        """``"Session 3"`` or ``"Evaluation"``."""
        if isinstance(self.session, int):
            return f"Session {self.session}"
        return "Evaluation"


def is_empty_answer(value: object) -> bool:
    """True for "no answer": ``None``, blank text, an empty list or an all-blank table."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return len(value) == 0
    if isinstance(value, Mapping):
        return all(
            isinstance(row, Mapping) and all(is_empty_answer(cell) for cell in row.values())
            for row in value.values()
        )
    return False


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _check_items(question: Question, value: Sequence[object], noun: str) -> str | None:
    if not all(isinstance(item, str) for item in value):
        return f"Each {noun} must be text."
    low = question.min if question.min is not None else 0
    high = question.max
    if len(value) < low:
        return f"Please give at least {_count(low, noun)}."
    if high is not None and len(value) > high:
        return f"Please give at most {_count(high, noun)}."
    return None


def validate_answer(question: Question, value: object) -> str | None:
    """A plain message if ``value`` does not fit ``question``, else ``None``.

    ``None`` (and a blank or empty value) means "no answer": fine for an optional
    question, not for a required one. Table answers may leave rows or columns out
    (they count as blank) but must not name rows or columns the question lacks.
    """
    if is_empty_answer(value):
        if question.required:
            return "This question needs an answer."
        if value is None:
            return None
    kind = question.kind
    if kind in (Kind.TEXT, Kind.LONG_TEXT):
        if not isinstance(value, str):
            return "The answer must be text."
        if kind is Kind.TEXT and ("\n" in value or "\r" in value):
            return "The answer must fit on one line."
        return limits.too_long(value, limits.ANSWER_CHARS, "Your answer")
    if kind is Kind.CHOICE:
        if not isinstance(value, str):
            return "The answer must be one of the options."
        if value and value not in question.choices:
            return "Please pick one of the options."
        return None
    if kind is Kind.CHOICES:
        if not isinstance(value, list | tuple):
            return "The answer must be a list of options."
        if any(not isinstance(item, str) or item not in question.choices for item in value):
            return "Please pick only from the options."
        if len(set(value)) != len(value):
            return "Each option can be picked only once."
        if not value:  # an optional question left empty
            return None
        if len(value) > 1:
            for item in value:
                if item in question.exclusive:
                    return f"'{item}' cannot be ticked together with other options."
        return _check_items(question, value, "option")
    if kind is Kind.SCALE:
        if isinstance(value, bool) or not isinstance(value, int):
            return "The answer must be a whole number."
        assert question.min is not None and question.max is not None
        if not question.min <= value <= question.max:
            return f"Please give a number from {question.min} to {question.max}."
        return None
    if kind is Kind.YES_NO:
        if not isinstance(value, bool):
            return "The answer must be yes or no."
        return None
    if kind is Kind.LIST:
        if not isinstance(value, list | tuple):
            return "The answer must be a list."
        if any(isinstance(item, str) and not item.strip() for item in value):
            return "Items must not be blank."
        for item in value:
            long = limits.too_long(str(item), limits.LIST_ITEM_CHARS, "An item")
            if long:
                return long
        if not value:  # an optional question left empty
            return None
        return _check_items(question, value, "item")
    # Kind.TABLE
    if not isinstance(value, Mapping):
        return "The answer must be a table."
    for row, cells in value.items():
        if row not in question.rows:
            return "The table has a row this question does not have."
        if not isinstance(cells, Mapping):
            return "Each row of the table must map columns to text."
        for column, cell in cells.items():
            if column not in question.columns:
                return "The table has a column this question does not have."
            if not isinstance(cell, str):
                return "Each cell of the table must be text."
            long = limits.too_long(cell, limits.TABLE_CELL_CHARS, "A box of the table")
            if long:
                return long
    return None
