"""Durable, atomic file replacement: the one place osp writes a file it must not lose.

A new file is written beside the target as ``.NAME.tmp-PID-RANDOM`` (mode 0600),
fsynced, renamed over the target, and the folder is fsynced. A reader sees the old file
or the new one, never a mix. The temp file is removed on any failure, Ctrl-C included;
one left by a killed process is found with :func:`temp_files`.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

TMP_MARK = ".tmp-"


def temp_files(path: Path) -> list[Path]:
    """Temp files of unfinished writes of ``path`` (left by a killed process)."""
    return sorted(path.parent.glob(f".{path.name}{TMP_MARK}*"))


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_durably(
    path: Path, data: bytes, *, before_replace: Callable[[], None] | None = None
) -> None:
    """Replace ``path`` with ``data`` atomically and durably. OSError on failure.

    ``before_replace`` runs once the new bytes are safely on disk, just before the
    rename (the vault rotates its backups there)."""
    directory = path.parent if str(path.parent) else Path(".")
    tmp = directory / f".{path.name}{TMP_MARK}{os.getpid()}-{secrets.token_hex(4)}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
        fsync_dir(directory)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
