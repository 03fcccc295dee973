"""Start-up of every command: time from start to its first output or first prompt.

Each command runs in a pseudo-terminal, as a person would run it, and the clock stops at
the first byte it writes (the passphrase prompt, the first line of a screen, the help).
The process is then stopped: nothing has been written to disk by then. The baseline,
``python -c "import typer; print('ready')"``, is timed the same way (to its first byte).
Runs are interleaved (baseline, then every command, in a fresh order each round) so a
change in machine load hits all of them alike. Key derivation is never inside the time:
every clock stops at or before the passphrase prompt.

Budgets (SPEC): ``--help``/``--version`` at most 1.15 x the baseline, every other command
at most 1.3 x. ``OSP_BENCH_RUNS`` sets the rounds (default 15). Each command's first
output is checked against what it should be, so a command that fails early (and is
therefore fast) stops the benchmark instead of flattering it.
"""

from __future__ import annotations

import compileall
import os
import pty
import random
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchlib import ROOT, header, median, osp_command, reps, spread, table, verdict

HELP_BUDGET = 1.15
BUDGET = 1.3
BASELINE = 'python -c "import typer"'


def _env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "OSP_HOME": str(home),
        "PYTHONPATH": str(ROOT),
        "TERM": "xterm-256color",
        "PROMPT_TOOLKIT_NO_CPR": "1",
        "COLUMNS": "80",
        "LINES": "24",
        "OSP_KDF_ITERATIONS": "3",  # setting up the homes quickly; never inside the clock
    }


def first_output(argv: Sequence[str], env: dict[str, str], cwd: Path) -> tuple[float, str]:
    """(seconds to the first byte written to the terminal, the first text written)."""
    master, slave = pty.openpty()
    started = time.perf_counter()
    proc = subprocess.Popen(
        list(argv),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=cwd,
        start_new_session=True,
    )
    os.close(slave)
    try:
        ready, _, _ = select.select([master], [], [], 60)
        elapsed = time.perf_counter() - started
        if not ready:
            raise SystemExit(f"{' '.join(argv)}: no output within 60 s")
        text = os.read(master, 4096)
        time.sleep(0.02)  # let the rest of the first write arrive, for the check below
        while select.select([master], [], [], 0)[0]:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            text += chunk
        return elapsed, text.decode("utf-8", "replace")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)


