"""A repeatable exercise (a diary) done three times gives three dated entries: in
review, in progress, in the export (he chooses which to share), in the practitioner's
HTML (with its chart) and in the evaluation CSV.

The diary arrives as a custom exercise in a signed assignment, as a practitioner's own
exercise would. Entries are made through the same use-case ``osp do`` uses (the Runner);
one run goes through ``osp do`` itself, to show a finished diary starts a new entry.
"""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path

import pytest
from cli_run import PART, PRAC, flat, practitioner, run

from osp_cli.workbook import model, service
from osp_cli.workbook.runner import Runner
from osp_cli.workbook.service import Workbook

ENTER, DOWN, ESC_ENTER = "\r", "\x1b[B", "\x1b\r"

DIARY = """
id = "evening-diary"
title = "Evening diary"
session = 1
topics = ["coping"]
minutes = 5
version = 1
repeatable = true
intro = "A short diary, filled in on any evening."
reflection = "Anything else about today?"

[[questions]]
id = "what"
kind = "text"
prompt = "What happened this evening?"
no_names = true
no_sexual_detail = true

[[questions]]
id = "stress"
kind = "scale"
prompt = "How stressed did you feel?"
min = 0
max = 10
labels = { 0 = "calm", 10 = "very stressed" }
required = false
"""
RATINGS = (7, 4, 2)  # entry 1, 2, 3


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each saved change a day after the last, so entries have distinct dates."""
    import datetime as dt

    days = itertools.count()
    start = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)

    def now() -> str:
        return (start + dt.timedelta(days=next(days))).isoformat(timespec="seconds")

    monkeypatch.setattr(model, "now", now)


@pytest.fixture
def diary_book(tmp_path: Path, new_workbook: tuple[Workbook, str], clock: None) -> Path:
    """A practitioner, and a participant who imported an assignment with the diary."""
    result = practitioner(tmp_path, ["init"], stdin=f"{PRAC}\n{PRAC}\n")
    assert result.exit_code == 0, result.output
    custom = tmp_path / "evening-diary.toml"
    custom.write_text(DIARY, encoding="utf-8")
    ospa = tmp_path / "a1.ospa"
    result = practitioner(
        tmp_path,
        ["assign", "--participant", "P-0142", "--session", "1", "--custom", str(custom),
         "--next-session", "2030-01-02", "--out", str(ospa)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    result = run(["import", str(ospa)], stdin=PART + "\n", keys=["y"])
    assert result.exit_code == 0, result.output
    return tmp_path


def do_diary(workbook: Workbook, what: str, stress: int) -> None:
    """One run through the diary, saved answer by answer as ``osp do`` saves it."""
    workbook.vault.reload()
    exercise = workbook.exercise("evening-diary")
    runner = Runner(workbook, exercise)
    runner.start_new_entry()
    assert runner.answer(exercise.question("what"), what) is None
    assert runner.answer(exercise.question("stress"), stress) is None
    runner.set_reflection(f"reflection on {what}")
    runner.complete()


def three_entries() -> Workbook:
    workbook = service.open_with_passphrase(PART)
    for number, stress in enumerate(RATINGS, start=1):
        do_diary(workbook, f"evening number {number}", stress)
    return service.open_with_passphrase(PART)


def test_three_runs_are_three_dated_entries(diary_book: Path) -> None:
    workbook = three_entries()
    state = workbook.payload.exercises["evening-diary"]
    assert [e.number for e in state.entries] == [1, 2, 3]
    assert [e.values()["stress"] for e in state.entries] == list(RATINGS)
    assert len({e.started for e in state.entries}) == 3  # each dated
    assert all(e.completed for e in state.entries)
    # The plan, progress and review read every entry; the latest is the current one.
    assert workbook.answers("evening-diary")["what"] == "evening number 3"


def test_review_shows_entries_newest_first(diary_book: Path) -> None:
    three_entries()
    result = run(["review", "evening-diary"], stdin=PART + "\n", keys=[ENTER])
    assert result.exit_code == 0, result.output
    out = flat(result)
    positions = [out.index(f"evening number {n}") for n in (3, 2, 1)]
    assert positions == sorted(positions)
    for n in (1, 2, 3):
        assert f"Entry {n}:" in out
    assert out.index("Entry 3:") < out.index("Entry 2:") < out.index("Entry 1:")


def test_progress_charts_the_ratings_over_time(diary_book: Path) -> None:
    three_entries()
    result = run(["progress"], stdin=PART + "\n", keys=[ENTER])
    assert result.exit_code == 0, result.output
    out = flat(result)
    assert "Your diaries over time" in out and "How stressed did you feel? (0 to 10)" in out
    chart = out[out.index("Your diaries over time") :]
    assert chart.index("Entry 1") < chart.index("Entry 2") < chart.index("Entry 3")
    for value in RATINGS:
        assert f"{'█' * value}" in chart


def test_osp_do_on_a_finished_diary_starts_a_new_entry(diary_book: Path) -> None:
    workbook = service.open_with_passphrase(PART)
    do_diary(workbook, "evening number 1", 5)
    keys = [
        ENTER,  # Start a new entry
        ENTER,  # the opening screen (title, time, intro)
        ENTER,  # ready
        "a quiet evening" + ENTER,  # what
        "3" + ENTER,  # stress 3 (typed)
        ESC_ENTER,  # reflection: blank
        ENTER,  # done
        ENTER,
    ]
    result = run(["do", "evening-diary"], stdin=PART + "\n", keys=keys)
    assert result.exit_code == 0, result.output
    assert "Each time you do it is a new dated entry" in flat(result)
    state = service.open_with_passphrase(PART).payload.exercises["evening-diary"]
    assert [e.number for e in state.entries] == [1, 2]
    assert state.entries[0].values() == {"what": "evening number 1", "stress": 5}
    assert state.entries[1].values() == {"what": "a quiet evening", "stress": 3}
    assert state.entries[1].completed and state.entries[1].started > state.entries[0].started


def test_export_html_and_csv_carry_the_entries(diary_book: Path, tmp_path: Path) -> None:
    three_entries()
    sealed = tmp_path / "summary.osps"
    keys = [
        DOWN + ENTER,  # let me choose
        ENTER,  # the diary, check-ins and plan (all ticked)
        ENTER,  # entries: all three ticked (nothing exported yet)
        ENTER,  # no note
        "y",  # seal it
    ]
    result = run(["export", "--out", str(sealed)], stdin=PART + "\n", keys=keys)
    assert result.exit_code == 0, result.output
    exported = service.open_with_passphrase(PART).payload.exports[-1]
    assert exported.exercises == ("evening-diary",)
    assert exported.entries == {"evening-diary": (1, 2, 3)}

    page, js = tmp_path / "r.html", tmp_path / "r.json"
    opened = practitioner(diary_book, ["open", str(sealed), "--html", str(page), "--json", str(js)])
    assert opened.exit_code == 0, opened.output
    import json

    data = json.loads(js.read_text("utf-8"))
    diary = next(e for e in data["exercises"] if e["id"] == "evening-diary")
    assert diary["repeatable"] is True and diary["questions"] == []
    assert [e["number"] for e in diary["entries"]] == [3, 2, 1]  # newest first
    assert [e["started"][:10] for e in diary["entries"]] == sorted(
        (e["started"][:10] for e in diary["entries"]), reverse=True
    )
    html = page.read_text("utf-8")
    assert html.count('<section class="entry">') == 3
    assert html.index("evening number 3") < html.index("evening number 1")
    chart = html[html.index('<svg class="chart entries"') :]
    chart = chart[: chart.index("</svg>")]
    assert chart.count("<circle") == 3 and "<polyline" in chart
    for n, value in enumerate(RATINGS, start=1):
        assert f"<title>Entry {n}: {value}</title>" in chart

    csv_path = tmp_path / "evaluation.csv"
    result = practitioner(diary_book, ["evaluation", str(sealed), "--csv", str(csv_path)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text("utf-8"))))
    entries = [r for r in rows if r["measure_type"] == "entry"]
    assert [(r["measure"], r["value"]) for r in entries] == [
        ("evening-diary/stress", str(v)) for v in RATINGS
    ]
    assert len({r["time"] for r in entries}) == 3


def test_he_can_share_only_some_entries(diary_book: Path, tmp_path: Path) -> None:
    three_entries()
    sealed = tmp_path / "summary.osps"
    keys = [
        DOWN + ENTER,  # let me choose
        ENTER,  # the diary, check-ins and plan
        DOWN + " " + ENTER,  # entries, newest first: untick entry 2
        ENTER,  # no note
        "y",
    ]
    result = run(["export", "--out", str(sealed)], stdin=PART + "\n", keys=keys)
    assert result.exit_code == 0, result.output
    out = flat(result)
    assert "evening number 3" in out and "evening number 1" in out
    assert "evening number 2" not in out  # not in the preview, so not in the summary
    exported = service.open_with_passphrase(PART).payload.exports[-1]
    assert exported.entries == {"evening-diary": (1, 3)}


def test_a_finished_diary_can_be_left_without_a_new_entry(diary_book: Path) -> None:
    workbook = service.open_with_passphrase(PART)
    do_diary(workbook, "evening number 1", 5)
    result = run(["do", "evening-diary"], stdin=PART + "\n", keys=[DOWN + ENTER])  # Leave
    assert result.exit_code == 0, result.output
    assert "Each time you do it is a new dated entry" in flat(result)
    state = service.open_with_passphrase(PART).payload.exercises["evening-diary"]
    assert [e.number for e in state.entries] == [1]
