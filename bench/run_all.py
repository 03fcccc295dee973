"""Run every benchmark and print a one-line verdict per budget at the end.

Usage: python bench/run_all.py   (OSP_BENCH_QUICK=1 for a fast smoke run)
"""

from __future__ import annotations

import evaluation
import memory
import save
import startup
import unlock
from benchlib import machine


def main() -> int:
    ratios = startup.main()
    unlock_s = unlock.main()
    save_ms = save.main()
    peak_mb = memory.main()
    evaluation_s = evaluation.main()
    checks = [
        (
            "osp --help <= 1.15 x import typer",
            ratios["osp --help"] <= 1.15,
            f"{ratios['osp --help']:.3f} x",
        ),
        (
            "osp --version <= 1.15 x import typer",
            ratios["osp --version"] <= 1.15,
            f"{ratios['osp --version']:.3f} x",
        ),
        ("unlock 0.2-0.8 s", 0.2 <= unlock_s <= 0.8, f"{unlock_s:.3f} s"),
        ("save at 5,000 answers < 30 ms median", save_ms < 30, f"{save_ms:.1f} ms"),
        ("peak memory < 200 MB", peak_mb < 200, f"{peak_mb:.1f} MB"),
        (
            "evaluation of 1,000 summaries < 5 s after unlock",
            evaluation_s < 5,
            f"{evaluation_s:.2f} s",
        ),
    ]
    print("\n## Budgets\n")
    print(machine() + "\n")
    for name, ok, value in checks:
        print(f"- {'met ' if ok else 'MISSED'}  {name}: {value}")
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