def _setup(root: Path) -> dict[str, tuple[list[str], Path, str]]:
    """Homes and files for every command; returns name -> (argv, home, expected text)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from benchlib import PASS, make_practitioner, make_summaries, make_workbook

    os.environ["OSP_KDF_ITERATIONS"] = "3"
    empty = root / "empty"
    full = root / "full"
    practitioner = root / "practitioner"
    for home in (empty, full, practitioner):
        home.mkdir(mode=0o700)
    os.environ["OSP_HOME"] = str(full)
    make_workbook(full, 200)
    backup = root / "copy.osp"
    backup.write_bytes((full / "workbook.osp").read_bytes())
    os.environ["OSP_HOME"] = str(practitioner)
    keys = make_practitioner(practitioner)
    summaries = make_summaries(keys, root / "summaries", 3)
    exercise = ROOT / "tests" / "data" / "exercises" / "valid" / "all-kinds.toml"
    assignment = root / "session-2.ospa"
    subprocess.run(
        [
            *osp_command(),
            "practitioner",
            "assign",
            "--participant",
            "P-0142",
            "--session",
            "2",
            "--exercise",
            "life-timeline",
            "--next-session",
            "2026-12-01",
            "--out",
            str(assignment),
        ],
        input=PASS + "\n",
        text=True,
        capture_output=True,
        env={**_env(practitioner), "NO_COLOR": "1"},
        check=True,
    )
    pw, osp = "Passphrase", osp_command()
    practitioner_pw = "Practitioner passphrase"
    return {
        BASELINE: ([sys.executable, "-c", "import typer; print('ready')"], empty, "ready"),
        "osp --help": ([*osp, "--help"], empty, "Usage: osp"),
        "osp --version": ([*osp, "--version"], empty, "osp "),
        "osp list --help": ([*osp, "list", "--help"], empty, "Usage: osp list"),
        "osp practitioner --help": ([*osp, "practitioner", "--help"], empty, "Usage:"),
        "osp (home)": (osp, full, pw),
        "osp (first run)": (osp, empty, "Welcome to osp"),
        "osp init": ([*osp, "init"], empty, "Let's set up"),
        "osp list": ([*osp, "list"], full, pw),
        "osp do ID": ([*osp, "do", "life-timeline"], full, pw),
        "osp next": ([*osp, "next"], full, pw),
        "osp review": ([*osp, "review"], full, pw),
        "osp edit ID": ([*osp, "edit", "life-timeline"], full, pw),
        "osp checkin": ([*osp, "checkin"], full, pw),
        "osp progress": ([*osp, "progress"], full, pw),
        "osp plan": ([*osp, "plan"], full, pw),
        "osp export": ([*osp, "export"], full, pw),
        "osp import FILE": ([*osp, "import", str(assignment)], full, pw),
        "osp whoami": ([*osp, "whoami"], full, pw),
        "osp support": ([*osp, "support"], empty, "Help now"),
        "osp passphrase": ([*osp, "passphrase"], full, pw),
        "osp recover": ([*osp, "recover"], full, "Recovery code"),
        "osp backup PATH": ([*osp, "backup", str(root / "out")], full, "Copying your encrypted"),
        "osp restore PATH": ([*osp, "restore", str(backup)], full, "Passphrase for that copy"),
        "osp erase": ([*osp, "erase"], full, "This destroys your workbook"),
        "osp exercises validate FILE": (
            [*osp, "exercises", "validate", str(exercise)],
            empty,
            "ok  ",
        ),
        "osp practitioner init": ([*osp, "practitioner", "init"], empty, "Choose a passphrase"),
        "osp practitioner whoami": ([*osp, "practitioner", "whoami"], practitioner, "Fingerprint"),
        "osp practitioner assign ...": (
            [
                *osp,
                "practitioner",
                "assign",
                "--participant",
                "P-0142",
                "--session",
                "2",
                "--exercise",
                "life-timeline",
                "--next-session",
                "2026-12-01",
                "--out",
                str(root / "again.ospa"),
            ],
            practitioner,
            practitioner_pw,
        ),
        "osp practitioner open FILE": (
            [*osp, "practitioner", "open", str(summaries[0])],
            practitioner,
            practitioner_pw,
        ),
        "osp practitioner evaluation FILE... --csv OUT": (
            [
                *osp,
                "practitioner",
                "evaluation",
                *map(str, summaries),
                "--csv",
                str(root / "e.csv"),
            ],
            practitioner,
            practitioner_pw,
        ),
    }


def measure(runs: int) -> dict[str, list[float]]:
    # An installed osp has its bytecode compiled (pip does it); a source checkout run with
    # PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module on every run.
    compileall.compile_dir(ROOT / "osp_cli", quiet=1)
    root = Path(tempfile.mkdtemp(prefix="osp-bench-startup-"))
    commands = _setup(root)
    only = os.environ.get("OSP_BENCH_ONLY", "")
    if only:  # e.g. OSP_BENCH_ONLY="osp list,osp support": those and the baseline
        wanted = [part.strip() for part in only.split(",")]
        commands = {
            k: v
            for i, (k, v) in enumerate(commands.items())
            if i == 0 or any(w in k for w in wanted)
        }
    times: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for name in names:  # warm the file cache and the .pyc files; check each is real
        argv, home, expected = commands[name]
        (root / "out").unlink(missing_ok=True)
        _elapsed, text = first_output(argv, _env(home), root)
        if expected not in text:
            raise SystemExit(
                f"'{name}' did not show what it should first (wanted {expected!r}); "
                f"it showed: {text[:300]!r}"
            )
    shuffle = random.Random(14)
    for _ in range(runs):
        order = names[1:]
        shuffle.shuffle(order)
        for name in [names[0], *order]:
            argv, home, _expected = commands[name]
            (root / "out").unlink(missing_ok=True)  # 'osp backup' never overwrites
            elapsed, _text = first_output(argv, _env(home), root)
            times[name].append(elapsed)
    return times


def main() -> dict[str, float]:
    runs = reps(int(os.environ.get("OSP_BENCH_RUNS", "15")), smoke=3)
    header(f"Start-up to first output or prompt ({runs} interleaved rounds, in a terminal)")
    times = measure(runs)
    base = median(times[BASELINE])
    rows = []
    ratios: dict[str, float] = {}
    for name, values in times.items():
        ratio = median(values) / base
        ratios[name] = ratio
        if name == BASELINE:
            budget = "baseline"
        else:
            limit = HELP_BUDGET if name in ("osp --help", "osp --version") else BUDGET
            budget = f"<= {limit} x: {verdict(ratio <= limit)}"
        low, high = spread(values)
        rows.append(
            [
                name,
                median(values) * 1000,
                f"{low * 1000:.0f}-{high * 1000:.0f}",
                f"{ratio:.2f} x",
                budget,
            ]
        )
    table(["command", "median ms", "IQR ms", "vs baseline", "budget"], rows)
    return ratios


if __name__ == "__main__":
    main()
