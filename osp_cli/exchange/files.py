"""Reading and writing exchange files: the only part of ``osp_cli.exchange`` that does I/O.

Writes are atomic and private: a temp file (0600) in the same folder, fsync, rename,
fsync of the folder. A file is never left half written.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from osp_cli import paths
from osp_cli.atomic import replace_durably
from osp_cli.errors import UserError
from osp_cli.platform import lock_file, unlock_file
from osp_cli.ui.safe import path_text as _shown

KEY_FILE = "keys.osppk"
SEQUENCE_FILE = "sequence"


def read_limited(path: Path, limit: int, what: str) -> bytes:
    """The bytes of ``path``, refusing anything larger than ``limit``."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError as exc:
        raise UserError(f"There is no file called {_shown(path)}.") from exc
    except IsADirectoryError as exc:
        raise UserError(f"{_shown(path)} is a folder, not {what}.") from exc
    except OSError as exc:
        raise UserError(
            f"{_shown(path)} could not be read ({os.strerror(exc.errno or 0)})."
        ) from exc
    if len(data) > limit:
        raise UserError(f"{_shown(path)} is too large to be {what}.")
    return data


def write_private(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Write ``data`` to ``path`` atomically with mode 0600."""
    path = path.expanduser()
    if not overwrite and path.exists():
        raise UserError(f"{_shown(path)} already exists; nothing was written.")
    try:
        # Removes its temp file on any failure, Ctrl-C included: a half-written plaintext
        # copy is never left behind.
        replace_durably(path, data)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise UserError(f"There is not enough disk space to write {_shown(path)}.") from exc
        raise UserError(
            f"{_shown(path)} could not be written ({os.strerror(exc.errno or 0)})."
        ) from exc


# --- the practitioner's own folder ---------------------------------------------------


def practitioner_dir(create: bool = False) -> Path:
    directory = paths.practitioner_dir()
    if create:
        paths.ensure_home()
        directory.mkdir(mode=0o700, exist_ok=True)
        os.chmod(directory, 0o700)
    return directory


def key_file() -> Path:
    return practitioner_dir() / KEY_FILE


def next_sequence() -> int:
    """Reserve the next assignment sequence number (kept in the practitioner folder)."""
    from osp_cli.exchange.assignment import new_sequence

    directory = practitioner_dir(create=True)
    path = directory / SEQUENCE_FILE
    lock = os.open(directory / (SEQUENCE_FILE + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        lock_file(lock)
        try:
            last = int(path.read_text(encoding="ascii").strip() or "0")
        except (FileNotFoundError, ValueError):
            last = 0
        value = new_sequence(last)
        write_private(path, f"{value}\n".encode("ascii"))
    finally:
        unlock_file(lock)
        os.close(lock)
    return value
