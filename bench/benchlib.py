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


def spread(values: Sequence[float]) -> tuple[float, float]:
    """The interquartile range: (25th percentile, 75th percentile)."""
    quartiles = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
    return quartiles[0], quartiles[2]


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


def custom_exercise(n: int, questions: int = 20) -> str:
    """The TOML of a practitioner's custom exercise (as it arrives in an assignment)."""
    lines = [
        f'id = "custom-{n:05d}"',
        f'title = "Practice sheet {n}"',
        f"session = {1 + n % 5}",
        'topics = ["timeline"]',
        "minutes = 10",
        "version = 1",
        'intro = "Some questions your practitioner wrote for you."',
        'reflection = "Anything else you noticed?"',
    ]
    for q in range(questions):
        kind = "long_text" if q % 4 == 0 else "text"
        lines += ["", "[[questions]]", f'id = "q{q}"', f'kind = "{kind}"', "no_names = true"]
        lines.append(f'prompt = "Question {q} of sheet {n}: what happened, and what helped?"')
    return "\n".join(lines) + "\n"


def make_workbook(home: Path, answers: int, *, seed: int = 1) -> Any:
    """A workbook holding about ``answers`` answers to real exercises: every built-in
    exercise answered in full first (realistic values of each kind), then custom exercises
    (20 questions each, as a practitioner would write them) until the count is reached;
    check-ins over weeks. Reviewing it shows every answer."""
    import random

    from osp_cli.exercises.catalogue import builtin_exercises
    from osp_cli.exercises.loader import parse_exercise
    from osp_cli.vault.store import Vault
    from osp_cli.workbook import model

    rng = random.Random(seed)
    path = home / "workbook.osp"
    vault, _ = Vault.create(path, PASS, model.new_payload().to_dict())
    exercises = builtin_exercises()

    def fill(payload: model.Payload) -> None:
        made = 0
        for exercise in exercises.values():
            for question in exercise.questions:
                if made >= answers:
                    return
                value = answer_for(question, rng)
                model.set_answer(exercise.id, exercise.version, question.id, value)(payload)
                made += 1
            model.mark_complete(exercise.id, exercise.version)(payload)
        n = 0
        while made < answers:
            text = custom_exercise(n)
            custom = parse_exercise(text, "bench")
            payload.custom_exercises[custom.id] = text
            for question in custom.questions:
                if made >= answers:
                    break
                value = answer_for(question, rng)
                model.set_answer(custom.id, 1, question.id, value)(payload)
                made += 1
            n += 1

    def checkins(payload: model.Payload) -> None:
        payload.checkins = realistic_payload(seed, {})[0].checkins

    vault.update(model.on_json(fill))
    vault.update(model.on_json(checkins))
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


# --- realistic, distinct data ----------------------------------------------------------

_WORDS = [
    "evening",
    "work",
    "alone",
    "tired",
    "phone",
    "late",
    "angry",
    "argument",
    "weekend",
    "bored",
    "lonely",
    "stress",
    "drink",
    "shame",
    "walk",
    "sister",
    "friend",
    "football",
    "garden",
    "cooking",
    "night",
    "laptop",
    "bedroom",
    "kitchen",
    "bus",
    "shift",
    "money",
    "worry",
    "sleep",
    "park",
    "dog",
    "gym",
    "music",
    "church",
    "cousin",
    "manager",
    "message",
    "call",
    "plan",
    "step",
    "warning",
    "feeling",
    "urge",
    "thought",
    "choice",
    "reason",
    "future",
]


def sentence(rng: Any, words: int) -> str:
    """A plausible answer of about ``words`` words, different for every seed."""
    picked = [rng.choice(_WORDS) for _ in range(words)]
    return (" ".join(picked)).capitalize() + "."


def answer_for(question: Any, rng: Any) -> object:
    """A value of the right kind for a real exercise question."""
    kind = question.kind.value
    if kind == "scale":
        return rng.randint(question.min, question.max)
    if kind == "yes_no":
        return rng.random() < 0.5
    if kind == "choice":
        return rng.choice(question.choices)
    if kind == "choices":
        return rng.sample(list(question.choices), k=rng.randint(1, len(question.choices)))
    if kind == "list":
        return [sentence(rng, rng.randint(3, 9)) for _ in range(rng.randint(2, 5))]
    if kind == "table":
        return {
            row: {col: sentence(rng, rng.randint(2, 7)) for col in question.columns}
            for row in question.rows
        }
    if kind == "long_text":
        return sentence(rng, rng.randint(25, 70))
    return sentence(rng, rng.randint(4, 14))


