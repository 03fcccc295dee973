"""Pure use-cases of the participant side: progress, next exercise, the runner, the plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from osp_cli.exercises.loader import parse_exercise
from osp_cli.exercises.model import Exercise, PlanSection
from osp_cli.workbook import model, progress
from osp_cli.workbook.plan import build_plan
from osp_cli.workbook.runner import Runner

DATA = Path(__file__).parent.parent / "data" / "participant"


class Memory:
    """A workbook stand-in: payload in memory, every save counted."""

    def __init__(self) -> None:
        self.payload: model.Payload = model.new_payload()
        self.saves = 0

    def save(self, change: model.Change) -> None:
        change(self.payload)
        self.saves += 1


@pytest.fixture
def walk() -> Exercise:
    return parse_exercise((DATA / "walkthrough.toml").read_text("utf-8"), "walkthrough.toml")


def _answer_all(runner: Runner, overrides: dict[str, Any] | None = None) -> None:
    values: dict[str, Any] = {
        "feeling": "on edge",
        "story": "A long day.",
        "mood": "tense",
        "helpers": ["walking", "music"],
        "strength": 6,
        "talked": True,
        "who": "my brother",
        "places": ["home alone late", "the spare room"],
        "goals": {"Work": {"Goal": "steady job", "First step": "CV"}, "Family": {}},
    }
    values.update(overrides or {})
    index = runner.start_index()
    while index < len(runner.questions()):
        question = runner.questions()[index]
        assert runner.answer(question, values[question.id]) is None
        index = runner.index_of(question.id) + 1


def test_status_counts_only_visible_questions(walk: Exercise) -> None:
    store = Memory()
    runner = Runner(store, walk)
    status = progress.status_of(walk, store.payload)
    assert status.label == "not started"
    assert status.total == 8  # 'who' is hidden until 'talked' is yes
    runner.answer(walk.question("feeling"), "tired")
    runner.skip(walk.question("story"))
    status = progress.status_of(walk, store.payload)
    assert status.label == "in progress (2 of 8)"
    runner.answer(walk.question("talked"), True)
    assert progress.status_of(walk, store.payload).total == 9


def test_runner_resumes_at_first_open_question_and_saves_every_answer(walk: Exercise) -> None:
    store = Memory()
    runner = Runner(store, walk)
    assert runner.start_index() == 0
    runner.answer(walk.question("feeling"), "tired")
    assert store.saves == 1
    assert runner.start_index() == 1
    assert runner.skip(walk.question("feeling")) is not None  # required: cannot skip
    assert runner.skip(walk.question("story")) is None
    assert runner.start_index() == 2
    # a list still being filled in does not count as answered
    runner.save_partial(walk.question("places"), ["one"])
    assert runner.answers["places"] == ["one"]
    _answer_all(runner)
    assert runner.start_index() == len(runner.questions())


def test_runner_validates_and_flags(walk: Exercise) -> None:
    store = Memory()
    runner = Runner(store, walk)
    assert runner.answer(walk.question("mood"), "furious") == "Please pick one of the options."
    assert runner.answer(walk.question("strength"), 11) is not None
    assert store.saves == 0
    assert runner.toggle_flag(walk.question("mood")) is True
    assert runner.is_flagged(walk.question("mood"))
    assert runner.toggle_flag(walk.question("mood")) is False


def test_next_exercise_prefers_assigned_then_in_progress_then_first_new(walk: Exercise) -> None:
    other = parse_exercise(
        (DATA / "walkthrough.toml")
        .read_text("utf-8")
        .replace('"walkthrough"', '"other"', 1)
        .replace("session = 1", "session = 2"),
        "other.toml",
    )
    exercises = {walk.id: walk, other.id: other}
    store = Memory()
    assert progress.next_exercise(exercises, store.payload) == "walkthrough"
    Runner(store, other).answer(other.question("feeling"), "x")
    assert progress.next_exercise(exercises, store.payload) == "other"
    store.payload.assignments.append(
        model.ImportedAssignment(
            id="a1",
            sequence=1,
            issued=model.now(),
            session=1,
            exercises=("walkthrough",),
            due="2030-01-02",
            next_session="2030-01-03",
            note="",
            imported=model.now(),
        )
    )
    assert progress.next_exercise(exercises, store.payload) == "walkthrough"
    assert progress.next_session(store.payload) == "2030-01-03"
    status = progress.status_of(walk, store.payload)
    assert status.assigned and status.due == "2030-01-02"


def test_plan_has_every_section_in_order_with_sources(walk: Exercise) -> None:
    store = Memory()
    runner = Runner(store, walk)
    empty = build_plan({walk.id: walk}, store.payload)
    assert [p.section for p in empty.parts] == [s.value for s in PlanSection]
    fed = {"warning-signs", "risky-situations", "coping", "contacts", "goals"}
    assert empty.empty
    assert {p.section: p.filled_by for p in empty.parts} == {
        s.value: ("walkthrough",) if s.value in fed else () for s in PlanSection
    }
    _answer_all(runner)
    plan = build_plan({walk.id: walk}, store.payload)
    texts = {p.section: [i.text for i in p.items] for p in plan.parts if p.section in fed}
    assert texts == {
        "warning-signs": ["on edge"],
        "risky-situations": ["home alone late", "the spare room"],
        "coping": ["walking", "music"],
        "contacts": ["my brother"],
        "goals": ["Work. Goal: steady job; First step: CV"],
    }
    assert all(p.empty for p in plan.parts if p.section not in fed)
    item = plan.part("contacts").items[0]
    assert (item.exercise_id, item.question_id) == ("walkthrough", "who")
    sections = {s["section"]: s for s in plan.to_json()["sections"]}
    assert sections["contacts"]["items"][0]["text"] == "my brother"


def test_plan_ignores_answers_to_hidden_questions(walk: Exercise) -> None:
    store = Memory()
    runner = Runner(store, walk)
    _answer_all(runner)
    runner.answer(walk.question("talked"), False)  # 'who' is now hidden
    assert build_plan({walk.id: walk}, store.payload).part("contacts").empty


def test_empty_plan_sections_point_only_to_exercises_that_fill_them() -> None:
    """Every suggested exercise has a question tagged for that very section; the
    suggestions come in programme order."""
    from osp_cli.exercises.catalogue import builtin_exercises

    exercises = dict(reversed(builtin_exercises().items()))  # order must not matter
    plan = build_plan(exercises, model.new_payload())
    for part in plan.parts:
        assert part.filled_by, part.section
        for exercise_id in part.filled_by:
            tags = {q.plan.value for q in exercises[exercise_id].questions if q.plan}
            assert part.section in tags, (part.section, exercise_id)
        order = [exercises[e].sort_key for e in part.filled_by]
        assert order == sorted(order)


def test_dates_read_as_one_plain_british_format(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from osp_cli import dates

    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    try:
        assert dates.day("2026-12-03") == "Thursday 3 December 2026"
        assert dates.day("2026-12-03T23:30:00+00:00") == "Thursday 3 December 2026"
        # Summer time: 23:30 UTC is already the next day in London.
        assert dates.day_and_time("2026-07-02T23:30:00+00:00") == "Friday 3 July 2026, 00:30"
        assert dates.day_and_time("2026-12-03") == "Thursday 3 December 2026"
        assert dates.day("next week") == "next week" and dates.day(None) == ""
    finally:
        monkeypatch.undo()
        time.tzset()


def _variant(walk: Exercise, exercise_id: str, session: int, order: int) -> Exercise:
    text = (
        (DATA / "walkthrough.toml")
        .read_text("utf-8")
        .replace('"walkthrough"', f'"{exercise_id}"', 1)
        .replace("session = 1", f"session = {session}\norder = {order}")
    )
    return parse_exercise(text, f"{exercise_id}.toml")


def _assign(store: Memory, session: int, exercise_ids: list[str]) -> None:
    store.payload.assignments.append(
        model.ImportedAssignment(
            id=f"a{session}",
            sequence=session,
            issued=model.now(),
            session=session,
            exercises=tuple(exercise_ids),
            due=None,
            next_session=None,
            note="",
            imported=model.now(),
        )
    )


def test_next_after_assigned_work_stays_in_the_latest_session(walk: Exercise) -> None:
    """Someone in session 2 who has done what was set is offered more of session 2, not
    sent back to the start of session 1."""
    one_a, one_b = _variant(walk, "one-a", 1, 1), _variant(walk, "one-b", 1, 2)
    two_a, two_b = _variant(walk, "two-a", 2, 1), _variant(walk, "two-b", 2, 2)
    exercises = {e.id: e for e in (one_a, one_b, two_a, two_b)}
    store = Memory()
    _assign(store, 1, ["one-a"])
    _assign(store, 2, ["two-a"])
    assert progress.next_exercise(exercises, store.payload) == "one-a"  # set, unfinished
    Runner(store, one_a).complete()
    assert progress.next_exercise(exercises, store.payload) == "two-a"
    Runner(store, two_a).complete()
    assert progress.next_exercise(exercises, store.payload) == "two-b"  # latest session
    Runner(store, two_b).complete()
    assert progress.next_exercise(exercises, store.payload) == "one-b"  # programme order


def test_progress_says_not_set_yet_only_once_work_is_set(walk: Exercise) -> None:
    one, two = _variant(walk, "one", 1, 1), _variant(walk, "two", 2, 1)
    three = _variant(walk, "three", 3, 1)
    exercises = {e.id: e for e in (one, two, three)}
    store = Memory()
    assert not any(row.not_set for row in progress.by_session(exercises, store.payload))
    _assign(store, 1, ["one"])
    Runner(store, three).answer(three.question("feeling"), "started on my own")
    rows = {row.session: row.not_set for row in progress.by_session(exercises, store.payload)}
    assert rows == {1: False, 2: True, 3: False}


def _set(payload: model.Payload, number: int, imported: str, *ids: str) -> None:
    payload.assignments.append(
        model.ImportedAssignment(
            id=f"a{number}",
            sequence=number,
            issued=imported,
            session=1,
            exercises=ids,
            due=None,
            next_session=None,
            note="",
            imported=imported,
        )
    )


def test_a_finished_diary_set_again_is_to_do_again() -> None:
    """A repeatable exercise finished, then set again by a later assignment, is to do
    again (home, next, the count of set work) while its stage stays "done" (a summary
    reports what was done). Done again afterwards, it is done."""
    from osp_cli.exercises.catalogue import builtin_exercises

    exercises = builtin_exercises()
    diary = next(e for e in exercises.values() if e.repeatable and e.session == 1)
    other = next(e for e in exercises.values() if not e.repeatable and e.session == 1)
    payload = model.new_payload()
    _set(payload, 1, "2031-03-01T10:00:00+00:00", diary.id)
    model.mark_complete(diary.id, diary.version)(payload)
    payload.exercises[diary.id].entries[-1].completed = "2031-03-02T20:00:00+00:00"
    done = progress.status_of(diary, payload)
    assert done.stage is progress.Stage.DONE and not done.again and not done.to_do

    _set(payload, 2, "2031-03-09T10:00:00+00:00", diary.id)
    again = progress.status_of(diary, payload)
    assert again.stage is progress.Stage.DONE  # what was done is still done
    assert again.again and again.to_do and again.label == "to do again"
    assert progress.next_exercise(exercises, payload) == diary.id
    first = next(s for s in progress.by_session(exercises, payload) if s.session == 1)
    assert (first.set_total, first.set_done) == (1, 0)

    model.start_entry(diary.id, diary.version)(payload)  # osp do: a new dated entry
    model.mark_complete(diary.id, diary.version)(payload)
    payload.exercises[diary.id].entries[-1].completed = "2031-03-10T20:00:00+00:00"
    redone = progress.status_of(diary, payload)
    assert redone.stage is progress.Stage.DONE and not redone.again and not redone.to_do
    # A one-off exercise finished before it was set again stays done.
    model.mark_complete(other.id, other.version)(payload)
    payload.exercises[other.id].entries[-1].completed = "2031-03-01T12:00:00+00:00"
    _set(payload, 3, "2031-03-11T10:00:00+00:00", other.id)
    assert not progress.status_of(other, payload).to_do
    assert progress.status_of(other, payload).label == "done"
