"""'My plan': the living relapse-prevention plan, built from the participant's own answers.

Pure: exercises and payload in, a :class:`Plan` out. Questions carry a ``plan`` tag
(a :class:`~osp_cli.exercises.model.PlanSection`); every non-empty answer to a tagged,
visible question becomes one or more plan items, with the exercise and question it came
from. Sections with no items name the exercises that would fill them.

The plan is plain data so that the terminal view, exports and reports can all use it.
Item text is exactly what the participant wrote: render it through ``osp_cli.ui.safe``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from osp_cli.exercises.model import PLAN_HEADINGS, Kind, PlanSection, is_empty_answer
from osp_cli.workbook import model

if TYPE_CHECKING:
    from osp_cli.exercises.model import Exercise, Question

PLAN_SCHEMA = 1


@dataclass(frozen=True)
class PlanItem:
    """One thing in the plan, with where it came from."""

    text: str
    exercise_id: str
    exercise_title: str
    question_id: str
    question_prompt: str

    def to_json(self) -> dict[str, str]:
        return {
            "text": self.text,
            "exercise_id": self.exercise_id,
            "exercise_title": self.exercise_title,
            "question_id": self.question_id,
            "question_prompt": self.question_prompt,
        }


@dataclass(frozen=True)
class PlanPart:
    """One section of the plan: its items, or (when empty) the exercises that fill it."""

    section: str  # a PlanSection value, e.g. "warning-signs"
    heading: str  # e.g. "My warning signs"
    items: tuple[PlanItem, ...] = ()
    filled_by: tuple[str, ...] = ()  # ids of exercises whose questions feed this section

    @property
    def empty(self) -> bool:
        return not self.items

    def to_json(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "heading": self.heading,
            "items": [item.to_json() for item in self.items],
            "filled_by": list(self.filled_by),
        }


@dataclass(frozen=True)
class Plan:
    """The five sections, always all present and in ``PlanSection`` order."""

    parts: tuple[PlanPart, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return all(part.empty for part in self.parts)

    def part(self, section: str) -> PlanPart:
        for part in self.parts:
            if part.section == section:
                return part
        raise KeyError(section)

    def to_json(self) -> dict[str, Any]:
        return {"schema": PLAN_SCHEMA, "sections": [part.to_json() for part in self.parts]}


def answer_items(question: Question, value: object) -> list[str]:
    """The plan items one answer gives: one per list item or choice, one per table row."""
    if is_empty_answer(value):
        return []
    kind = question.kind
    if kind in (Kind.LIST, Kind.CHOICES) and isinstance(value, list | tuple):
        return [str(item).strip() for item in value if str(item).strip()]
    if kind is Kind.TABLE and isinstance(value, Mapping):
        items = []
        for row in question.rows:
            cells = value.get(row)
            if not isinstance(cells, Mapping):
                continue
            filled = [
                f"{column}: {str(cells[column]).strip()}"
                for column in question.columns
                if str(cells.get(column, "")).strip()
            ]
            if filled:
                items.append(f"{row}. " + "; ".join(filled))
        return items
    if kind is Kind.YES_NO:
        return [f"{question.prompt} {'Yes' if value else 'No'}"]
    if kind is Kind.SCALE and isinstance(value, int):
        label = question.label_for(value)
        shown = f"{value} ({label})" if label else str(value)
        return [f"{question.prompt} {shown}"]
    return [str(value).strip()]


def build_plan(exercises: Mapping[str, Exercise], payload: model.Payload) -> Plan:
    """The participant's plan from his answers (visible questions only)."""
    items: dict[PlanSection, list[PlanItem]] = {section: [] for section in PlanSection}
    fillers: dict[PlanSection, list[str]] = {section: [] for section in PlanSection}
    seen: set[PlanItem] = set()
    # Programme order, so an empty section points to the earliest exercises that fill it.
    for exercise in sorted(exercises.values(), key=lambda e: e.sort_key):
        for question in exercise.questions:
            if question.plan is not None and exercise.id not in fillers[question.plan]:
                fillers[question.plan].append(exercise.id)
        state = model.exercise_state(payload, exercise.id)
        if state is None:
            continue
        # A repeatable exercise feeds the plan from every entry, newest first; the
        # same item written in two entries is listed once.
        for entry in state.newest_first():
            answers = entry.values()
            for question in exercise.visible_questions(answers):
                if question.plan is None or question.id not in answers:
                    continue
                for text in answer_items(question, answers[question.id]):
                    item = PlanItem(text, exercise.id, exercise.title, question.id, question.prompt)
                    if item not in seen:
                        seen.add(item)
                        items[question.plan].append(item)
    parts = tuple(
        PlanPart(
            section=section.value,
            heading=PLAN_HEADINGS[section],
            items=tuple(items[section]),
            filled_by=tuple(fillers[section]),
        )
        for section in PlanSection
    )
    return Plan(parts)
