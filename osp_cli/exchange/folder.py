"""The practitioner folder's small shared files, each read and written under a lock (two
osp processes at once never lose each other's changes): the assignment sequence number
and the pinned participant keys (osp_cli.exchange.pins)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from osp_cli.exchange.assignment import new_sequence
from osp_cli.exchange.files import (
    PINS_FILE,
    SEQUENCE_FILE,
    folder_lock,
    practitioner_dir,
    read_limited,
    write_private,
)
from osp_cli.exchange.pins import MAX_FILE, Pins, decode, encode

T = TypeVar("T")


def next_sequence() -> int:
    """Reserve the next assignment sequence number (kept in the practitioner folder)."""
    with folder_lock(SEQUENCE_FILE) as path:
        try:
            last = int(path.read_text(encoding="ascii").strip() or "0")
        except (FileNotFoundError, ValueError):
            last = 0
        value = new_sequence(last)
        write_private(path, f"{value}\n".encode("ascii"))
    return value


def _read_pins(path: Path, key: bytes) -> Pins:
    if not path.exists():
        return Pins()
    return decode(read_limited(path, MAX_FILE, "a pin file"), key)


def load_pins(key: bytes) -> Pins:
    """The pinned participant keys (empty when none yet). ``key``: pins.store_key(...)."""
    return _read_pins(practitioner_dir() / PINS_FILE, key)


def update_pins(key: bytes, change: Callable[[Pins], T]) -> T:
    """Read the pins, apply ``change`` and write them back, all under a lock (two osp
    processes opening summaries at once never lose each other's pins)."""
    with folder_lock(PINS_FILE) as path:
        current = _read_pins(path, key)
        before = dict(current.pins)
        result = change(current)
        if current.pins != before:
            write_private(path, encode(current, key))
    return result
