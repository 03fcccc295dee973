"""Anonymised evaluation data: one row per participant reference, measure and time.

Measures: ``checkin`` (``upset`` and ``urges``, 0-10), ``completion`` (one per exercise:
the percentage of its questions dealt with, a whole number 0-100), ``evaluation``
(the answers to scale, choice, several-choice and yes/no questions of the evaluation
exercises), ``entry`` (the scale answers of each dated entry of a repeatable exercise)
and ``outcome`` (a before-and-after measure: one row per item with the first score, the
latest score and the change in ``before``, ``after`` and ``change``). Free text is
never included. Every cell goes through ``safe.csv_cell`` (no formula can start one).

Two columns keep doubtful rows visible instead of letting them replace others:
``sender`` (``verified``, ``first time seen``, ``DIFFERENT KEY`` or ``unverified``: see
:mod:`osp_cli.exchange.pins`) and ``duplicate`` (``yes`` when another summary gives a
different value, or the same value from a different key, for the same participant,
measure and time). Rows repeated exactly, from the same key, appear once.
docs/evaluation-codebook.md describes every column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from osp_cli.exchange.summary import Summary
from osp_cli.ui import safe

HEADER = (
    "participant_ref",
    "measure_type",
    "measure",
    "time",
    "value",
    "sender",
    "duplicate",
    "before",
    "after",
    "change",
)
#: (ref, measure type, measure, time, value, sender check, signing key fingerprint); the
#: fingerprint only tells rows apart and is not written out. ``outcome`` rows are one per
#: time the measure was taken; :func:`unique_rows` folds them into one row per item,
#: filling ``before``, ``after`` and ``change`` (empty on every other row).
Row = tuple[str, str, str, str, str, str, str]
_EVALUATION_KINDS = ("scale", "choice", "choices", "yes_no")


#: (ref, measure type, measure, time, value): one measurement, before the sender columns.
Measure = tuple[str, str, str, str, str]


def rows(summary: Summary) -> list[Row]:
    sender = summary.sender
    check = sender.check.value if sender is not None else ""
    key = (sender.fingerprint or "") if sender is not None else ""
    return [(*row, check, key) for row in measures(summary)]


def measures(summary: Summary) -> list[Measure]:
    """The summary's measurements, in order: check-ins (``upset`` then ``urges`` for
    each), then for each exercise its completion, its entries' scores or its evaluation
    answers."""
    ref = summary.participant_ref
    found: list[Measure] = []
    for c in summary.checkins:
        found.append((ref, "checkin", "upset", c.at, str(c.feeling)))
        found.append((ref, "checkin", "urges", c.at, str(c.urge)))
    for e in summary.exercises:
        when = e.completed or summary.created
        percent = round(100 * e.answered / e.total) if e.total else 0
        found.append((ref, "completion", e.id, when, str(percent)))
        if e.repeatable:
            kind = "outcome" if e.measure else "entry"
            for entry in e.entries:
                for q in entry.questions:
                    if q.kind == "scale" and type(q.answer) is int and entry.started:
                        found.append((ref, kind, f"{e.id}/{q.id}", entry.started, str(q.answer)))
            continue
        if e.session != "evaluation":
            continue
        for q in e.questions:
            value = q.answer
            if q.kind not in _EVALUATION_KINDS or value is None or value == []:
                continue
            if isinstance(value, bool):
                shown = "yes" if value else "no"
            elif isinstance(value, list):
                shown = "; ".join(value)
            else:
                shown = str(value)
            found.append((ref, "evaluation", f"{e.id}/{q.id}", when, shown))
    return found


def unique_rows(all_rows: Iterable[Row]) -> list[tuple[str, ...]]:
    """The rows as written, sorted, with the ``duplicate`` column: a row repeated exactly
    (same value, same key) appears once; rows that disagree for the same
    ref/measure/time all appear, marked. Each participant's ``outcome`` scores for one
    item are folded into one row (:func:`outcomes`)."""
    unique: dict[tuple[str, str, str, str, str, str], Row] = {}
    versions: dict[tuple[str, str, str, str], int] = {}
    scores: list[Row] = []
    for row in all_rows:
        exact = (*row[:5], row[6])
        if exact in unique:
            continue
        unique[exact] = row
        if row[1] == "outcome":
            scores.append(row)
            continue
        versions[row[:4]] = versions.get(row[:4], 0) + 1
    ordered = sorted(
        (r for r in unique.values() if r[1] != "outcome"),
        key=lambda r: (r[0], r[1], r[2], r[3], r[4], r[5]),
    )
    full = [(*row[:6], "yes" if versions[row[:4]] > 1 else "", "", "", "") for row in ordered]
    return sorted([*full, *outcomes(scores)], key=lambda r: (r[0], r[1], r[2], r[3]))


def outcomes(scores: Iterable[Row]) -> list[tuple[str, ...]]:
    """One row per participant and item of a before-and-after measure: ``time``,
    ``value`` and ``sender`` are the latest score's; ``before`` is the earliest score;
    ``after`` the latest, when the measure was taken more than once; ``change`` is
    after - before. ``duplicate`` is ``yes`` when two summaries disagree about a score."""
    taken: dict[tuple[str, str], dict[str, list[Row]]] = {}
    for row in scores:
        taken.setdefault((row[0], row[2]), {}).setdefault(row[3], []).append(row)
    found: list[tuple[str, ...]] = []
    for (ref, item), by_time in taken.items():
        times = sorted(by_time)
        first, last = by_time[times[0]][-1], by_time[times[-1]][-1]
        clash = any(len({r[4] for r in same}) > 1 for same in by_time.values())
        after = last[4] if len(times) > 1 else ""
        change = str(int(after) - int(first[4])) if after else ""
        found.append(
            (ref, "outcome", item, last[3], last[4], last[5], "yes" if clash else "",
             first[4], after, change)
        )  # fmt: skip
    return found


def write(all_rows: Iterable[Row]) -> str:
    """CSV text with a header (see :func:`unique_rows`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for row in unique_rows(all_rows):
        writer.writerow([safe.csv_cell(cell) for cell in row])
    return buffer.getvalue()


def render(summary: Summary) -> str:
    return write(rows(summary))
