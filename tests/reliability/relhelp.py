"""Shared helpers for the reliability tests (imported by the test modules here)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from osp_cli import crypto
from osp_cli.vault import store
from osp_cli.vault.store import Vault
from osp_cli.workbook import model

PASS = "correct horse battery staple"
WORKER = Path(__file__).with_name("save_worker.py")
ROOT = Path(__file__).resolve().parents[2]
EXERCISE = "reliability"


def full_run() -> bool:
    """``OSP_RELIABILITY_FULL=1`` raises every loop to its full-run count."""
    return os.environ.get("OSP_RELIABILITY_FULL", "") not in ("", "0")


def count(name: str, quick: int, full: int) -> int:
    """A loop count: the env var ``name`` if set, else ``full`` in a full run, else quick."""
    value = os.environ.get(name)
    if value:
        return max(1, int(value))
    return full if full_run() else quick


def use_floor_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """New files use the floor Argon2id settings (64 MiB, 3 passes): real, but quicker."""

    monkeypatch.setenv(crypto.ITERATIONS_ENV, str(crypto.MIN_ITERATIONS))


def make_vault(path: Path, answers: int = 0, size: int = 40) -> Vault[dict[str, Any]]:
    """A workbook with ``answers`` answers of about ``size`` characters, saved in one go."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    vault, _ = Vault.create(path, PASS, model.new_payload().to_dict())
    if answers:

        def fill(payload: model.Payload) -> None:
            for i in range(answers):
                model.set_answer("filler", 1, f"f{i}", "x" * size)(payload)

        vault.update(model.on_json(fill))
    return vault


def payload_on_disk(path: Path, data_key: bytes) -> dict[str, Any]:
    """Parse and decrypt the file, and replay its journal of saves, with a known data key
    (no Argon2id: quick)."""
    return store.read_payload(path, data_key, model.CODEC).to_dict()


def answers_on_disk(path: Path, data_key: bytes) -> dict[str, Any]:
    return model.answers_of(model.from_dict(payload_on_disk(path, data_key)), EXERCISE)


def spawn_worker(
    path: Path,
    prefix: str,
    start: int,
    number: int,
    *extra: str,
    preexec: Callable[[], None] | None = None,
) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), str(path), prefix, str(start), str(number), *extra],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        preexec_fn=preexec,
    )
    assert proc.stdin is not None
    proc.stdin.write(PASS + "\n")
    proc.stdin.close()
    proc.stdin = None  # so communicate() does not touch the closed pipe
    return proc


def acked(lines: list[str]) -> list[str]:
    return [line.split(" ", 1)[1] for line in lines if line.startswith("ack ")]


def osp_env(home: Path) -> dict[str, str]:
    return {**os.environ, "OSP_HOME": str(home), "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
