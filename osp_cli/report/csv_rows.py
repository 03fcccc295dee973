"""Anonymised evaluation data: one row per participant reference, measure and time.

Measures: ``checkin`` (``upset`` and ``urges``, 0-10), ``completion`` (one per exercise:
the percentage of its questions dealt with, a whole number 0-100) and ``evaluation``
(the answers to scale, choice, several-choice and yes/no questions of the evaluation
exercises). Free text is
never included. Every cell goes through ``safe.csv_cell`` (no formula can start one).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from osp_cli.exchange.summary import Summary
from osp_cli.ui import safe

HEADER = ("participant_ref", "measure_type", "measure", "time", "value")
Row = tuple[str, str, str, str, str]
_EVALUATION_KINDS = ("scale", "choice", "choices", "yes_no")


def rows(summary: Summary) -> list[Row]:
    ref = summary.participant_ref
    found: list[Row] = []
    for c in summary.checkins:
        found.append((ref, "checkin", "upset", c.at, str(c.feeling)))
        found.append((ref, "checkin", "urges", c.at, str(c.urge)))
    for e in summary.exercises:
        when = e.completed or summary.created
        percent = round(100 * e.answered / e.total) if e.total else 0
        found.append((ref, "completion", e.id, when, str(percent)))
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


def unique_rows(all_rows: Iterable[Row]) -> list[Row]:
    """Rows for the same ref/measure/time once (last wins), sorted."""
    unique: dict[tuple[str, str, str, str], Row] = {}
    for row in all_rows:
        unique[row[:4]] = row
    return sorted(unique.values(), key=lambda r: (r[0], r[1], r[2], r[3]))


def write(all_rows: Iterable[Row]) -> str:
    """CSV text with a header; rows for the same ref/measure/time appear once (last wins)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for row in unique_rows(all_rows):
        writer.writerow([safe.csv_cell(cell) for cell in row])
    return buffer.getvalue()


def render(summary: Summary) -> str:
    return write(rows(summary))
