"""Reading and writing exchange files: the only part of ``osp_cli.exchange`` that does I/O.

Writes are atomic and private: a temp file (0600) in the same folder, fsync, rename,
fsync of the folder. A file is never left half written.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from osp_cli import paths
from osp_cli.atomic import replace_durably, temp_files
from osp_cli.errors import UserError
from osp_cli.platform import lock_file, unlock_file
from osp_cli.ui.safe import path_text as _shown

KEY_FILE = "keys.osppk"
SEQUENCE_FILE = "sequence"
PINS_FILE = "pins.osppn"


def read_limited(path: Path, limit: int, what: str) -> bytes:
    """The bytes of ``path``, refusing anything larger than ``limit``."""
    try:
        with path.open("rb") as handle:
            # Asking for limit + 1 bytes makes Python set aside that much memory first, on
            # every read (4 MiB for a summary); ask for the file's size instead, and only
            # read on if it has grown since (or reports no size, as a pipe does).
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(min(size, limit) + 1)
            if len(data) > size:
                data += handle.read(limit + 1 - len(data))
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


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _protected() -> list[tuple[Path, str]]:
    """Files no output may ever replace: osp's own (keys, pins, the workbook, its copies)."""
    home = paths.home()
    found: list[tuple[Path, str]] = []
    if home.is_dir():
        found += [(p, "your workbook or one of its copies") for p in home.iterdir() if p.is_file()]
    folder = paths.practitioner_dir()
    if folder.is_dir():
        found += [(p, "a practitioner key file") for p in folder.iterdir() if p.is_file()]
    workbook = paths.workbook_path()
    found += [(p, "a copy of your workbook") for p in temp_files(workbook)]
    return found


_KINDS = {
    b"OSPWB": "an osp workbook",
    b"OSPPK": "a practitioner key file",
    b"OSPPN": "a practitioner's list of participant keys",
}


def _osp_kind(path: Path) -> str | None:
    """What a file is, if it is one of the osp files nothing may replace (by its magic,
    so a workbook or key file is recognised wherever it is)."""
    try:
        with path.open("rb") as handle:
            return _KINDS.get(handle.read(5))
    except OSError:
        return None


def check_outputs(
    outputs: list[Path],
    inputs: list[Path],
    *,
    force: bool,
    ask: Callable[[str], bool] | None,
) -> None:
    """Refuse outputs that would replace an input file, a key file or the workbook (or
    each other); for any other file that exists, ``ask`` (in a terminal) or ``force``.
    Raises UserError (nothing written) when an output may not be written."""
    seen: list[Path] = []
    for out in outputs:
        out = out.expanduser()
        if any(_same(out, other) for other in seen):
            raise UserError(f"{_shown(out)} is named for two outputs; nothing was written.")
        seen.append(out)
        if not out.exists():
            continue
        if out.is_dir():
            raise UserError(f"{_shown(out)} is a folder; name a file instead.")
        if any(_same(out, given) for given in inputs):
            raise UserError(
                f"{_shown(out)} is the file being read, so it cannot also be written to; "
                "nothing was written.",
                hint="Choose another name for the output.",
            )
        what_it_is = _osp_kind(out)
        if what_it_is:
            raise UserError(
                f"{_shown(out)} is {what_it_is}; osp never writes over it. Nothing was written.",
                hint="Choose another name for the output.",
            )
        for kept, what in _protected():
            if _same(out, kept):
                raise UserError(
                    f"{_shown(out)} is {what}; osp never writes over it. Nothing was written.",
                    hint="Choose another name for the output.",
                )
        if force:
            continue
        if ask is not None and ask(f"{_shown(out)} already exists. Replace it?"):
            continue
        raise UserError(
            f"{_shown(out)} already exists; nothing was written.",
            hint="Choose another name, or add --force to replace it.",
        )


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


#: The largest practitioner key file osp reads (one is about 1 KiB).
KEY_FILE_BYTES = 64 * 1024


def existing_key_file() -> Path:
    """The practitioner key file; a clear refusal when there are no keys yet (checked
    before any passphrase is asked for, without reading the file)."""
    path = key_file()
    if not path.exists():
        raise UserError(
            "There are no practitioner keys on this computer yet.",
            hint="Run 'osp practitioner init' to create them.",
        )
    return path


def read_key_file(path: Path) -> bytes:
    return read_limited(path, KEY_FILE_BYTES, "a key file")


RETIRED_DIR = "retired"


def retired_key_files() -> list[Path]:
    """Key files of earlier key pairs (kept by 'osp practitioner rotate'), oldest first."""
    folder = practitioner_dir() / RETIRED_DIR
    return sorted(folder.glob("keys-*.osppk")) if folder.is_dir() else []


@contextlib.contextmanager
def folder_lock(name: str) -> Iterator[Path]:
    """An exclusive lock on ``name`` in the practitioner folder; yields that file's path."""
    directory = practitioner_dir(create=True)
    lock = os.open(directory / (name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        lock_file(lock)
        yield directory / name
    finally:
        unlock_file(lock)
        os.close(lock)
