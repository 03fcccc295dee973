"""The summary parser stays strict while it is made faster: every value it accepts comes
back out exactly as it went in, and every value of the wrong type, size or range, at
every place in a summary, is refused as a damaged file (never a traceback)."""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import pytest
from exchange_data import make_summary

from osp_cli import limits
from osp_cli.errors import DamagedFile
from osp_cli.exchange import summary as summary_mod


def _rich() -> dict[str, Any]:
    """A summary with every shape the parser knows: a table answer, scale labels, bounds,
    a repeatable exercise with a flagged answer in a dated entry, check-ins and a plan."""
    base = make_summary()
    first = base.exercises[0]
    questions = list(first.questions)
    questions[0] = dataclasses.replace(
        questions[0], kind="table", answer={"row one": {"col a": "x", "col b": ""}},
        rows=("row one",), columns=("col a", "col b"),
    )  # fmt: skip
    questions[1] = dataclasses.replace(
        questions[1], kind="scale", answer=-3, min=-5, max=5, labels={-5: "low", 5: "high"}
    )
    entry = dataclasses.replace(
        first,
        number=1,
        questions=(dataclasses.replace(questions[1], flagged=True), *questions[2:]),
    )
    diary = dataclasses.replace(
        first, id="urge-diary", repeatable=True, measure=True, questions=(), entries=(entry,)
    )
    rich = dataclasses.replace(
        base, exercises=(dataclasses.replace(first, questions=tuple(questions)), diary)
    )
    data: dict[str, Any] = rich.to_json()
    assert data["flagged"], "the fixture must hold a flagged answer"
    assert summary_mod.from_json(data) == rich
    return data


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _leaves(inner, (*path, key))
    elif isinstance(value, list) and value:
        for index, inner in enumerate(value):
            yield from _leaves(inner, (*path, index))
    yield path


def _set(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    target: Any = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return changed


WRONG = [None, True, 0, -(10**7), 10**10, 1.5, "x", "7", "", [], ["x"], [1], {}, {"a": 1}]


#: The types each named field may hold (JSON null is None).
TYPES: dict[str, tuple[type, ...]] = {
    **dict.fromkeys(("skipped", "flagged", "repeatable", "measure"), (bool,)),
    **dict.fromkeys(("feeling", "urge", "answered", "total", "version"), (int,)),
    **dict.fromkeys(("min", "max", "number", "entry"), (int, type(None))),
    **dict.fromkeys(("id", "title", "prompt", "kind", "status", "at", "text"), (str,)),
    **dict.fromkeys(("started", "completed", "reflection"), (str, type(None))),
    "self_harm": (bool, type(None)),
}


def _canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True)


def test_every_value_in_every_place_is_kept_exactly_or_refused() -> None:
    data = _rich()
    tried = accepted = 0
    for path in _leaves(data):
        if not path:
            continue
        for wrong in WRONG:
            changed = _set(data, path, wrong)
            tried += 1
            try:
                parsed = summary_mod.from_json(changed)
            except DamagedFile:
                continue
            accepted += 1
            if isinstance(path[-1], str) and path[-1] in TYPES:
                assert type(wrong) in TYPES[path[-1]], path
            # Whatever is accepted is exactly what was sent: no type is bent into another
            # (1 for true, 1.5 for 1, a list for a text), nothing is dropped.
            assert _canonical(parsed.to_json()) == _canonical(changed), path
    assert tried > 2000 and 0 < accepted < tried


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        (("note",), limits.NOTE_CHARS),
        (("exercises", 0, "questions", 2, "answer"), limits.ANSWER_CHARS),
        (("exercises", 0, "questions", 0, "answer", "row one", "col a"), limits.TABLE_CELL_CHARS),
        (("exercises", 0, "questions", 2, "choices"), summary_mod.MAX_TEXT),
        (("checkins", 0, "note"), limits.ANSWER_CHARS),
    ],
)
def test_text_at_its_limit_opens_and_one_past_it_is_refused(
    path: tuple[Any, ...], limit: int
) -> None:
    data = _rich()
    as_list = path[-1] == "choices"
    at = ["a" * limit] if as_list else "a" * limit
    past = ["a" * (limit + 1)] if as_list else "a" * (limit + 1)
    assert summary_mod.from_json(_set(data, path, at))
    with pytest.raises(DamagedFile):
        summary_mod.from_json(_set(data, path, past))


def test_keys_added_or_missing_anywhere_are_refused() -> None:
    data = _rich()
    for path in _leaves(data):
        if not path or not isinstance(path[-1], str):
            continue
        parent = _set(data, path, None)
        target: Any = parent
        for step in path[:-1]:
            target = target[step]
        if "answer" in path[:-1] or "labels" in path[:-1]:
            continue  # inside a table answer or the labels: any key is allowed there
        if path[-1] == "self_harm":
            continue  # check-ins from before the self-harm question have none
        del target[path[-1]]
        with pytest.raises(DamagedFile):
            summary_mod.from_json(parent)
        target[path[-1]] = None
        target["extra"] = None
        with pytest.raises(DamagedFile):
            summary_mod.from_json(parent)


def test_a_flagged_list_that_does_not_match_the_answers_is_refused() -> None:
    data = _rich()
    for wrong in ([], [{**data["flagged"][0], "entry": None}], data["flagged"] * 2):
        with pytest.raises(DamagedFile):
            summary_mod.from_json({**data, "flagged": wrong})
