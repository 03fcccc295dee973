"""Hostile sizes and shapes, at and beyond the limits (megabytes): each is refused before
parsing or handled in linear time, within a time bound and a memory bound (issue 12.7)."""

from __future__ import annotations

import dataclasses
import json
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from exchange_data import make_summary

from osp_cli import limits
from osp_cli.errors import DamagedFile, UserError
from osp_cli.exchange import files, summary
from osp_cli.exchange.identifying import find_identifying, ref_problem
from osp_cli.exercises.loader import parse_exercise
from osp_cli.report import render
from osp_cli.workbook.progress import CheckIn

MB = 1024 * 1024
MEMORY_BOUND = 200 * MB  # the SPEC's budget for any command


@contextmanager
def bounded(seconds: float, memory: int = MEMORY_BOUND) -> Iterator[None]:
    """The block must finish within ``seconds`` and allocate at most ``memory`` at its
    peak (measured by tracemalloc, so the time bound is generous)."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        yield
    finally:
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert elapsed < seconds, f"took {elapsed:.1f} s"
    assert peak < memory, f"peak {peak / MB:.0f} MB"


def _raises(kind: type[Exception], action: Callable[[], Any]) -> None:
    with pytest.raises(kind):
        action()


@pytest.mark.parametrize(
    "text",
    [
        "x" * MB,  # one unbroken word
        "a-" * (MB // 2),  # many word boundaries
        "a." * (MB // 2),  # a dotted run, never ending in a known domain
        "a@" * (MB // 2),  # at-signs everywhere
        "1 " * (MB // 2),  # digits everywhere
        "Ab Cd " * (MB // 6),  # name-like pairs everywhere
    ],
    ids=["word", "dashes", "dots", "at", "digits", "names"],
)
def test_the_identifying_check_is_linear(text: str) -> None:
    # A quadratic check would take hours on a megabyte; a linear one takes seconds (the
    # bound is generous: tracemalloc and a busy machine slow it several times).
    with bounded(60):
        found = find_identifying(text)
    assert len(found) <= 50


def test_a_long_participant_reference_is_refused_at_once() -> None:
    with bounded(1):
        for ref in ("a" * (4 * MB), "P-" + "1" * MB, "x@" * MB):
            assert ref_problem(ref) is not None


def test_a_forged_64_mib_summary_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "forged.osps"
    with path.open("wb") as handle:
        handle.truncate(64 * MB)  # sparse: no disk used
    with bounded(5, memory=limits.SEALED_SUMMARY_BYTES + 16 * MB):
        _raises(UserError, lambda: files.read_limited(path, limits.SEALED_SUMMARY_BYTES, "x"))


@pytest.mark.parametrize(
    "shape",
    [
        lambda n: "[" + "[]," * n + "[]]",  # millions of tiny lists
        lambda n: '{"schema_version": 1, "note": "' + "x" * (3 * n) + '"}',  # one huge string
        lambda n: "[" * n + "]" * n,  # deep nesting
    ],
    ids=["lists", "string", "nesting"],
)
def test_hostile_summary_json_at_the_limit_is_damage_within_bounds(
    shape: Callable[[int], str],
) -> None:
    raw = shape(limits.SUMMARY_BYTES // 3 - 20).encode()
    assert len(raw) <= limits.SUMMARY_BYTES
    with bounded(60):
        _raises(DamagedFile, lambda: summary.from_bytes(raw))
    with bounded(5):
        _raises(DamagedFile, lambda: summary.from_bytes(raw + b" " * limits.SUMMARY_BYTES))


def test_the_html_chart_is_linear_in_check_ins() -> None:
    def page(count: int) -> float:
        checkins = tuple(
            CheckIn(f"2026-01-{1 + i % 28:02d}T{i % 24:02d}:00:00+00:00", i % 11, i % 7, "", "m")
            for i in range(count)
        )
        started = time.monotonic()
        render("html", dataclasses.replace(make_summary(), checkins=checkins))
        return time.monotonic() - started

    small, large = page(2_000), page(32_000)
    assert large < 10
    assert large < small * 16 * 4  # 16 times the check-ins: far from 256 times the time


def test_long_dotted_toml_keys_are_refused_before_parsing() -> None:
    just_under = "a." * (limits.CUSTOM_EXERCISE_BYTES // 2 - 8) + "a = 1\n"
    assert len(just_under) <= limits.CUSTOM_EXERCISE_BYTES
    from osp_cli.errors import ExerciseError

    with bounded(2):
        with pytest.raises(ExerciseError, match="dotted parts"):
            parse_exercise(just_under, "hostile.toml")
        with pytest.raises(ExerciseError, match="larger than an exercise file"):
            parse_exercise("a." * MB + "a = 1\n", "huge.toml")
        spaced = "a . " * (limits.CUSTOM_EXERCISE_BYTES // 4 - 8) + "a = 1\n"
        with pytest.raises(ExerciseError, match="dotted parts"):
            parse_exercise(spaced, "spaced.toml")


def test_a_summary_at_the_size_limit_opens_within_bounds() -> None:
    """The largest real summary osp would send: many long answers, up to the limit."""
    base = make_summary()
    exercise = base.exercises[0]
    question = dataclasses.replace(exercise.questions[0], kind="long_text", answer="w" * 20_000)
    many = tuple(
        dataclasses.replace(exercise, id=f"e{i}", questions=(question,)) for i in range(200)
    )
    big = dataclasses.replace(base, exercises=many)
    raw = big.to_bytes()
    while len(raw) > limits.SUMMARY_BYTES:  # as many as fit
        big = dataclasses.replace(big, exercises=big.exercises[:-1])
        raw = big.to_bytes()
    assert limits.SUMMARY_BYTES - 60_000 < len(raw) <= limits.SUMMARY_BYTES
    with bounded(120):
        back = summary.from_bytes(raw)
        render("html", back)
    assert len(json.loads(raw)["exercises"]) == len(back.exercises) > 190
