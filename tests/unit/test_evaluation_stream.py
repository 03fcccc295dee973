"""The evaluation CSV is streamed (osp_cli/report/evaluation.py): the same rows as the
whole-file writer (csv_rows.write), with its duplicate rules, in the documented order;
the same bytes whether one process or several open the summaries; no file replaced when
nothing could be read; memory that does not grow with the rows."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from exchange_data import make_summary
from hypothesis import given
from hypothesis import strategies as st

from osp_cli import crypto
from osp_cli.atomic import TMP_MARK
from osp_cli.exchange import pins, sealed
from osp_cli.exchange import summary as summary_mod
from osp_cli.exercises.catalogue import builtin_exercises
from osp_cli.report import csv_rows, evaluation
from osp_cli.ui import safe
from osp_cli.workbook import model

MEASURE = "before-after-measure"
KEYS = crypto.new_key_pairs()


def _with_measure(ref: str, takes: list[dict[str, int]]) -> summary_mod.Summary:
    """A summary for ``ref`` with the before-and-after measure taken once per item of
    ``takes`` (on days 1, 2, ... of March), through its JSON as the practitioner reads it."""
    exercise = builtin_exercises()[MEASURE]
    payload = model.new_payload()
    payload.participant_ref = ref
    for scores in takes:
        model.start_entry(MEASURE, exercise.version)(payload)
        for item, score in scores.items():
            model.set_answer(MEASURE, exercise.version, item, score)(payload)
        model.mark_complete(MEASURE, exercise.version)(payload)
    made = summary_mod.build(
        payload, builtin_exercises(), [MEASURE], "", osp_version="test",
        now="2026-03-09T18:30:00+00:00",
    )  # fmt: skip
    data = made.to_json()
    for day, entry in enumerate(reversed(data["exercises"][0]["entries"]), start=1):
        entry["started"] = f"2026-03-{day:02d}T10:00:00+00:00"
    return summary_mod.from_json(json.loads(json.dumps(data)))


def _variants() -> dict[str, summary_mod.Summary]:
    base = make_summary()
    first = base.checkins[0]
    changed = dataclasses.replace(
        base, checkins=(dataclasses.replace(first, feeling=9), *base.checkins[1:])
    )
    items = [q.id for q in builtin_exercises()[MEASURE].questions][:2]
    return {
        "a": dataclasses.replace(base, participant_ref="P-0001"),
        "b": dataclasses.replace(base, participant_ref="P-0002"),
        "changed": dataclasses.replace(changed, participant_ref="P-0001"),
        "m1": _with_measure("P-0001", [dict.fromkeys(items, 2)]),
        "m2": _with_measure("P-0001", [dict.fromkeys(items, 2), dict.fromkeys(items, 7)]),
        "m2x": _with_measure("P-0001", [dict.fromkeys(items, 3), dict.fromkeys(items, 7)]),
    }


VARIANTS = _variants()
SIGNERS = [None, crypto.new_signing_key(), crypto.new_signing_key()]


def _seal(folder: Path, n: int, name: str, signer: int) -> Path:
    path = folder / f"{n:03d}-{name}.osps"
    path.write_bytes(sealed.seal(VARIANTS[name].to_bytes(), KEYS.x25519_public, SIGNERS[signer]))
    return path


def _judge(store: pins.Pins) -> evaluation.Judge:
    def judge(path: Path, ref: str, signer: bytes | None) -> tuple[str, str]:
        sender = store.record(ref, signer, "2026-04-01T00:00:00+00:00", accept_new=False)
        return sender.check.value, sender.fingerprint or ""

    return judge


def _expected(files: list[Path]) -> str:
    """What the whole-file writer makes of the same summaries (rows sorted)."""
    store, rows = pins.Pins(), []
    for path in files:
        found, signer = evaluation.open_summary(path, evaluation.Keys(KEYS))
        sender = store.record(found.participant_ref, signer, "t", accept_new=False)
        rows += csv_rows.rows(dataclasses.replace(found, sender=sender))
    return csv_rows.write(rows)


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _stream(files: list[Path], out: Path, workers: int = 1) -> evaluation.Outcome:
    return evaluation.write_csv(
        out, files, evaluation.Keys(KEYS), _judge(pins.Pins()), workers=workers
    )


@given(
    st.lists(
        st.tuples(st.sampled_from(sorted(VARIANTS)), st.integers(0, len(SIGNERS) - 1)),
        min_size=1,
        max_size=7,
    )
)
def test_the_same_rows_and_marks_as_the_whole_file_writer(
    tmp_path_factory: pytest.TempPathFactory, chosen: list[tuple[str, int]]
) -> None:
    folder = tmp_path_factory.mktemp("s")
    files = [_seal(folder, n, name, signer) for n, (name, signer) in enumerate(chosen)]
    out = folder / "e.csv"
    outcome = _stream(files, out)
    streamed, whole = _rows(out.read_text("utf-8")), _rows(_expected(files))
    assert streamed[0] == whole[0] == list(csv_rows.HEADER)
    assert sorted(streamed[1:]) == sorted(whole[1:])
    assert outcome.read == len(files) and outcome.rows == len(streamed) - 1
    assert outcome.duplicates == sum(1 for r in streamed[1:] if r[6] == "yes" and r[1] != "outcome")
    if len(files) == 1:  # one summary: exactly the file the whole-file writer makes
        assert out.read_text("utf-8") == _expected(files)


def test_order_summary_by_summary_then_the_outcome_rows(tmp_path: Path) -> None:
    files = [_seal(tmp_path, n, name, 1) for n, name in enumerate(["b", "m2", "a", "m2"])]
    _stream(files, tmp_path / "e.csv")
    body = _rows((tmp_path / "e.csv").read_text("utf-8"))[1:]
    kinds = [r[1] for r in body]
    first_outcome = kinds.index("outcome")
    assert set(kinds[first_outcome:]) == {"outcome"}  # the outcome rows come last...
    outcomes = body[first_outcome:]
    assert outcomes == sorted(outcomes, key=lambda r: (r[0], r[2]))  # ...sorted
    assert {(r[7], r[8], r[9]) for r in outcomes} == {("2", "7", "5")}
    refs = list(dict.fromkeys(r[0] for r in body[:first_outcome]))
    assert refs == ["P-0002", "P-0001"]  # the order the summaries came in
    block = [r for r in body[:first_outcome] if r[0] == "P-0002"]
    assert block == sorted(block, key=lambda r: (r[1], r[2], r[3], r[4]))


def test_a_disagreement_marks_the_row_written_before_it_too(tmp_path: Path) -> None:
    files = [_seal(tmp_path, n, name, 1) for n, name in enumerate(["a", "a", "changed"])]
    out = tmp_path / "e.csv"
    outcome = _stream(files, out)
    rows = _rows(out.read_text("utf-8"))
    first = VARIANTS["a"].checkins[0]
    upset = [r for r in rows if r[2] == "upset" and r[3] == first.at]
    assert [(r[4], r[6]) for r in upset] == [(str(first.feeling), "yes"), ("9", "yes")]
    assert sum(r[6] == "yes" for r in rows) == outcome.duplicates == 2
    one = len(_rows(_expected(files[:1]))) - 1  # the rows of one summary
    assert outcome.rows == len(rows) - 1 == one + 1
    assert outcome.repeats == one + one - 1  # the same summary again; all but one row
    assert not [p for p in tmp_path.iterdir() if TMP_MARK in p.name]


def test_workers_write_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evaluation, "PARALLEL_FROM", 2)
    monkeypatch.setattr(evaluation, "_BATCH", 3)  # several batches in flight, in order
    names = ["a", "b", "changed", "m1", "m2", "m2x", "a", "b", "m2"]
    files = [_seal(tmp_path, n, name, n % len(SIGNERS)) for n, name in enumerate(names)]
    bad = tmp_path / "bad.osps"
    bad.write_bytes(files[0].read_bytes()[:-3])
    files.insert(4, bad)
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    serial = _stream(files, one, workers=1)
    parallel = _stream(files, two, workers=2)
    assert one.read_bytes() == two.read_bytes()
    assert serial.read == parallel.read == len(names)
    assert [p for p, _ in parallel.skipped] == [bad]


def test_nothing_readable_leaves_an_earlier_file_alone(tmp_path: Path) -> None:
    out = tmp_path / "e.csv"
    out.write_text("earlier work\n")
    bad = tmp_path / "bad.osps"
    bad.write_bytes(_seal(tmp_path, 0, "a", 0).read_bytes()[:-3])
    with pytest.raises(evaluation.NothingRead) as caught:
        _stream([bad, tmp_path / "missing.osps"], out)
    assert len(caught.value.outcome.skipped) == 2
    assert out.read_text() == "earlier work\n"
    assert not [p for p in tmp_path.iterdir() if TMP_MARK in p.name]


def test_memory_does_not_grow_with_the_rows(tmp_path: Path) -> None:
    """The rows are written as they are made: ten times the summaries cost a few bytes
    a row more (the repeat check), not the rows themselves (some 300 bytes each)."""
    base = make_summary()

    def ready(count: int) -> Iterator[evaluation.Ready]:
        for n in range(count):
            found = dataclasses.replace(base, participant_ref=f"P-{n:05d}")
            yield evaluation.part_of(found, None, ""), "unverified"

    peaks, rows = [], []
    for count in (100, 1000):
        tracemalloc.start()
        outcome = evaluation.write_csv(
            tmp_path / f"{count}.csv", [], evaluation.Keys(KEYS), _judge(pins.Pins()),
            ready=ready(count),
        )  # fmt: skip
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        rows.append(outcome.rows)
    assert rows[1] == 10 * rows[0] > 10_000
    assert (peaks[1] - peaks[0]) / (rows[1] - rows[0]) < 80


def test_the_repeat_check_keeps_every_key_through_growth() -> None:
    seen = evaluation._Seen()
    keys = [(n * 0x9E3779B97F4A7C15 % 2**64 or 1, n) for n in range(1, 5000)]
    for high, low in keys:
        slot = seen.find(high, low)
        assert seen.high[slot] == 0
        seen.put(slot, high, low, high & 0xFFFFFFFF, low if low != 7 else 2**33)
    assert len(seen.high) == 8192  # grown three times, and the file offsets made 64-bit
    for high, low in keys:
        slot = seen.find(high, low)
        assert (seen.high[slot], seen.low[slot], seen.exact[slot], seen.end[slot]) == (
            high, low, high & 0xFFFFFFFF, low if low != 7 else 2**33,
        )  # fmt: skip
    assert seen.high[seen.find(keys[0][0], 999_999)] == 0  # same high half, other key
    assert len(evaluation._Seen(expected=98_000).high) == 2**17  # no growing on the way


@given(st.lists(st.text(max_size=12) | st.sampled_from(['a,b', 'say "x"', "=1", "-3", "x\ny"]),
                min_size=1, max_size=4))  # fmt: skip
def test_lines_are_what_the_csv_module_writes(texts: list[str]) -> None:
    base = make_summary()
    checkins = tuple(
        dataclasses.replace(base.checkins[0], at=text, feeling=n % 11)
        for n, text in enumerate(texts)
    )
    found = dataclasses.replace(base, participant_ref=texts[0], checkins=checkins)
    part = evaluation.part_of(found, None, "")
    rows = sorted(csv_rows.measures(found), key=lambda r: (r[1], r[2], r[3], r[4]))
    rows = [r for r in rows if r[1] != "outcome"]
    expected = []
    for row in rows:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="").writerow([safe.csv_cell(c) for c in row])
        expected.append(buffer.getvalue())
    assert part[2] == expected


@given(st.text(max_size=40) | st.sampled_from(["-3", "=1+1", " @x", "+", "2026-01-01", "x" * 2001]))
def test_the_quick_cell_is_the_safe_cell(value: str) -> None:
    assert evaluation._cell(value) == safe.csv_cell(value)


def test_workers_end_with_the_command_whatever_its_signal_handlers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """osp turns SIGTERM into Ctrl-C (platform.stop_on_signals); workers must not keep
    that, or stopping them at the end (or on a failure midway) waits for ever."""
    import multiprocessing
    import signal

    from osp_cli import platform

    monkeypatch.setattr(evaluation, "PARALLEL_FROM", 2)
    monkeypatch.setattr(evaluation, "_BATCH", 2)
    files = [_seal(tmp_path, n, "a", 0) for n in range(8)]
    calls = []

    def judge(path: Path, ref: str, signer: bytes | None) -> tuple[str, str]:
        calls.append(path)
        if len(calls) == 11:
            raise KeyboardInterrupt  # Ctrl-C, or SIGTERM (which osp turns into it)
        return "unverified", ""

    names = [n for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)]
    saved = {n: signal.getsignal(getattr(signal, n)) for n in names}
    platform.stop_on_signals()
    try:
        with multiprocessing.get_context().Pool(
            1, initializer=evaluation._start_worker, initargs=(evaluation.Keys(KEYS), False, b"")
        ) as pool:
            assert pool.apply(_dispositions) == (True, True)
        out = tmp_path / "e.csv"
        done = evaluation.write_csv(out, files, evaluation.Keys(KEYS), judge, workers=2)
        assert done.read == 8 and multiprocessing.active_children() == []
        out.unlink()
        with pytest.raises(KeyboardInterrupt):
            evaluation.write_csv(out, files, evaluation.Keys(KEYS), judge, workers=2)
    finally:
        for name, handler in saved.items():
            signal.signal(getattr(signal, name), handler)
    assert len(calls) == 11
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if TMP_MARK in p.name]
    assert multiprocessing.active_children() == []


def _dispositions() -> tuple[bool, bool]:
    """In a worker: SIGTERM (and SIGHUP) end it, Ctrl-C is left to the command."""
    import signal

    ends = all(
        signal.getsignal(getattr(signal, name)) == signal.SIG_DFL
        for name in ("SIGTERM", "SIGHUP")
        if hasattr(signal, name)
    )
    return ends, signal.getsignal(signal.SIGINT) == signal.SIG_IGN
