"""The save journal: an append-only file of encrypted, authenticated change records beside
the workbook file (docs/vault-format.md, "The journal"). Bytes in, bytes out, plus the
few file operations it needs; the vault decides when to append and when to fold, and
the workbook layer decides what a record says.

Saving one answer appends one record and fsyncs it, so a save costs the same with 100
answers or 50,000. The workbook file stays the one complete, self-contained copy: the
vault folds the journal into it (a full write) when the workbook is opened, when a
command finishes and when the journal grows large, then starts the journal afresh for the
new generation (:func:`reset`), so that a save never creates a file or fsyncs a folder.

Layout (integers big-endian)::

    header  (62 bytes)
      0   5  magic  b"OSPWJ"
      5   1  version (1)
      6  16  the workbook's file id (ASCII hex)
      22  8  base generation: the workbook file's generation this journal extends
      30 32  HMAC-SHA256(journal key, bytes 0-29)
    record  (repeated)
      0   4  L: length of the token
      4   4  first 4 bytes of HMAC-SHA256(journal key, previous tag || bytes 0-3)
      8   L  token: Fernet (data key) of the UTF-8 JSON change record
      8+L 32 tag: HMAC-SHA256(journal key, previous tag || bytes 0 to 8+L)

"previous tag" is the header's HMAC for the first record, then each record's tag: the
chain fixes the order and ties every record to this workbook and base generation.
The journal key is HKDF-SHA256(data key, "osp workbook journal mac v1").

Reading: a record cut short at the end of the file is an unfinished save (the process was
stopped while appending; that save was never acknowledged) and is ignored; any other
mismatch (a flipped bit, a wrong length check, a broken chain) is damage.
"""

from __future__ import annotations

import contextlib
import json
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from osp_cli import crypto
from osp_cli.atomic import fsync_dir
from osp_cli.platform import O_BINARY

MAGIC = b"OSPWJ"
VERSION = 1
HEADER_SIZE = 62
_MAC_PURPOSE = "osp workbook journal mac v1"
#: A record larger than this is damage, not a save (an answer is a few KiB at most).
MAX_RECORD = 16 * 1024 * 1024
#: A save folds the journal into the workbook file (a full write) once it is this large.
#: Folds happen at the end of every command anyway, so only a very long session reaches
#: these; they bound what opening has to replay after a crash.
FOLD_AT_BYTES = 8 * 1024 * 1024
FOLD_AT_RECORDS = 10_000
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class JournalDamaged(Exception):
    """The journal's bytes do not authenticate. ``reason`` is plain and secret-free."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def journal_path(workbook: Path) -> Path:
    return workbook.with_name(workbook.name + ".journal")


def key_for(data_key: bytes) -> bytes:
    return crypto.subkey(data_key, _MAC_PURPOSE)


def _header(key: bytes, file_id: str, generation: int) -> bytes:
    ident = file_id.encode("ascii")
    if len(ident) != 16:
        raise ValueError("a workbook file id is 16 hex digits")
    body = MAGIC + bytes([VERSION]) + ident + struct.pack(">Q", generation)
    return body + crypto.mac(key, body)


@dataclass(frozen=True, slots=True)
class State:
    """Where the journal stands, as last read or written.

    ``end`` is how many bytes of the file are valid records (0: there is no journal for
    this generation yet: the next append must :func:`reset` it first); ``tag`` is the last
    record's tag (where the chain goes on); ``count`` how many records there are;
    ``size`` the file's size when it was read (more than ``end``: an unfinished save)."""

    end: int = 0
    tag: bytes = b""
    count: int = 0
    size: int = 0

    @property
    def usable(self) -> bool:
        return self.end >= HEADER_SIZE


def _read_bytes(path: Path, offset: int = 0) -> bytes:
    fd = os.open(path, os.O_RDONLY | O_BINARY | _NOFOLLOW)
    with os.fdopen(fd, "rb") as handle:
        if os.fstat(fd).st_size < offset:
            raise JournalDamaged("the journal of recent saves has been cut short")
        handle.seek(offset)
        return handle.read()


def read(
    path: Path, data_key: bytes, file_id: str, generation: int, since: State | None = None
) -> tuple[State, list[dict[str, Any]]]:
    """The records of the journal for the workbook file ``file_id`` at ``generation``.

    With ``since`` (a usable state from an earlier read of the same journal), only the
    records after it are read and returned. A missing journal, one whose header was never
    finished, or one for an older generation (left from before the last fold) gives an
    unusable state and no records. Raises JournalDamaged; OSError if it cannot be read."""
    key = key_for(data_key)
    if since is not None and since.usable:
        try:
            tail = _read_bytes(path, since.end)
        except FileNotFoundError as exc:
            raise JournalDamaged("the journal of recent saves has disappeared") from exc
        return _records(tail, since.end, since.tag, since.count, key, data_key)
    try:
        blob = _read_bytes(path)
    except FileNotFoundError:
        return State(), []
    if len(blob) < HEADER_SIZE:
        if blob[: len(MAGIC)] != MAGIC[: len(blob)]:
            raise JournalDamaged("the journal does not start as one should")
        return State(size=len(blob)), []  # a start that never finished: nothing saved
    if blob[:5] != MAGIC or blob[5] != VERSION:
        raise JournalDamaged("the journal does not start as one should")
    if not crypto.mac_ok(key, blob[:30], blob[30:HEADER_SIZE]):
        # Every journal of this workbook, even one left from before the last fold, is
        # checked with the same key: a mismatch is damage, never "an old journal".
        raise JournalDamaged("the journal has been altered (its header check failed)")
    (base,) = struct.unpack(">Q", blob[22:30])
    if blob[6:22] != file_id.encode("ascii", "replace") or base > generation:
        raise JournalDamaged("the journal belongs to another version of the workbook")
    if base < generation:
        return State(size=len(blob)), []  # from before the last fold: already in the file
    return _records(blob[HEADER_SIZE:], HEADER_SIZE, blob[30:HEADER_SIZE], 0, key, data_key)