def realistic_payload(seed: int, exercises: dict[str, Any]) -> tuple[Any, list[str]]:
    """One participant's workbook: real exercises answered (some in full, some part way),
    check-ins spread over weeks with ratings that drift, different for every seed.
    Returns the payload and the exercises started."""
    import dataclasses
    import datetime as dt
    import random

    from osp_cli.workbook import model

    rng = random.Random(seed)
    payload = model.new_payload()
    payload.participant_ref = f"P-{seed:05d}"
    ids = sorted(exercises)
    started = rng.sample(ids, k=rng.randint(4, min(14, len(ids)))) if len(ids) >= 4 else []
    if "programme-evaluation" in exercises and "programme-evaluation" not in started:
        started.append("programme-evaluation")
    for exercise_id in started:
        exercise = exercises[exercise_id]
        visible = list(exercise.questions)
        done = len(visible) if rng.random() < 0.7 else rng.randint(1, len(visible))
        for question in visible[:done]:
            value = answer_for(question, rng)
            model.set_answer(exercise_id, exercise.version, question.id, value)(payload)
        if done == len(visible):
            model.mark_complete(exercise_id, exercise.version)(payload)
    start = dt.datetime(2026, 1, 5, 19, 0, tzinfo=dt.UTC) + dt.timedelta(days=rng.randint(0, 200))
    feeling, urge = rng.randint(3, 9), rng.randint(2, 9)
    for week in range(rng.randint(6, 14)):
        for _ in range(rng.randint(1, 4)):
            feeling = max(0, min(10, feeling + rng.randint(-2, 1)))
            urge = max(0, min(10, urge + rng.randint(-2, 1)))
            note = sentence(rng, rng.randint(0, 12)) if rng.random() < 0.6 else ""
            model.add_checkin(feeling, urge, note)(payload)
            when = start + dt.timedelta(
                weeks=week, days=rng.randint(0, 6), minutes=rng.randint(0, 600)
            )
            payload.checkins[-1] = dataclasses.replace(
                payload.checkins[-1], at=when.isoformat(timespec="seconds")
            )
    return payload, started


def _make_one(job: tuple[int, Path, bytes]) -> None:
    import random

    from osp_cli import __version__
    from osp_cli.exchange import sealed, summary
    from osp_cli.exercises.catalogue import builtin_exercises

    n, path, recipient = job
    exercises = builtin_exercises()
    payload, started = realistic_payload(n, exercises)
    built = summary.build(
        payload,
        exercises,
        started,
        f"Note {n}: {sentence(random.Random(-n), 8)}",
        osp_version=__version__,
        now="2026-09-01T18:00:00+00:00",
    )
    path.write_bytes(sealed.seal(built.to_bytes(), recipient))


def make_distinct_summaries(keys: Any, folder: Path, count: int) -> list[Path]:
    """``count`` sealed summaries, each from a different, realistic workbook (distinct
    participants, answers, exercises and check-ins), sealed to ``keys`` with HPKE.
    Files already in ``folder`` (from an earlier run, same keys) are kept."""
    import multiprocessing

    folder.mkdir(parents=True, exist_ok=True)
    out = [folder / f"summary-{n:05d}.osps" for n in range(count)]
    jobs = [(n, path, keys.x25519_public) for n, path in enumerate(out) if not path.exists()]
    if jobs:
        with multiprocessing.get_context().Pool() as pool:
            pool.map(_make_one, jobs, chunksize=32)
    return out


def tree_peak_mib(pid: int, stop: Any, peaks: list[float]) -> None:
    """Sample the memory of ``pid`` and all its descendants every 20 ms until ``stop``
    is set; append the highest total seen (proportional set size, so pages that forked
    workers share are counted once), in MiB."""
    highest = 0.0
    while not stop.is_set():
        family = _descendants(pid)
        total = sum(_pss_kib(one) for one in family)
        highest = max(highest, total / 1024)
        stop.wait(0.02)
    peaks.append(highest)


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run_with_peak(
    argv: Sequence[str], home: Path, stdin: str = ""
) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """(wall seconds, peak memory of the command and its workers in MiB, the result)."""
    import threading

    started = time.perf_counter()
    proc = subprocess.Popen(
        list(argv),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env_for(home),
    )
    stop, peaks = threading.Event(), []  # type: ignore[var-annotated]
    sampler = threading.Thread(target=tree_peak_mib, args=(proc.pid, stop, peaks))
    sampler.start()
    out, err = proc.communicate(stdin, timeout=1800)
    wall = time.perf_counter() - started
    stop.set()
    sampler.join()
    return wall, peaks[0], subprocess.CompletedProcess(argv, proc.returncode, out, err)
