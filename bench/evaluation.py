"""'osp practitioner evaluation' over 10,000 distinct, realistic sealed summaries.

Budget (SPEC): at most 15 s, peak memory under 150 MB. Each summary comes from a
different workbook (bench/benchlib.py, ``realistic_payload``: real exercises answered in
full or part way, check-ins over 6-14 weeks with drifting ratings). The summaries and
the practitioner's keys are kept in bench/out/ so later runs reuse them.

Interleaved in each round: the baseline (the same command over one summary: start-up,
unlock and one summary), the whole run on every core, and the whole run on one core
(``OSP_EVALUATION_WORKERS=1``). Peak memory is that of the command and its worker
processes together (proportional set size, sampled every 20 ms), in MB (10^6 bytes).
The CPU time of the command and its workers (user + system) is printed beside the wall
time, with the load average before and after: on a shared machine the wall time says
how busy the others were, the CPU time what the command cost. The benchmark fails if the
CSV does not hold rows for every participant.
``OSP_BENCH_SUMMARIES`` sets the count (default 10,000); ``OSP_BENCH_RUNS`` the rounds (3);
``OSP_BENCH_ONE_CORE=0`` leaves out the one-core run.
"""

from __future__ import annotations

import csv
import os
import resource
from pathlib import Path

from benchlib import (
    PASS,
    ROOT,
    header,
    make_distinct_summaries,
    make_practitioner,
    median,
    osp_command,
    reps,
    run_with_peak,
    spread,
    table,
    verdict,
)

BUDGET_S = 15.0
BUDGET_MB = 150.0


def _check(out: Path, count: int) -> int:
    """The number of rows; stops the benchmark if the CSV is not what it should be."""
    refs, rows = set(), 0
    with out.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            refs.add(row["participant_ref"])
            rows += 1
    if len(refs) != count:
        raise SystemExit(f"The CSV holds {len(refs)} participants, not {count}: it did not work.")
    return rows


def main() -> tuple[float, float]:
    count = reps(int(os.environ.get("OSP_BENCH_SUMMARIES", "10000")), smoke=200)
    runs = reps(int(os.environ.get("OSP_BENCH_RUNS", "3")), smoke=1)
    osp = osp_command()
    store = ROOT / "bench" / "out" / "evaluation"
    home = store / "home"
    if not (home / "practitioner").exists():
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.environ["OSP_HOME"] = str(home)
        os.environ["OSP_KDF_ITERATIONS"] = "3"  # the bench is about the summaries
        make_practitioner(home)
    os.environ["OSP_HOME"] = str(home)
    from osp_cli.exchange import files, keystore

    keys = keystore.unlock(files.key_file().read_bytes(), PASS)
    paths = make_distinct_summaries(keys, store / "summaries", count)
    sizes = sum(p.stat().st_size for p in paths)
    header(
        f"Practitioner evaluation over {count:,} distinct summaries "
        f"({sizes / count / 1024:.0f} KiB each on average; {runs} interleaved rounds)"
    )
    out = store / "evaluation.csv"
    one = [*osp, "practitioner", "evaluation", str(paths[0]), "--csv", str(out)]
    every = [*osp, "practitioner", "evaluation", *map(str, paths), "--csv", str(out)]
    cases = {
        "one summary (baseline: start-up, unlock, 1 summary)": (one, {}),
        f"{count:,} summaries, every core ({os.cpu_count()})": (every, {}),
        f"{count:,} summaries, one core": (every, {"OSP_EVALUATION_WORKERS": "1"}),
    }
    if os.environ.get("OSP_BENCH_ONE_CORE", "1") == "0":  # skip the slow one-core run
        cases.pop(f"{count:,} summaries, one core")
    walls: dict[str, list[float]] = {name: [] for name in cases}
    cpus: dict[str, list[float]] = {name: [] for name in cases}
    load_before = os.getloadavg()
    peaks: dict[str, list[float]] = {name: [] for name in cases}
    rows = 0
    for _ in range(runs):
        for name, (argv, extra) in cases.items():
            out.unlink(missing_ok=True)
            saved = {k: os.environ.get(k) for k in extra}
            os.environ.update(extra)
            used = _children_cpu()
            try:
                wall, peak, result = run_with_peak(argv, home, PASS + "\n")
                cpus[name].append(_children_cpu() - used)
            finally:
                for k, v in saved.items():
                    if v is None:
                        os.environ.pop(k, None)
                    else:
                        os.environ[k] = v
            if result.returncode != 0:
                raise SystemExit(f"{name}: exit {result.returncode}: {result.stderr[-500:]}")
            made = _check(out, 1 if argv is one else count)
            rows = made if argv is every else rows
            walls[name].append(wall)
            peaks[name].append(peak * 1.048576)  # MiB to MB
    base = median(next(iter(walls.values())))
    table_rows = []
    for name in cases:
        wall, peak = median(walls[name]), max(peaks[name])
        low, high = spread(walls[name])
        budget = ""
        if "every core" in name:
            budget = (
                f"<= {BUDGET_S:.0f} s: {verdict(wall <= BUDGET_S)}; "
                f"< {BUDGET_MB:.0f} MB: {verdict(peak < BUDGET_MB)}"
            )
        cpu = median(cpus[name])
        table_rows.append(
            [name, wall, f"{low:.2f}-{high:.2f}", f"{wall / base:.1f} x", f"{cpu:.1f}",
             f"{peak:.0f}", budget]
        )  # fmt: skip
    table(["run", "median s", "IQR s", "vs baseline", "CPU s", "peak MB", "budget"], table_rows)
    print(f"\n{rows:,} CSV rows from {count:,} participants.")
    after = os.getloadavg()
    print(
        "Load average (1, 5, 15 min) before: "
        f"{' '.join(f'{x:.2f}' for x in load_before)}; after: {' '.join(f'{x:.2f}' for x in after)}"
    )
    name = f"{count:,} summaries, every core ({os.cpu_count()})"
    return median(walls[name]), max(peaks[name])


def _children_cpu() -> float:
    """User + system seconds of every finished child (and, once they are waited for,
    its own children: the workers)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


if __name__ == "__main__":
    main()