def _records(
    blob: bytes, start: int, tag: bytes, count: int, key: bytes, data_key: bytes
) -> tuple[State, list[dict[str, Any]]]:
    """Check and decrypt the records in ``blob`` (the file from offset ``start``)."""
    records: list[dict[str, Any]] = []
    offset = 0
    while len(blob) - offset >= 8:
        (length,) = struct.unpack(">I", blob[offset : offset + 4])
        check = crypto.mac(key, tag + blob[offset : offset + 4])[:4]
        if blob[offset + 4 : offset + 8] != check:
            if not blob[offset:].strip(b"\x00"):
                break  # zeros where an unfinished append extended the file
            raise JournalDamaged("a journal record has been altered (its length check failed)")
        if length > MAX_RECORD:
            raise JournalDamaged("a journal record is far too large")
        end = offset + 8 + length + 32
        if end > len(blob):
            break  # the last record was being written when the process stopped
        signed = blob[offset : offset + 8 + length]
        record_tag = blob[offset + 8 + length : end]
        if not crypto.mac_ok(key, tag + signed, record_tag):
            raise JournalDamaged("a journal record has been altered (its check failed)")
        try:
            plain = crypto.unseal(data_key, blob[offset + 8 : offset + 8 + length])
            record = json.loads(plain.decode("utf-8"))
        except (crypto.CryptoFailure, UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise JournalDamaged("a journal record cannot be read") from exc
        if not isinstance(record, dict):
            raise JournalDamaged("a journal record cannot be read")
        records.append(record)
        tag, offset = record_tag, end
    state = State(end=start + offset, tag=tag, count=count + len(records), size=start + len(blob))
    return state, records


def reset(path: Path, data_key: bytes, file_id: str, generation: int) -> State:
    """Start the journal afresh for the workbook file at ``generation`` (after a full
    write): just the header, fsynced, and the folder too when the file is new. The saves
    it held are in the workbook file now. OSError on failure."""
    created = not path.exists()
    head = _header(key_for(data_key), file_id, generation)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | O_BINARY | _NOFOLLOW, 0o600)
    try:
        os.ftruncate(fd, 0)
        _write_all(fd, head, 0)
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        fsync_dir(path.parent)  # the new journal's name is durable too
    return State(end=HEADER_SIZE, tag=head[30:], count=0, size=HEADER_SIZE)


def _write_all(fd: int, data: bytes, offset: int) -> None:
    os.lseek(fd, offset, os.SEEK_SET)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def seal_record(data_key: bytes, record: dict[str, Any]) -> bytes:
    """The encrypted token of one record (a lone surrogate becomes "?", as in the file)."""
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return crypto.seal(data_key, text.encode("utf-8", "replace"))


def append(path: Path, data_key: bytes, state: State, record: dict[str, Any]) -> State:
    """Append one record durably (one write, one fsync) and return the new state. Call
    with the vault's lock held, after :func:`read` or :func:`reset` gave ``state`` (a
    usable one). An unfinished record left by a killed save is cut off first. OSError on
    failure; the record counts as saved only when this returns."""
    if not state.usable:
        raise ValueError("append to a journal that was not started")
    key = key_for(data_key)
    token = seal_record(data_key, record)
    length = struct.pack(">I", len(token))
    signed = length + crypto.mac(key, state.tag + length)[:4] + token
    new_tag = crypto.mac(key, state.tag + signed)
    fd = os.open(path, os.O_WRONLY | O_BINARY | _NOFOLLOW)
    try:
        if state.size != state.end:
            os.ftruncate(fd, state.end)  # drop an unfinished record left by a killed save
        try:
            _write_all(fd, signed + new_tag, state.end)
            os.fsync(fd)
        except BaseException:
            # Not saved (and the caller says so): take the record back out, so that it
            # does not turn up later as a save that was reported as failed.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, state.end)
            raise
    finally:
        os.close(fd)
    end = state.end + len(signed) + 32
    return State(end=end, tag=new_tag, count=state.count + 1, size=end)


def peek(path: Path) -> tuple[str, int, int] | None:
    """(file id, base generation, size) from the journal's header without any key, or
    None when there is no journal with a whole header. Only for deciding whether a copy
    of the workbook file alone would miss saved changes (nothing here is trusted)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(HEADER_SIZE)
            size = os.fstat(handle.fileno()).st_size
    except OSError:
        return None
    if len(head) < HEADER_SIZE or head[:5] != MAGIC:
        return None
    (base,) = struct.unpack(">Q", head[22:30])
    return head[6:22].decode("ascii", "replace"), base, size
