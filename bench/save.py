"""Saving one answer at workbook sizes of 100 to 50,000 answers: median and p95.

Budget (issue 14): median at most 10 ms and p95 at most 30 ms at 5,000 answers; at 50,000
answers at most 2 x the time at 100. Each save goes through the real path
(``Workbook.save`` of a real exercise's answer: the vault's lock, a look for another
process's changes, one journal record appended and fsynced). Interleaved with each save,
its baseline: the floor, appending the same number of bytes to a file in the same folder
and fsyncing it, without osp. The sizes take turns (one save at each size, then the
next), so a change in the machine's load falls on every size alike. The fold (the full
write the journal is folded into at the end of a command, at unlock, and in a very long
session every 10,000 saves) is timed separately: it costs what every save cost before
the journal. ``OSP_BENCH_SAVES`` sets saves per size (default
200). The run fails if a save did not reach the disk.
"""

from __future__ import annotations

import contextlib
import functools
import os
from pathlib import Path
from typing import Any

from benchlib import PASS, header, make_workbook, median, p95, reps, scratch_home, table, timed

SIZES = (100, 1_000, 5_000, 10_000, 50_000)
BUDGET_AT, MEDIAN_MS, P95_MS, GROWTH = 5_000, 10.0, 30.0, 2.0


def bare_append(path: Path, blob: bytes) -> None:
    """The floor: append ``blob`` and fsync, nothing else."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, blob)
        os.fsync(fd)
    finally:
        os.close(fd)


class Sized:
    """One workbook of ``size`` answers, opened as osp opens it, in its own folder."""

    def __init__(self, home: Path, size: int) -> None:
        from osp_cli.exercises.catalogue import builtin_exercises
        from osp_cli.vault import journal
        from osp_cli.vault.store import Vault
        from osp_cli.workbook import model, service

        self.size, self.home = size, home
        make_workbook(home, size)
        self.path = home / "workbook.osp"
        self.book = service.Workbook(Vault.open(self.path, PASS, model.CODEC))
        self.exercise = builtin_exercises()["thought-record"]  # a real exercise, anew
        self.texts = [q.id for q in self.exercise.questions if q.kind.value in _TEXT]
        self.journal = journal.journal_path(self.path)
        self.floor_file = home / "floor"
        self.times: list[float] = []
        self.floor: list[float] = []
        self.grew: list[int] = []
        # Not timed: the first save to a workbook written without a journal (as the bench
        # data is) is the full write that starts one; a workbook osp made always has one.
        self.book.save(self._change(0))

    def _change(self, i: int) -> Any:
        from osp_cli.workbook import model

        question = self.texts[i % len(self.texts)]
        return model.set_answer(self.exercise.id, self.exercise.version, question, f"{ANSWER} {i}")

    def save_one(self, i: int) -> None:
        before = self.journal.stat().st_size
        self.times.append(timed(functools.partial(self.book.save, self._change(i))))
        self.grew.append(self.journal.stat().st_size - before)
        blob = os.urandom(max(self.grew[-1], 1))
        self.floor.append(timed(functools.partial(bare_append, self.floor_file, blob)))

    def check_and_fold(self, saves: int) -> float:
        """Fail loudly unless every save reached the disk; then time the fold."""
        from osp_cli.vault import store
        from osp_cli.workbook import model

        on_disk = store.read_payload(self.path, self.book.vault.data_key, model.CODEC)
        last = self.texts[(saves - 1) % len(self.texts)]
        got = model.answers_of(on_disk, self.exercise.id).get(last)
        if got != f"{ANSWER} {saves - 1}" or min(self.grew) <= 0:
            raise SystemExit(f"at {self.size} answers a save did not reach the journal")
        if self.path.stat().st_mtime_ns != self._written:
            raise SystemExit(f"at {self.size} answers a save rewrote the workbook file")
        folds = [timed(self.book.vault.fold)]
        for i in range(reps(2, smoke=0)):
            self.book.save(self._change(i))
            folds.append(timed(self.book.vault.fold))
        return median(folds)

    def mark(self) -> None:
        self._written = self.path.stat().st_mtime_ns


_TEXT = ("text", "long_text")
ANSWER = "I noticed the feeling building and told myself it did not matter; it was a sign."


def main() -> float:
    saves = reps(int(os.environ.get("OSP_BENCH_SAVES", "200")), smoke=10)
    header(f"Saving one answer ({saves} saves per size, each interleaved with its floor)")
    with contextlib.ExitStack() as stack:
        books = [Sized(stack.enter_context(scratch_home()), size) for size in SIZES]
        for book in books:
            book.mark()
        for i in range(1, saves + 1):  # every size in turn, each save beside its floor
            for book in books:
                book.save_one(i)
        results: list[dict[str, Any]] = [
            {
                "size": b.size,
                "file": b.path.stat().st_size,
                "record": median(b.grew),
                "times": b.times,
                "floor": b.floor,
                "fold": b.check_and_fold(saves + 1),
            }
            for b in books
        ]
    at_100 = median(results[0]["times"])
    rows = []
    at_budget = 0.0
    for r in results:
        ms, p95_ms = median(r["times"]) * 1000, p95(r["times"]) * 1000
        note = ""
        if r["size"] == BUDGET_AT:
            at_budget = ms
            ok = ms <= MEDIAN_MS and p95_ms <= P95_MS
            note = f"median <= {MEDIAN_MS:.0f}, p95 <= {P95_MS:.0f}: {'met' if ok else 'NOT MET'}"
        if r["size"] == SIZES[-1]:
            growth = median(r["times"]) / at_100
            note = f"<= {GROWTH:.0f} x the time at 100: {'met' if growth <= GROWTH else 'NOT MET'}"
        rows.append(
            [
                f"{r['size']:,}",
                f"{r['file'] / 1024:,.0f} KiB",
                f"{r['record']:.0f} B",
                ms,
                p95_ms,
                f"{median(r['times']) / at_100:.2f} x",
                median(r["floor"]) * 1000,
                f"{median(r['times']) / median(r['floor']):.1f} x",
                r["fold"] * 1000,
                note,
            ]
        )
    table(
        [
            "answers",
            "file",
            "record",
            "median ms",
            "p95 ms",
            "vs 100",
            "floor ms",
            "vs floor",
            "fold ms",
            "budget",
        ],
        rows,
    )
    print(f"\nload average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return at_budget


if __name__ == "__main__":
    main()
