"""Peak memory of osp's heaviest commands (the command and any worker processes
together: proportional set size, sampled every 20 ms).

Budget (SPEC): under 200 MB for any command. Baseline: 'python -c "import typer"'.
Commands measured: --help; review of a 10,000-answer workbook (answers to real
exercises and practitioner-written ones: the review must show the last of them);
passphrase change on it (two Argon2id runs, re-writing the file and three backups);
backup; and practitioner evaluation over distinct sealed summaries.
``OSP_BENCH_SUMMARIES`` sets the summary count (default 1,000).
"""

from __future__ import annotations

import os
import sys

from benchlib import (
    PASS,
    header,
    make_distinct_summaries,
    make_practitioner,
    make_workbook,
    osp_command,
    reps,
    run_with_peak,
    scratch_home,
    table,
    verdict,
)

BUDGET_MB = 200.0


def main() -> float:
    summaries = reps(int(os.environ.get("OSP_BENCH_SUMMARIES", "1000")), smoke=50)
    osp = osp_command()
    header("Peak memory (command and workers together)")
    rows = []
    worst = 0.0
    with scratch_home() as home:
        make_workbook(home, 10_000)
        keys = make_practitioner(home)
        files = make_distinct_summaries(keys, home.parent / "summaries", summaries)
        new = "another long passphrase here"
        commands = [
            ('python -c "import typer" (baseline)', [sys.executable, "-c", "import typer"], ""),
            ("osp --help", [*osp, "--help"], ""),
            ("osp review (10,000 answers)", [*osp, "--plain", "review"], PASS + "\n"),
            ("osp passphrase (10,000 answers)", [*osp, "passphrase"], f"{PASS}\n{new}\n{new}\n"),
            ("osp backup (10,000 answers)", [*osp, "backup", str(home.parent / "copy.osp")], ""),
            (
                f"osp practitioner evaluation ({summaries:,} summaries)",
                [
                    *osp,
                    "practitioner",
                    "evaluation",
                    *map(str, files),
                    "--csv",
                    str(home.parent / "e.csv"),
                ],
                PASS + "\n",
            ),
        ]
        base = 0.0
        for name, argv, stdin in commands:
            wall, mib, done = run_with_peak(argv, home, stdin)
            code = done.returncode
            if "review" in name and "Practice sheet" not in done.stdout:
                raise SystemExit(
                    "The review showed no practitioner-written exercise: it did nothing."
                )
            mb = mib * 1.048576
            if base == 0.0:
                base = mb
            else:
                worst = max(worst, mb)
            ok = "" if name.endswith("(baseline)") else verdict(mb < BUDGET_MB)
            rows.append([name, f"{mb:.1f}", f"{mb / base:.2f} x", f"{wall:.2f}", code, ok])
    table(
        ["command", "peak MB", "vs baseline", "wall s", "exit", f"budget < {BUDGET_MB:.0f} MB"],
        rows,
    )
    print(f"\nHeaviest: {worst:.1f} MB")
    return worst


if __name__ == "__main__":
    main()
