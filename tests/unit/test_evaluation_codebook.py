"""The before-and-after measure in the evaluation CSV, and its codebook.

docs/evaluation-codebook.md must name exactly the columns the CSV writer produces, in
order, and every item of the measure; the CSV must give each participant's first and
latest score and the change per item, across summaries exported at different times.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from pathlib import Path

import pytest

from osp_cli.errors import DamagedFile, ExerciseError
from osp_cli.exchange import summary as summary_mod
from osp_cli.exercises.catalogue import builtin_exercises
from osp_cli.exercises.loader import parse_exercise
from osp_cli.report import csv_rows
from osp_cli.workbook import model

CODEBOOK = Path(__file__).resolve().parents[2] / "docs" / "evaluation-codebook.md"
MEASURE = "before-after-measure"
BEFORE = {"control": 3, "plan-confidence": 2, "loneliness": 8, "urge-strength": 7,
          "harm-understanding": 4, "warning-signs": 3, "asking-for-help": 2, "hope": 3}  # fmt: skip
AFTER = {"control": 8, "plan-confidence": 9, "loneliness": 5, "urge-strength": 2,
         "harm-understanding": 9, "warning-signs": 8, "asking-for-help": 6, "hope": 7}  # fmt: skip


def codebook_columns() -> list[str]:
    text = CODEBOOK.read_text("utf-8")
    match = re.search(r"<!-- columns -->\n(.*?)<!-- /columns -->", text, re.S)
    assert match, "the codebook has no marked column table"
    return [
        line.split("|")[1].strip().strip("`")
        for line in match.group(1).splitlines()
        if line.startswith("| `")
    ]


def test_codebook_names_every_column_the_csv_writes_in_order() -> None:
    written = next(csv.reader(io.StringIO(csv_rows.write([]))))
    assert codebook_columns() == written == list(csv_rows.HEADER)
    assert {"before", "after", "change"} <= set(written)


def test_codebook_names_every_measure_type_and_every_item() -> None:
    text = CODEBOOK.read_text("utf-8")
    for kind in ("checkin", "completion", "evaluation", "entry", "outcome"):
        assert f"| `{kind}` |" in text, kind
    measure = builtin_exercises()[MEASURE]
    items = [q.id for q in measure.questions]
    assert items == list(BEFORE)
    for item in items:
        assert f"`{MEASURE}/{item}`" in text, item


def test_the_measure_exercise_is_six_to_eight_scale_items_taken_more_than_once() -> None:
    measure = builtin_exercises()[MEASURE]
    assert measure.repeatable and measure.measure and measure.session == 1
    assert 6 <= len(measure.questions) <= 8
    assert all(q.kind.value == "scale" and (q.min, q.max) == (0, 10) for q in measure.questions)
    assert all(q.labels.get(0) and q.labels.get(10) for q in measure.questions)


def test_a_measure_must_be_repeatable() -> None:
    text = (
        'id = "m1"\ntitle = "M"\nsession = 1\ntopics = ["outcome-measure"]\nminutes = 5\n'
        'version = 1\nmeasure = true\nintro = "i"\nreflection = "r"\n'
        '[[questions]]\nid = "q"\nkind = "scale"\nprompt = "p"\nmin = 0\nmax = 10\n'
        'labels = { 0 = "a", 10 = "b" }\n'
    )
    with pytest.raises(ExerciseError) as caught:
        parse_exercise(text, "m1.toml")
    assert "field 'measure': needs repeatable = true" in str(caught.value)
    assert parse_exercise(text.replace("measure = true", "measure = true\nrepeatable = true"), "m")


def _take(payload: model.Payload, scores: dict[str, int]) -> None:
    measure = builtin_exercises()[MEASURE]
    model.start_entry(MEASURE, measure.version)(payload)
    for item, score in scores.items():
        model.set_answer(MEASURE, measure.version, item, score)(payload)
    model.mark_complete(MEASURE, measure.version)(payload)


def _summary(payload: model.Payload, ref: str, entries: tuple[int, ...]) -> summary_mod.Summary:
    payload.participant_ref = ref
    made = summary_mod.build(
        payload, builtin_exercises(), [MEASURE], "", osp_version="test",
        entries={MEASURE: entries},
    )  # fmt: skip
    # Through the sealed form's JSON, as the practitioner's osp reads it.
    return summary_mod.from_json(json.loads(made.to_bytes()))


def test_csv_gives_before_after_and_change_per_item_across_summaries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stamps = iter(f"2026-{m:02d}-01T10:00:{s:02d}+00:00" for m in range(1, 13) for s in range(60))
    monkeypatch.setattr(model, "now", lambda: next(stamps))
    payload = model.new_payload()
    _take(payload, BEFORE)
    first = _summary(payload, "P-0142", (1,))  # exported after session 1
    _take(payload, AFTER)
    last = _summary(payload, "P-0142", (2,))  # exported at the last session
    once = model.new_payload()
    _take(once, BEFORE)
    only_before = _summary(once, "P-0200", (1,))
    assert [e.number for e in last.exercises[0].entries] == [2]

    text = csv_rows.write(
        [*csv_rows.rows(first), *csv_rows.rows(last), *csv_rows.rows(only_before)]
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    outcome = [r for r in rows if r["measure_type"] == "outcome"]
    assert len(outcome) == 2 * len(BEFORE)  # one row per person and item
    for row in outcome:
        item = row["measure"].removeprefix(f"{MEASURE}/")
        before = BEFORE[item]
        if row["participant_ref"] == "P-0142":
            after = AFTER[item]
            assert (row["before"], row["after"]) == (str(before), str(after))
            assert int(row["change"]) == after - before
            assert row["value"] == str(after) and row["time"].startswith("2026-")
        else:
            assert (row["before"], row["after"], row["change"]) == (str(before), "", "")
            assert row["value"] == str(before)
    # Loading as the codebook says: empty is missing, anything else a whole number.
    for row in rows:
        for column in ("before", "after", "change"):
            assert row[column] == "" or re.fullmatch(r"-?\d+", row[column])
        if row["measure_type"] != "outcome":
            assert (row["before"], row["after"], row["change"]) == ("", "", "")
    # The same summary read twice changes nothing.
    again = csv_rows.write([*csv_rows.rows(first), *csv_rows.rows(last), *csv_rows.rows(last)])
    assert again == csv_rows.write([*csv_rows.rows(first), *csv_rows.rows(last)])


def test_one_summary_with_both_entries_gives_the_same_scores(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stamps = iter(f"2026-{m:02d}-01T10:00:{s:02d}+00:00" for m in range(1, 13) for s in range(60))
    monkeypatch.setattr(model, "now", lambda: next(stamps))
    payload = model.new_payload()
    _take(payload, BEFORE)
    _take(payload, AFTER)
    rows = list(csv.DictReader(io.StringIO(csv_rows.render(_summary(payload, "P-7", (1, 2))))))
    change = {r["measure"]: int(r["change"]) for r in rows if r["measure_type"] == "outcome"}
    assert change[f"{MEASURE}/loneliness"] == -3 and change[f"{MEASURE}/hope"] == 4


def test_version_1_summaries_are_still_read_and_others_refused() -> None:
    from exchange_data import make_summary

    data = make_summary().to_json()
    old = {**data, "schema_version": 1}
    old["flagged"] = [{k: v for k, v in f.items() if k != "entry"} for f in data["flagged"]]
    old["exercises"] = [
        {k: v for k, v in e.items() if k not in ("repeatable", "measure", "number", "entries")}
        for e in data["exercises"]
    ]
    read = summary_mod.from_json(old)
    assert read.exercises == make_summary().exercises
    assert dataclasses.replace(read) == make_summary()
    with pytest.raises(DamagedFile):
        summary_mod.from_json({**data, "schema_version": 3})
    with pytest.raises(DamagedFile):
        summary_mod.from_json({**old, "schema_version": 2})  # version 2 needs its keys
