"""Shared helpers for the benchmarks: timing, tables, machine facts and test data.

Every benchmark compares against a baseline measured in the same run, so the ratios
mean something on any machine. Run one with ``python bench/<name>.py``, or all with
``python bench/run_all.py``. ``OSP_BENCH_QUICK=1`` cuts repetitions (for a smoke test).
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # so 'python bench/x.py' works from a source checkout

PASS = "correct horse battery staple"  # noqa: S105 - a throwaway benchmark passphrase


def quick() -> bool:
    return os.environ.get("OSP_BENCH_QUICK", "") not in ("", "0")


def reps(full: int, smoke: int = 3) -> int:
    return smoke if quick() else full


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> str:
    return (
        f"{_dt.date.today().isoformat()} | {os.cpu_count()} CPUs ({cpu_model()}) | "
        f"Python {platform.python_version()} | {platform.system()} {platform.release()}"
    )


def header(title: str) -> None:
    print(f"\n## {title}\n")
    print(machine() + "\n")


def table(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A Markdown table (pastes straight into docs/performance.md)."""
    cells = [[str(c) for c in columns], *[[_fmt(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    for n, row in enumerate(cells):
        print("| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |")
        if n == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if value < 100 else f"{value:.0f}"
    return str(value)


def verdict(ok: bool) -> str:
    return "within budget" if ok else "OVER BUDGET"


def osp_command() -> list[str]:
    """The installed 'osp' console script next to this Python, else 'python -m osp_cli'."""
    script = Path(sys.executable).with_name("osp")
    if script.exists():
        return [str(script)]
    found = shutil.which("osp")
    return [found] if found else [sys.executable, "-m", "osp_cli"]


def env_for(home: Path) -> dict[str, str]:
    return {**os.environ, "OSP_HOME": str(home), "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}


def run(
    argv: Sequence[str], home: Path, stdin: str = "", check: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        list(argv), input=stdin, capture_output=True, text=True, env=env_for(home), timeout=600
    )
    if check and result.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:4])}... failed ({result.returncode}): {result.stderr}")
    return result


_RSS_WRAPPER = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


def peak_rss_mib(argv: Sequence[str], home: Path, stdin: str = "") -> tuple[float, float, int]:
    """(wall seconds, peak resident memory in MiB, exit code) of one child process.

    The child is started from a small wrapper process, not from this (large) one: a
    forked child's ru_maxrss would otherwise count the parent's pages it began with.
    """
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _RSS_WRAPPER, *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env=env_for(home),
        timeout=600,
        check=True,
    )
    wall = time.perf_counter() - started
    kib, code = result.stdout.split()
    return wall, int(kib) / 1024, int(code)  # ru_maxrss is in KiB on Linux


@contextmanager
def scratch_home() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="osp-bench-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir(mode=0o700)
        os.environ["OSP_HOME"] = str(home)
        yield home


# --- test data --------------------------------------------------------------------------

ANSWER = (
    "I noticed the feeling building through the evening and told myself it did not "
    "matter; looking back, that was the first warning sign, and the plan says to call."
)


def make_workbook(home: Path, answers: int) -> Any:
    """A workbook (real default KDF settings) holding ``answers`` answers of ~150 chars."""
    from osp_cli.vault.store import Vault
    from osp_cli.workbook import model

    path = home / "workbook.osp"
    vault, _ = Vault.create(path, PASS, model.new_payload().to_dict())

    def fill(payload: model.Payload) -> None:
        for i in range(answers):
            exercise = f"bench-{i // 20:04d}"
            model.set_answer(exercise, 1, f"q{i % 20}", f"{ANSWER} ({i})")(payload)
        for i in range(min(answers, 60)):
            model.add_checkin(i % 11, (i * 3) % 11, "A short note about today.")(payload)

    if answers:
        vault.update(model.on_json(fill))
    return vault


def make_practitioner(home: Path) -> Any:
    """Practitioner key pairs on disk (default KDF settings); returns the KeyPairs."""
    from osp_cli import crypto
    from osp_cli.exchange import files, keystore

    keys = crypto.new_key_pairs()
    files.practitioner_dir(create=True)
    files.write_private(files.key_file(), keystore.encode(keys, PASS))
    return keys


def make_summaries(keys: Any, folder: Path, count: int) -> list[Path]:
    """``count`` sealed summaries of a realistic workbook, each for a different reference."""
    import dataclasses

    from osp_cli import __version__
    from osp_cli.exchange import sealed, summary
    from osp_cli.exercises.catalogue import builtin_exercises
    from osp_cli.workbook import model

    exercises = builtin_exercises()
    chosen = sorted(exercises)[:8]
    payload = model.new_payload()
    payload.participant_ref = "P-0000"
    for exercise_id in chosen:
        exercise = exercises[exercise_id]
        for question in exercise.questions:
            value: object = ANSWER
            if question.kind.value == "scale":
                value = question.min
            elif question.kind.value == "yes_no":
                value = True
            elif question.kind.value == "choice" and question.choices:
                value = question.choices[0]
            elif question.kind.value in ("choices", "list"):
                value = list(question.choices[:1]) or [ANSWER]
            elif question.kind.value == "table":
                value = {
                    row: {col: ANSWER[:40] for col in question.columns} for row in question.rows
                }
            model.set_answer(exercise_id, exercise.version, question.id, value)(payload)
        model.mark_complete(exercise_id, exercise.version)(payload)
    for i in range(30):
        model.add_checkin(i % 11, (7 * i) % 11, "note")(payload)
    base = summary.build(payload, exercises, chosen, "A note.", osp_version=__version__)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for n in range(count):
        one = dataclasses.replace(base, participant_ref=f"P-{n:04d}")
        path = folder / f"summary-{n:04d}.osps"
        path.write_bytes(sealed.seal(one.to_bytes(), keys.x25519_public))
        out.append(path)
    return out
