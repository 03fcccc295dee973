"""Start-up: 'osp --help' and 'osp --version' against 'python -c "import typer"'.

Budget (SPEC): at most 1.15 x the baseline. Runs are interleaved (baseline, help,
version, baseline, ...) so drift in machine load hits all three alike; medians are
compared. ``OSP_BENCH_RUNS`` sets the number of runs (default 40).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchlib import env_for, header, median, osp_command, p95, reps, table, timed, verdict

BUDGET = 1.15


def measure(runs: int) -> dict[str, list[float]]:
    home = Path(tempfile.mkdtemp(prefix="osp-bench-"))
    env = env_for(home)
    osp = osp_command()
    commands = {
        'python -c "import typer"': [sys.executable, "-c", "import typer"],
        "osp --help": [*osp, "--help"],
        "osp --version": [*osp, "--version"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for argv in commands.values():  # warm the file cache and .pyc files first
        subprocess.run(argv, env=env, capture_output=True, check=True)

    def once(argv: list[str]) -> None:
        subprocess.run(argv, env=env, capture_output=True, check=True)

    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(timed(functools.partial(once, argv)))
    return times


def main() -> dict[str, float]:
    runs = reps(int(os.environ.get("OSP_BENCH_RUNS", "40")), smoke=5)
    header(f"Start-up ({runs} interleaved runs each, medians)")
    times = measure(runs)
    base = median(times['python -c "import typer"'])
    rows = []
    ratios: dict[str, float] = {}
    for name, values in times.items():
        ratio = median(values) / base
        ratios[name] = ratio
        budget = (
            "baseline"
            if name.startswith("python")
            else f"<= {BUDGET} x: {verdict(ratio <= BUDGET)}"
        )
        rows.append([name, median(values) * 1000, p95(values) * 1000, f"{ratio:.3f} x", budget])
    table(["command", "median ms", "p95 ms", "vs baseline", "budget"], rows)
    return ratios


if __name__ == "__main__":
    main()
