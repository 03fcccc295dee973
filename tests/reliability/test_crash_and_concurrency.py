"""Crash safety (SIGKILL at random moments), stray temp files, and concurrent writers.

Quick by default. Full run: ``OSP_RELIABILITY_FULL=1`` (200 kills), or set ``OSP_KILLS``.
``OSP_KILL_SEED`` replays a run (the seed is printed on failure and with ``-s``).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from relhelp import (
    PASS,
    acked,
    answers_on_disk,
    count,
    make_vault,
    payload_on_disk,
    spawn_worker,
    use_floor_kdf,
)

from osp_cli import atomic
from osp_cli.vault import format as fmt
from osp_cli.vault.store import Vault
from osp_cli.workbook import model

KILLS = count("OSP_KILLS", quick=16, full=200)
WRITERS, PER_WRITER = 4, count("OSP_ANSWERS_PER_WRITER", quick=50, full=50)
#: Saving as a full rewrite of the file, or as osp saves an answer (a journal record,
#: folded into the file when the next worker opens the workbook).
MODES: dict[str, tuple[str, ...]] = {"full write": (), "journal": ("--journal",)}


@pytest.fixture(autouse=True)
def _floor_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    use_floor_kdf(monkeypatch)


class Reader:
    """Collects a child's stdout lines on a thread, so the test can time its kill."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._proc = proc
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, word: str, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if word in self.lines:
                return True
            if self._proc.poll() is not None and not self._thread.is_alive():
                return word in self.lines
            time.sleep(0.002)
        return False

    def finish(self) -> list[str]:
        self._thread.join(timeout=30)
        return self.lines


@pytest.mark.timeout(90 + KILLS * 4)
@pytest.mark.parametrize("mode", list(MODES))
def test_sigkill_at_random_moments_loses_no_acknowledged_answer(tmp_path: Path, mode: str) -> None:
    seed = int(os.environ.get("OSP_KILL_SEED", str(random.randrange(2**32))))
    rng = random.Random(seed)
    path = tmp_path / "home" / "workbook.osp"
    vault = make_vault(path, answers=1500)  # each save rewrites ~150 KB: kills land mid-save
    key = vault.data_key
    confirmed: set[str] = set()
    next_index = 0
    generation = fmt.parse(path.read_bytes()).header.generation
    strays_seen = kills_during_open = 0
    for kill in range(KILLS):
        proc = spawn_worker(path, "k", next_index, 100_000, *MODES[mode])
        reader = Reader(proc)
        if rng.random() < 0.2:
            time.sleep(rng.uniform(0.0, 0.5))  # anywhere in start-up and unlocking
        else:
            assert reader.wait_for("ready"), f"seed {seed}: worker never got ready"
            time.sleep(rng.uniform(0.0, 0.08))  # somewhere among the saves
        if "ready" not in reader.lines:
            kills_during_open += 1
        assert proc.poll() is None, (
            f"seed {seed}: worker stopped: {proc.stderr and proc.stderr.read()}"
        )
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
        lines = reader.finish()
        assert proc.stderr is not None
        proc.stderr.close()
        if atomic.temp_files(path):
            strays_seen += 1
        # The main file is always a whole, valid workbook (no backup needed)...
        on_disk = answers_on_disk(path, key)
        now = fmt.parse(path.read_bytes()).header.generation
        assert now >= generation, f"seed {seed}, kill {kill}: the file went back in time"
        generation = now
        # ...holding every answer whose save was acknowledged, in this life and all before.
        confirmed.update(acked(lines))
        missing = confirmed - set(on_disk)
        assert not missing, f"seed {seed}, kill {kill}: acknowledged answers lost: {missing}"
        numbers = [int(q[1:]) for q in acked(lines)]
        next_index = max([next_index - 1, *numbers]) + 1
    # Unlocking for real (Argon2id and all) works, uses no backup and sweeps stray files.
    reopened = Vault.open(path, PASS, model.CODEC)
    assert reopened.restored_from_backup is None
    assert confirmed <= set(model.answers_of(reopened.payload, "reliability"))
    assert atomic.temp_files(path) == []
    summary = (
        f"{mode}: {KILLS} kills (seed {seed}): {len(confirmed)} acknowledged answers all present; "
        f"{strays_seen} kills left a temp file (killed mid-write), all swept; "
        f"{kills_during_open} kills during start-up or unlocking"
    )
    print("\n" + summary)
    assert len(confirmed) > 0


def test_a_writer_killed_between_fsync_and_rename_leaves_the_old_file_and_a_swept_temp(
    tmp_path: Path,
) -> None:
    path = tmp_path / "home" / "workbook.osp"
    vault = make_vault(path, answers=3)
    before = path.read_bytes()
    proc = spawn_worker(path, "h", 0, 1, "--hang-before-rename")
    reader = Reader(proc)
    assert reader.wait_for("hanging"), proc.stderr and proc.stderr.read()
    strays = atomic.temp_files(path)
    assert len(strays) == 1
    # The stray is a complete encrypted file: ciphertext only, never plaintext.
    assert b"answer h0" not in strays[0].read_bytes()
    assert payload_on_disk(strays[0], vault.data_key)  # it was fully written and fsynced
    proc.kill()
    proc.wait(timeout=30)
    reader.finish()
    assert proc.stderr is not None
    proc.stderr.close()
    assert path.read_bytes() == before  # the old file, untouched
    assert atomic.temp_files(path) == strays  # left behind by the kill...
    Vault.open(path, PASS)
    assert atomic.temp_files(path) == []  # ...and swept on the next open


def test_stray_temp_files_are_swept_by_the_next_save(tmp_path: Path) -> None:
    path = tmp_path / "home" / "workbook.osp"
    vault = make_vault(path)
    stray = path.with_name(".workbook.osp.tmp-99999-deadbeef")
    stray.write_bytes(b"half a file")
    vault.update(model.on_json(model.set_answer("x", 1, "q", "a")))
    assert not stray.exists()
    assert atomic.temp_files(path) == []


@pytest.mark.timeout(120)
@pytest.mark.parametrize("mode", list(MODES))
def test_concurrent_writers_lose_nothing(tmp_path: Path, mode: str) -> None:
    path = tmp_path / "home" / "workbook.osp"
    make_vault(path, answers=200)
    procs = [spawn_worker(path, f"w{n}-", 0, PER_WRITER, *MODES[mode]) for n in range(WRITERS)]
    outputs = [proc.communicate(timeout=100) for proc in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert len(acked(out.splitlines())) == PER_WRITER
    answers = model.answers_of(Vault.open(path, PASS, model.CODEC).payload, "reliability")
    expected = {f"w{n}-{i}" for n in range(WRITERS) for i in range(PER_WRITER)}
    assert set(answers) == expected
    assert len(answers) == WRITERS * PER_WRITER == 200 or PER_WRITER != 50
    assert all(answers[q] == f"answer {q}" for q in expected)
