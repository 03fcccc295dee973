"""No quadratic paths: review, export and the practitioner's views at 10, 100 and 1,000
custom exercises (each with 20 answered questions), plus check-ins over weeks.

Each command's time at each size is compared with the same command on a workbook with
no custom exercise (the baseline, measured in the same run, interleaved): the fixed
cost of start-up and unlocking. "ms per exercise" is (time - baseline) / exercises;
linear growth keeps it roughly flat from 10 to 1,000, quadratic growth multiplies it.
Each run checks its output names the last exercise, so an empty review cannot pass.
``OSP_BENCH_RUNS`` sets the rounds (default 3).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchlib import (
    PASS,
    header,
    make_practitioner,
    make_workbook,
    median,
    osp_command,
    reps,
    run,
    spread,
    table,
    timed,
)

SIZES = (0, 10, 100, 1_000)
QUESTIONS = 20


def _summary_file(home: Path, vault: Any, keys: Any) -> Path:
    from osp_cli import __version__
    from osp_cli.exchange import sealed, summary
    from osp_cli.workbook import service

    workbook = service.Workbook(vault)
    exercises = workbook.exercises()
    chosen = [i for i in exercises if workbook.payload.exercises.get(i)]
    built = summary.build(workbook.payload, exercises, chosen, "A note.", osp_version=__version__)
    path = home / "summary.osps"
    path.write_bytes(sealed.seal(built.to_bytes(), keys.x25519_public))
    return path


def main() -> dict[str, float]:
    import tempfile

    runs = reps(int(os.environ.get("OSP_BENCH_RUNS", "3")), smoke=1)
    os.environ["OSP_KDF_ITERATIONS"] = "3"  # unlocking is the same at every size
    osp = osp_command()
    root = Path(tempfile.mkdtemp(prefix="osp-bench-scaling-"))
    homes: dict[int, tuple[Path, Path, str]] = {}
    from osp_cli.exercises.catalogue import builtin_exercises

    builtin_questions = sum(len(e.questions) for e in builtin_exercises().values())
    for size in SIZES:
        home = root / f"h{size}"
        home.mkdir(mode=0o700)
        os.environ["OSP_HOME"] = str(home)
        vault = make_workbook(home, builtin_questions + size * QUESTIONS, seed=size)
        keys = make_practitioner(home)
        last = f"Practice sheet {size - 1}" if size else "Hopes and fears"
        homes[size] = (home, _summary_file(home, vault, keys), last)
    header(
        f"Scaling with custom exercises ({runs} interleaved rounds; every built-in exercise "
        f"answered too, {QUESTIONS} answers per custom exercise)"
    )
    commands: dict[str, Callable[[Path, Path], tuple[list[str], str]]] = {
        "osp review": lambda home, summ: ([*osp, "--plain", "review"], PASS + "\n"),
        "osp practitioner open (terminal)": lambda home, summ: (
            [*osp, "--plain", "practitioner", "open", str(summ)],
            PASS + "\n",
        ),
        "osp practitioner open --html": lambda home, summ: (
            [*osp, "practitioner", "open", str(summ), "--html", str(home / "s.html")],
            PASS + "\n",
        ),
    }
    times: dict[tuple[str, int], list[float]] = {}
    for _ in range(runs):
        for name, make in commands.items():
            for size in SIZES:
                home, summ, last = homes[size]
                argv, stdin = make(home, summ)

                started = time.perf_counter()
                done = run(argv, home, stdin)
                elapsed = time.perf_counter() - started
                shown = done.stdout
                if name.endswith("--html"):
                    shown = (home / "s.html").read_text("utf-8")
                if last not in shown:
                    raise SystemExit(f"{name} at {size}: the output does not show {last!r}")
                times.setdefault((name, size), []).append(elapsed)
        # The export's summary, built in this process (osp export needs a terminal).
        for size in SIZES:
            home, _summ, _last = homes[size]
            os.environ["OSP_HOME"] = str(home)
            from osp_cli.workbook import service

            workbook = service.open_with_passphrase(PASS)

            def build(workbook: Any = workbook) -> Any:
                from osp_cli.exchange import summary

                exercises = workbook.exercises()
                chosen = [i for i in exercises if workbook.payload.exercises.get(i)]
                return summary.build(workbook.payload, exercises, chosen, "", osp_version="x")

            times.setdefault(("export: build the summary (in-process)", size), []).append(
                timed(build)
            )
    rows = []
    worst: dict[str, float] = {}
    names = [*commands, "export: build the summary (in-process)"]
    for name in names:
        base = median(times[(name, 0)])
        for size in SIZES:
            values = times[(name, size)]
            t = median(values)
            low, high = spread(values)
            per = (t - base) / size * 1000 if size else 0.0
            rows.append(
                [
                    name if size == 0 else "",
                    f"{size:,}",
                    t,
                    f"{low:.3f}-{high:.3f}",
                    "baseline" if size == 0 else f"{t / base:.2f} x",
                    f"{per:.2f}" if size else "",
                ]
            )
        per_10 = (median(times[(name, 10)]) - base) / 10
        per_1000 = (median(times[(name, 1000)]) - base) / 1000
        worst[name] = per_1000 / per_10 if per_10 > 0 else 0.0
    table(["command", "custom exercises", "median s", "IQR s", "vs none", "ms per exercise"], rows)
    return worst


if __name__ == "__main__":
    main()
