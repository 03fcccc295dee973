"""Saving one answer at workbook sizes of 10 to 10,000 answers: median and p95.

Budget (SPEC): median under 30 ms at 5,000 answers. Two baselines from the same run:
the cost at 10 answers (how cost grows with size), and a bare durable write of the same
number of bytes (temp file, write, fsync, rename, fsync dir) without osp's encoding, so
the table shows what is osp's own overhead. ``OSP_BENCH_SAVES`` sets saves per size
(default 40).
"""

from __future__ import annotations

import functools
import os
import secrets
from pathlib import Path
from typing import Any

from benchlib import header, make_workbook, median, p95, reps, scratch_home, table, timed, verdict

SIZES = (10, 100, 1_000, 5_000, 10_000)
BUDGET_MS, BUDGET_AT = 30.0, 5_000


def bare_durable_write(directory: Path, blob: bytes) -> None:
    tmp = directory / f".bare-{secrets.token_hex(4)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, blob)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, directory / "bare")
    dfd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def main() -> float:
    from osp_cli.workbook import model

    saves = reps(int(os.environ.get("OSP_BENCH_SAVES", "40")), smoke=5)
    header(f"Saving one answer ({saves} saves per size)")
    results = []
    for size in SIZES:
        with scratch_home() as home:
            vault = make_workbook(home, size)
            path = home / "workbook.osp"

            def save_one(i: int, vault: Any = vault) -> None:
                vault.update(model.on_json(model.set_answer("bench-new", 1, f"n{i}", "An answer.")))

            times = [timed(functools.partial(save_one, i)) for i in range(saves)]
            blob = path.read_bytes()

            def bare_one(blob: bytes = blob, home: Path = home) -> None:
                bare_durable_write(home, blob)

            bare = [timed(bare_one) for _ in range(saves)]
            results.append((size, len(blob), times, bare))
    base = median(results[0][2])
    rows = []
    at_budget = 0.0
    for size, nbytes, times, bare in results:
        ms = median(times) * 1000
        if size == BUDGET_AT:
            at_budget = ms
        budget = f"< {BUDGET_MS:.0f} ms: {verdict(ms < BUDGET_MS)}" if size == BUDGET_AT else ""
        rows.append(
            [
                f"{size:,}",
                f"{nbytes / 1024:,.0f} KiB",
                ms,
                p95(times) * 1000,
                f"{median(times) / base:.1f} x",
                median(bare) * 1000,
                f"{median(times) / median(bare):.1f} x",
                budget,
            ]
        )
    table(
        ["answers", "file", "median ms", "p95 ms", "vs 10", "bare write ms", "vs bare", "budget"],
        rows,
    )
    return at_budget


if __name__ == "__main__":
    main()
