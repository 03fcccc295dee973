"""Working through one exercise: the steps and the saving, without any terminal code.

The interactive flow (``osp_cli.ui.flow``) asks the questions; this module decides which
question comes next, validates answers, and saves each one the moment it is given. It
works on anything with a ``payload`` and a ``save(change)`` (a ``Workbook``), so tests can
drive it directly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from osp_cli.exercises.model import is_empty_answer, validate_answer
from osp_cli.workbook import model, progress

if TYPE_CHECKING:
    from osp_cli.exercises.model import Exercise, Question


class Store(Protocol):
    @property
    def payload(self) -> model.Payload: ...

    def save(self, change: model.Change) -> None: ...


REFLECTION_DRAFT = "_reflection"  # the drafts key of the closing reflection


class Runner:
    """One exercise in one workbook."""

    def __init__(self, store: Store, exercise: Exercise) -> None:
        self.store = store
        self.exercise = exercise

    # --- reading -------------------------------------------------------------------

    @property
    def answers(self) -> dict[str, Any]:
        return model.answers_of(self.store.payload, self.exercise.id)

    def questions(self) -> list[Question]:
        """The visible questions, given the answers so far."""
        return self.exercise.visible_questions(self.answers)

    def start_index(self) -> int:
        """Where to resume: the first visible question not yet answered or skipped."""
        return progress.first_open_index(self.exercise, self.store.payload)

    def index_of(self, question_id: str) -> int:
        for index, question in enumerate(self.questions()):
            if question.id == question_id:
                return index
        raise KeyError(question_id)

    def previous_answer(self, question: Question) -> Any:
        return self.answers.get(question.id)

    @property
    def state(self) -> model.ExerciseState | None:
        return model.exercise_state(self.store.payload, self.exercise.id)

    def is_flagged(self, question: Question) -> bool:
        state = self.state
        return state is not None and question.id in state.flagged

    def is_partial(self, question: Question) -> bool:
        """True for a list or table saved while it was still being filled in."""
        state = self.state
        return state is not None and question.id in state.current.partial

    @property
    def started(self) -> bool:
        return self.state is not None

    @property
    def completed(self) -> bool:
        state = self.state
        return state is not None and state.completed is not None

    @property
    def reflection(self) -> str | None:
        state = self.state
        return state.reflection if state else None

    def draft(self, key: str) -> str | None:
        """Text typed for ``key`` (a question id, or "_reflection") but not yet given as
        an answer: kept when Ctrl-C or a closed terminal interrupted the typing."""
        state = self.state
        value = state.drafts.get(key) if state else None
        return value if value and value.strip() else None

    # --- changing (each call is one durable save) ----------------------------------

    def answer(self, question: Question, value: Any) -> str | None:
        """Validate and save a finished answer. Returns a message if it does not fit."""
        problem = validate_answer(question, value)
        if problem:
            return problem
        if is_empty_answer(value):  # an optional question left blank counts as skipped
            return self.skip(question)
        ex = self.exercise
        changes = [
            model.set_answer(ex.id, ex.version, question.id, value),
            model.set_partial(ex.id, question.id, False),
        ]
        if self.flags_by_default(question, value):
            changes.append(model.set_flag(ex.id, ex.version, question.id, True))
        self.store.save(model.both(*changes))
        return None

    def flags_by_default(self, question: Question, value: Any) -> bool:
        """True when this answer newly matches the question's ``flag_on`` (it then starts
        flagged; answering the same again later leaves his choice of flag alone)."""
        if question.flag_on is None or value is not question.flag_on:
            return False
        return self.answers.get(question.id) is not question.flag_on

    def save_partial(self, question: Question, value: Any) -> None:
        """Save a list or table that is still being filled in, so nothing typed is lost."""
        ex = self.exercise
        self.store.save(
            model.both(
                model.set_answer(ex.id, ex.version, question.id, value),
                model.set_partial(ex.id, question.id, True),
            )
        )

    def skip(self, question: Question) -> str | None:
        if question.required:
            return "This question needs an answer, so it cannot be skipped."
        ex = self.exercise
        self.store.save(
            model.both(
                model.skip(ex.id, ex.version, question.id),
                model.set_partial(ex.id, question.id, False),
            )
        )
        return None

    def toggle_flag(self, question: Question) -> bool:
        """Flag or unflag a question 'to talk about at the next session'. Returns new state."""
        flagged = not self.is_flagged(question)
        ex = self.exercise
        self.store.save(model.set_flag(ex.id, ex.version, question.id, flagged))
        return flagged

    def set_reflection(self, text: str | None) -> None:
        ex = self.exercise
        value = text if text and text.strip() else None
        self.store.save(
            model.both(
                model.set_reflection(ex.id, ex.version, value),
                model.clear_draft(ex.id, REFLECTION_DRAFT),
            )
        )

    def start_new_entry(self) -> bool:
        """For a repeatable exercise whose latest entry is finished: begin a new dated
        entry. Returns True if one was started (an unfinished entry is carried on)."""
        if not self.exercise.repeatable or not self.completed:
            return False
        ex = self.exercise
        self.store.save(model.start_entry(ex.id, ex.version))
        return True

    def save_draft(self, key: str, text: str) -> None:
        """Keep unsubmitted text for ``key`` (saved encrypted, like an answer)."""
        if text.strip():
            ex = self.exercise
            self.store.save(model.set_draft(ex.id, ex.version, key, text))

    def drop_draft(self, key: str) -> None:
        """Forget a draft (he chose to start again)."""
        if self.draft(key) is not None:
            self.store.save(model.clear_draft(self.exercise.id, key))

    def complete(self) -> None:
        ex = self.exercise
        self.store.save(model.mark_complete(ex.id, ex.version))

    def checkin(self, feeling: int, urge: int, note: str, when: str) -> bool:
        """Save a check-in before/after this exercise. True if it is a high one."""
        self.store.save(model.add_checkin(feeling, urge, note, f"{when}:{self.exercise.id}"))
        return progress.is_high(feeling, urge)
