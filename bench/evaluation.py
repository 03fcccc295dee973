"""'osp practitioner evaluation' over 1,000 sealed summaries.

Budget (SPEC): under 5 s after one unlock. Measured as the wall time of the whole
command, minus the unlock of the practitioner key file (measured on its own in the same
run). Baselines from the same run: 'osp --help' (start-up) and the unlock itself.
``OSP_BENCH_SUMMARIES`` sets the count (default 1000); ``OSP_BENCH_RUNS`` the runs (3).
"""

from __future__ import annotations

import os

from benchlib import (
    PASS,
    header,
    make_practitioner,
    make_summaries,
    median,
    osp_command,
    reps,
    run,
    scratch_home,
    table,
    timed,
    verdict,
)

BUDGET_S = 5.0


def main() -> float:
    from osp_cli.exchange import files, keystore

    count = reps(int(os.environ.get("OSP_BENCH_SUMMARIES", "1000")), smoke=50)
    runs = reps(int(os.environ.get("OSP_BENCH_RUNS", "3")), smoke=1)
    osp = osp_command()
    with scratch_home() as home:
        keys = make_practitioner(home)
        paths = make_summaries(keys, home.parent / "summaries", count)
        out = home.parent / "evaluation.csv"
        blob = files.key_file().read_bytes()
        header(f"Practitioner evaluation over {count:,} summaries ({runs} runs, medians)")
        startup = median([timed(lambda: run([*osp, "--help"], home)) for _ in range(max(3, runs))])
        unlock = median([timed(lambda: keystore.unlock(blob, PASS)) for _ in range(max(3, runs))])
        argv = [*osp, "practitioner", "evaluation", *map(str, paths), "--csv", str(out)]
        whole = []
        for _ in range(runs):
            out.unlink(missing_ok=True)
            whole.append(timed(lambda: run(argv, home, PASS + "\n")))
        rows_out = len(out.read_text().splitlines()) - 1
    total = median(whole)
    after = total - unlock
    table(
        ["measure", "seconds", "note"],
        [
            ["osp --help (start-up baseline)", startup, ""],
            ["unlock of the key file (baseline)", unlock, "Argon2id"],
            ["whole command", total, f"{rows_out:,} CSV rows, {total / startup:.1f} x start-up"],
            ["after one unlock", after, f"< {BUDGET_S:.0f} s: {verdict(after < BUDGET_S)}"],
            ["per summary", after / count, ""],
        ],
    )
    return after


if __name__ == "__main__":
    main()
