"""Durable, atomic file replacement: the one place osp writes a file it must not lose.

A new file is written beside the target as ``.NAME.tmp-PID-RANDOM`` (mode 0600),
fsynced, renamed over the target, and the folder is fsynced. A reader sees the old file
or the new one, never a mix. The temp file is removed on any failure, Ctrl-C included;
one left by a killed process is found with :func:`temp_files`.

Windows: files are opened in binary mode (``O_BINARY``), ``os.fsync`` flushes the file
(FlushFileBuffers) and ``os.replace`` renames over the target (MoveFileEx). A folder
cannot be opened there to be fsynced, so that step is skipped; NTFS journals the rename
itself. A virus scanner, indexer or backup program often opens a freshly written file for
a moment, and Windows then refuses the rename ("used by another process"): such a
refusal is retried a few times over about two seconds (:func:`replace_file`) before it
is reported.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path

from osp_cli.platform import IS_WINDOWS, O_BINARY

TMP_MARK = ".tmp-"


def temp_files(path: Path) -> list[Path]:
    """Temp files of unfinished writes of ``path`` (left by a killed process)."""
    return sorted(path.parent.glob(f".{path.name}{TMP_MARK}*"))


#: Windows errors that mean another program has the file open for a moment:
#: ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION.
_HELD_BY_ANOTHER_PROGRAM = frozenset({5, 32, 33})
#: Waits between attempts (seconds): about two seconds in all, then the error stands.
RETRY_WAITS = (0.02, 0.05, 0.1, 0.2, 0.4, 0.5, 0.75)


def held_by_another_program(exc: OSError) -> bool:
    """True for Windows' "the file is in use" refusals, which pass by themselves."""
    return isinstance(exc, PermissionError) and (
        getattr(exc, "winerror", None) in _HELD_BY_ANOTHER_PROGRAM
    )


def replace_file(source: Path, target: Path) -> None:
    """``os.replace``, retried (bounded) while another program briefly holds a file."""
    for wait in RETRY_WAITS:
        try:
            os.replace(source, target)
        except PermissionError as exc:
            if not held_by_another_program(exc):
                raise
            time.sleep(wait)
        else:
            return
    os.replace(source, target)


def link_or_copy(source: Path, target: Path) -> None:
    """Hard-link ``source`` as ``target``; where links are not supported (FAT or exFAT
    drives, some network folders) write a durable copy instead."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError:
        with source.open("rb") as handle:
            data = handle.read()
        replace_durably(target, data)


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable (POSIX). Windows cannot open a folder for
    this; NTFS journals renames, so there it is skipped."""
    if IS_WINDOWS:
        return
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
    tmp = directory / f".{path.name}{TMP_MARK}{os.getpid()}-{os.urandom(4).hex()}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_BINARY, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        if before_replace is not None:
            before_replace()
        replace_file(tmp, path)
        fsync_dir(directory)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
