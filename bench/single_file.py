"""Start-up of the single-file program (PyInstaller) against the pipx-style install.

    python bench/single_file.py [--program dist/osp]

Builds the program first (packaging/build_single_file.py, about a minute or two) unless
``--program`` names one already built. Runs are interleaved (baseline, installed,
single file, ...) so drift in machine load hits all alike; medians are compared.
``OSP_BENCH_RUNS`` sets the number of runs (default 20). Not part of run_all: the build
is slow and the budget in the SPEC is for the installed program.
"""

from __future__ import annotations

import argparse
import functools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchlib import env_for, header, median, osp_command, p95, reps, table, timed

ROOT = Path(__file__).resolve().parents[1]


def build(where: Path) -> Path:
    subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build_single_file.py"),
         "--dist", str(where / "dist"), "--work", str(where / "work")],
        check=True, capture_output=True,
    )  # fmt: skip
    return where / "dist" / ("osp.exe" if sys.platform == "win32" else "osp")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--program", type=Path)
    options = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="osp-bench-single-"))
    program = Path(options.program) if options.program else build(scratch)
    env = env_for(scratch / "home")
    installed = osp_command()
    commands = {
        'python -c "import typer"': [sys.executable, "-c", "import typer"],
        "osp --version (installed)": [*installed, "--version"],
        "osp --version (single file)": [str(program), "--version"],
        "osp support (installed)": [*installed, "support"],
        "osp support (single file)": [str(program), "support"],
    }

    def once(argv: list[str]) -> None:
        subprocess.run(argv, env=env, capture_output=True, check=True)

    for argv in commands.values():  # warm the file cache first
        once(argv)
    runs = reps(int(os.environ.get("OSP_BENCH_RUNS", "20")), smoke=3)
    header(f"Single-file start-up ({runs} interleaved runs each, medians)")
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(timed(functools.partial(once, argv)))
    base = median(times['python -c "import typer"'])
    rows = [
        [n, median(v) * 1000, p95(v) * 1000, f"{median(v) / base:.2f} x"] for n, v in times.items()
    ]
    table(["command", "median ms", "p95 ms", "vs baseline"], rows)


if __name__ == "__main__":
    main()
