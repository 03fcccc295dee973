"""No path is quadratic in custom exercises: each is parsed once per process, and a
lookup does not re-build the catalogue (bench/scaling.py measures the growth)."""

from __future__ import annotations

from typing import Any

import pytest
from exchange_data import CUSTOM

from osp_cli.exercises import loader
from osp_cli.workbook import model, service


def _customs(count: int) -> dict[str, str]:
    return {
        f"extra-{n:04d}": CUSTOM.replace('id = "my-extra"', f'id = "extra-{n:04d}"')
        for n in range(count)
    }


def test_custom_exercises_are_parsed_once_per_process(
    new_workbook: tuple[Any, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    workbook, _code = new_workbook
    customs = _customs(40)

    def add(payload: model.Payload) -> None:
        payload.custom_exercises.update(customs)

    workbook.save(add)
    parsed: list[str] = []
    real = loader.parse_exercise

    def counting(text: str, source: str, **options: Any) -> Any:
        parsed.append(source)
        return real(text, source, **options)

    monkeypatch.setattr(service, "parse_exercise", counting)  # where the service looks it up
    service._parse_custom.cache_clear()
    for exercise_id in customs:
        assert workbook.exercise(exercise_id).id == exercise_id
    assert len(parsed) == 40
    # A save (a new version of the workbook) rebuilds the catalogue without parsing again.
    workbook.save(model.set_answer("extra-0001", 1, "one", "an answer"))
    assert "extra-0001" in workbook.exercises()
    assert len(parsed) == 40
    # Re-opening the workbook in the same process parses nothing again either.
    reopened = service.open_with_passphrase("correct horse battery staple")
    assert len(reopened.exercises()) == len(workbook.exercises())
    assert len(parsed) == 40


def test_a_changed_custom_exercise_is_seen_at_once(new_workbook: tuple[Any, str]) -> None:
    workbook, _code = new_workbook

    def add(title: str) -> model.Change:
        def change(payload: model.Payload) -> None:
            payload.custom_exercises["my-extra"] = CUSTOM.replace("An extra exercise", title)

        return change

    workbook.save(add("First title"))
    assert workbook.exercise("my-extra").title == "First title"
    workbook.save(add("Second title"))
    assert workbook.exercise("my-extra").title == "Second title"
