"""Run every benchmark and print a one-line verdict per budget at the end.

Usage: python bench/run_all.py   (OSP_BENCH_QUICK=1 for a fast smoke run)
Each benchmark measures its own baseline in the same run, interleaved; this summary only
collects their verdicts. Budgets live here and in the benchmarks, never in tests.
"""

from __future__ import annotations

import evaluation
import first_screen
import memory
import save
import scaling
import startup
import unlock
from benchlib import machine


def main() -> int:
    ratios = startup.main()
    unlock_s = unlock.main()
    after_key = first_screen.main()
    saving = save.main()
    peak_mb = memory.main()
    evaluation_s, evaluation_mb = evaluation.main()
    growth = scaling.main()
    helps = {k: v for k, v in ratios.items() if k in ("osp --help", "osp --version")}
    others = {k: v for k, v in ratios.items() if k not in helps and not k.startswith("python")}
    worst = max(others, key=lambda k: others[k])
    checks = [
        (
            "--help/--version <= 1.15 x import typer",
            max(helps.values()) <= 1.15,
            ", ".join(f"{k}: {v:.2f} x" for k, v in helps.items()),
        ),
        (
            "every command <= 1.3 x import typer",
            others[worst] <= 1.3,
            f"{worst}: {others[worst]:.2f} x",
        ),
        ("unlock about 0.5 s", 0.3 <= unlock_s <= 0.8, f"{unlock_s:.3f} s"),
        ("first screen <= 0.3 s after the key", after_key <= 0.3, f"{after_key:.3f} s"),
        ("save at 5,000: median <= 10 ms", saving <= 10, f"{saving:.1f} ms"),
        ("peak memory < 200 MB", peak_mb < 200, f"{peak_mb:.1f} MB"),
        ("evaluation of 10,000 <= 15 s", evaluation_s <= 15, f"{evaluation_s:.1f} s"),
        ("evaluation peak < 150 MB", evaluation_mb < 150, f"{evaluation_mb:.1f} MB"),
        (
            "no quadratic growth (per exercise at 1,000 / at 10 < 3)",
            max(growth.values()) < 3,
            ", ".join(f"{k}: {v:.2f}" for k, v in growth.items()),
        ),
    ]
    print("\n## Budgets\n")
    print(machine() + "\n")
    for name, ok, value in checks:
        print(f"- {'met ' if ok else 'MISSED'}  {name}: {value}")
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
