"""The evaluation CSV, streamed: each summary is opened, turned into CSV lines and
written before later ones are read, so memory does not grow with the number of summaries.
With many summaries and more than one core, worker processes open and parse them (the
costly part) while this process checks each sender, leaves out repeats and writes the
lines in input order. At most two batches of summaries are in flight, so finished work
never piles up faster than it is written.

The rows are those of :mod:`osp_cli.report.csv_rows` (the same columns, cells and
duplicate rules); only their order differs (docs/formats.md, "Evaluation CSV"):

- rows come summary by summary, in the order the summaries were given (the caseload
  store's first, then the files as named); each summary's rows sorted as the whole file
  used to be: by measure type, measure, time and value (so one summary, or one per
  participant, gives the same file as before);
- a row repeated exactly (same value, same key) appears once, where it was first met;
- rows that disagree for the same participant, measure and time are all written, each
  with ``duplicate`` = ``yes``: a row written before the disagreement was known is marked
  when the file is finished (the file is then copied once with those rows changed);
- ``outcome`` rows (one per participant and item, folding every time the measure was
  taken) come last, sorted by participant and measure.

Repeats are found with digests: 96 bits for (participant, measure type, measure, time)
and 64 for the value and key, in flat arrays (about 28 bytes a row instead of some 200 in
Python sets). The file is written beside ``out`` under a temporary name (mode 0600) and
renamed over it only when finished: a failure leaves no partial file, and when no summary
could be read ``out`` is left as it was.
"""

from __future__ import annotations

import array
import collections
import contextlib
import csv
import errno
import gc
import hashlib
import io
import multiprocessing
import operator
import os
import re
import secrets
import signal
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from osp_cli import crypto, limits
from osp_cli.atomic import TMP_MARK, fsync_dir, replace_file
from osp_cli.errors import OspError, UserError
from osp_cli.exchange import files, sealed
from osp_cli.exchange import summary as summary_mod
from osp_cli.platform import O_BINARY
from osp_cli.report import csv_rows
from osp_cli.ui import safe
from osp_cli.ui.safe import path_text

#: Below this many summaries one process is quicker than starting workers.
PARALLEL_FROM = 64
_BATCH = 64  # summaries a batch (two batches at most are in flight)
_CHUNK = 8  # summaries a worker takes at a time
#: Sets the number of worker processes (benchmarks compare one core with all of them).
WORKERS_ENV = "OSP_EVALUATION_WORKERS"
MAX_SUMMARY = limits.SEALED_SUMMARY_BYTES
#: Rows a summary usually gives (the repeat check is made big enough for them at once).
_ROWS_EXPECTED = 64
_CLEAN_TAIL = b",,,,\n"  # duplicate, before, after, change: empty
_MARKED_TAIL = b",yes,,,\n"


@dataclass(frozen=True)
class Keys:
    """What opening a summary needs: the current key pair, and the retired ones by their
    public key (summaries sealed to a key before ``osp practitioner rotate``)."""

    current: crypto.KeyPairs
    retired: Mapping[bytes, crypto.KeyPairs] = field(default_factory=dict)


def open_summary(path: Path, keys: Keys) -> tuple[summary_mod.Summary, bytes | None]:
    """The summary in a sealed file and the workbook key that signed it (None: unsigned).
    OspError (DamagedFile, UserError...) when it cannot be read."""
    blob = _read(path)
    pair = keys.retired.get(sealed.recipient(blob), keys.current)
    opened = sealed.open_signed(blob, pair.x25519_private, pair.x25519_public)
    return summary_mod.from_bytes(opened.plaintext), opened.signer


def _read(path: Path) -> bytes:
    """``files.read_limited``, without asking the system for the largest buffer a summary
    could need every time (a summary is usually some 60 KiB, the limit some 4 MiB)."""
    with contextlib.suppress(OSError), path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size <= MAX_SUMMARY:
            data = handle.read(size + 1)  # one byte more: a file that grew is seen
            if len(data) <= MAX_SUMMARY:
                return data
    return files.read_limited(path, MAX_SUMMARY, "a summary")  # its messages


# --- one summary's rows, made by a worker ----------------------------------------------

#: One summary's rows, ready to write: (participant ref, signer, CSV text of each
#: ordinary row's first five cells, their 96-bit keys as high and low halves, their
#: 64-bit value-and-sender digests, the raw ``outcome`` rows, every raw row or None).
Part = tuple[
    str,
    bytes | None,
    list[str],
    "array.array[int]",
    "array.array[int]",
    "array.array[int]",
    list[csv_rows.Measure],
    list[csv_rows.Measure] | None,
]


def part_of(found: summary_mod.Summary, signer: bytes | None, fingerprint: str, *,
            keep_rows: bool = False) -> Part:  # fmt: skip
    """The rows of one summary; ``fingerprint`` is the key the rows are told apart by
    (the signer's fingerprint, or empty: see :func:`csv_rows.rows`)."""
    # In the order the whole file had before it was streamed, within this summary.
    measures = sorted(csv_rows.measures(found), key=_ORDER)
    lines: list[str] = []
    high, low, exact = array.array("Q"), array.array(_U32), array.array(_U32)
    scores: list[csv_rows.Measure] = []
    cells = _cells
    if len(cells) > _CELLS_KEPT:
        cells.clear()
    key, blake2b, from_bytes = _digest_key, hashlib.blake2b, int.from_bytes
    ref = _cell(found.participant_ref)
    for row in measures:
        kind = row[1]
        if kind == "outcome":
            scores.append(row)
            continue
        # The measure type is one of csv_rows' own words, plain ASCII, safe as it is.
        shown = [ref, kind, *[cells.get(v) or cells.setdefault(v, _cell(v)) for v in row[2:]]]
        line = ",".join(shown)
        if line.count(",") != 4 or _QUOTED.search(line):  # a cell that needs quoting
            line = _line(shown)[:-1]
        lines.append(line)
        where = blake2b("\x00".join(row[:4]).encode("utf-8", "surrogatepass"),
                        digest_size=12, key=key).digest()  # fmt: skip
        what = blake2b(f"{row[4]}\x00{fingerprint}".encode("utf-8", "surrogatepass"),
                       digest_size=4, key=key).digest()  # fmt: skip
        high.append(from_bytes(where[:8], "big") or 1)  # 0 marks an empty slot
        low.append(from_bytes(where[8:], "big"))
        exact.append(from_bytes(what, "big"))
    return (found.participant_ref, signer, lines, high, low, exact, scores,
            measures if keep_rows else None)  # fmt: skip


#: Cells already made safe (ids, values and times repeat from row to row and summary
#: to summary); emptied when it holds this many.
_cells: dict[str, str] = {}
_CELLS_KEPT = 4096
_QUOTED = re.compile('["\r\n]')  # with a comma: what makes the csv module quote a cell
#: Digests are keyed with a secret made for each run, so nobody can make a summary whose
#: rows are taken for another's (the workers are given it: _start_worker).
_digest_key = secrets.token_bytes(16)


_ORDER = operator.itemgetter(1, 2, 3, 4)  # measure type, measure, time, value


def _cell(value: str) -> str:
    """``safe.csv_cell``, quicker for the usual cell (a number, an id, a time): plain
    printable ASCII that starts with no formula sign is left as it is by ``csv_cell``."""
    if (
        value.isascii()
        and value.isprintable()
        and len(value) <= safe.MAX_LINE
        and value.lstrip()[:1] not in ("=", "+", "-", "@")
    ):
        return value
    return safe.csv_cell(value)


def _attempt(path: Path, keys: Keys, keep_rows: bool) -> tuple[Part | None, str]:
    try:
        found, signer = open_summary(path, keys)
    except OspError as error:
        return None, error.message
    fingerprint = crypto.fingerprint(signer) if signer is not None else ""
    return part_of(found, signer, fingerprint, keep_rows=keep_rows), ""


_worker: tuple[Keys, bool] | None = None
_done_in_worker = 0


def _start_worker(keys: Keys, keep_rows: bool, digest_key: bytes) -> None:
    global _worker, _digest_key
    _worker = (keys, keep_rows)
    _digest_key = digest_key
    # The command's own handlers are not for workers: Ctrl-C is the command's to handle
    # (it stops the workers), and SIGTERM, as it stops them, must simply end them.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, signal.SIG_DFL)
    gc.freeze()  # what the worker inherited is never scanned again
    gc.disable()  # a summary makes no reference cycles; see _work


def _work(path: Path) -> tuple[Part | None, str]:
    global _done_in_worker
    assert _worker is not None
    _done_in_worker += 1
    if _done_in_worker % 256 == 0:
        gc.collect()  # in case a failure left a cycle (an exception and its frames)
    return _attempt(path, *_worker)


def _results(
    paths: Sequence[Path], keys: Keys, workers: int, keep_rows: bool
) -> Iterator[tuple[Path, Part | None, str]]:
    """Each summary's part, in input order."""
    if workers <= 1 or len(paths) < PARALLEL_FROM:
        for path in paths:
            yield (path, *_attempt(path, keys, keep_rows))
        return
    batches = (paths[i : i + _BATCH] for i in range(0, len(paths), _BATCH))
    with multiprocessing.get_context().Pool(
        workers, initializer=_start_worker, initargs=(keys, keep_rows, _digest_key)
    ) as pool:
        pending: collections.deque[tuple[Sequence[Path], Any]] = collections.deque()
        for _ in range(2):
            batch = next(batches, None)
            if batch:
                pending.append((batch, pool.map_async(_work, batch, chunksize=_CHUNK)))
        while pending:
            batch, running = pending.popleft()
            results = running.get()
            following = next(batches, None)
            if following:
                pending.append((following, pool.map_async(_work, following, chunksize=_CHUNK)))
            for path, result in zip(batch, results, strict=True):
                yield (path, *result)
        pool.close()  # the workers finish and leave (on an error, they are stopped)
        pool.join()


def worker_count() -> int:
    pinned = os.environ.get(WORKERS_ENV, "").strip()
    return int(pinned) if pinned.isdigit() else (os.cpu_count() or 1)


# --- the writer ------------------------------------------------------------------------


class _Seen:
    """Each participant/measure/time met so far (a 96-bit digest), with the digest of
    the first value and key met for it (32 bits: it is only compared with the values
    for the same participant, measure and time) and where its line ends in the file:
    flat arrays with open addressing, 20 bytes a slot (a million rows take about 28 MB
    here, some 200 MB as Python sets of tuples). Made big enough at the start for the
    rows expected, so it seldom needs to grow (growing holds the old and new arrays
    at once)."""

    def __init__(self, expected: int = 0) -> None:
        size = 1024
        while size * 3 < expected * 4:
            size *= 2
        self._make(size)
        self.size = 0

    def _make(self, size: int) -> None:
        self.high = array.array("Q", bytes(8 * size))
        self.low = _array(size)
        self.exact = _array(size)
        self.end = _array(size)  # byte offsets: made 64-bit past 4 GiB (_set_end)

    def find(self, high: int, low: int) -> int:
        """The slot holding (high, low), or the empty slot where it belongs."""
        slots, lows = self.high, self.low
        mask = len(slots) - 1
        slot = high & mask
        while True:
            found = slots[slot]
            if found == 0 or (found == high and lows[slot] == low):
                return slot
            slot = (slot + 1) & mask

    def put(self, slot: int, high: int, low: int, exact: int, end: int) -> None:
        self.high[slot], self.low[slot], self.exact[slot] = high, low, exact
        self._set_end(slot, end)
        self.size += 1
        if self.size * 4 > len(self.high) * 3:
            self._grow()

    def _set_end(self, slot: int, end: int) -> None:
        try:
            self.end[slot] = end
        except OverflowError:
            self.end = array.array("Q", self.end)
            self.end[slot] = end

    def _grow(self) -> None:
        """Twice the slots, filled again straight from the old arrays."""
        high, low, exact, end = self.high, self.low, self.exact, self.end
        self._make(len(high) * 2)
        if end.typecode == "Q":
            self.end = array.array("Q", bytes(8 * len(self.high)))
        mask = len(self.high) - 1
        slots = self.high
        for index, found in enumerate(high):
            if found:
                slot = found & mask
                while slots[slot]:
                    slot = (slot + 1) & mask
                slots[slot] = found
                self.low[slot], self.exact[slot] = low[index], exact[index]
                self.end[slot] = end[index]


#: The array type of unsigned 32-bit numbers (C's int is 32 bits almost everywhere).
_U32 = "I" if array.array("I").itemsize >= 4 else "L"


def _array(size: int) -> array.array[int]:
    """``size`` unsigned 32-bit zeros."""
    return array.array(_U32, bytes(array.array(_U32).itemsize * size))


@dataclass
class Outcome:
    """What one run wrote."""

    read: int = 0
    rows: int = 0
    repeats: int = 0  # rows left out because another summary gave exactly the same
    duplicates: int = 0  # rows marked 'yes' in the duplicate column
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    #: Every row (with sender columns), only when they were asked for (``keep_rows``).
    rows_kept: list[csv_rows.Row] = field(default_factory=list)


#: (file, participant ref, signer or None) → (sender check, key fingerprint): records
#: the sender against the pins, in input order.
Judge = Callable[[Path, str, bytes | None], tuple[str, str]]
#: A summary already open (from the caseload store): its part and its sender check.
Ready = tuple[Part, str]


class _Writer:
    def __init__(self, handle: IO[bytes], outcome: Outcome, expected: int) -> None:
        self.handle = handle
        self.expected = expected
        self.seen: _Seen | None = None  # made at the first rows, after the workers start
        self.versions: dict[tuple[int, int], set[int]] = {}  # keys with several values
        self.patches: list[int] = []  # where lines marked late end
        self.offset = 0
        self.scores: dict[tuple[str, ...], csv_rows.Row] = {}  # outcome rows, in order
        self.outcome = outcome
        self._tails: dict[str, tuple[str, str]] = {}
        self.write(_line(csv_rows.HEADER))

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.handle.write(data)
        self.offset += len(data)

    def tails(self, check: str) -> tuple[str, str]:
        """The end of an ordinary row from a summary with sender check ``check``: with
        the duplicate column empty, and marked."""
        if check not in self._tails:
            plain = _line(("", safe.csv_cell(check), "", "", "", ""))
            self._tails[check] = (plain, plain.replace(",,,,\n", ",yes,,,\n"))
        return self._tails[check]

    def add(self, part: Part, check: str, fingerprint: str) -> None:
        _ref, _signer, lines, highs, lows, exacts, scores, _raw = part
        plain, marked = self.tails(check)
        if self.seen is None:
            # Not before: forked workers would keep the untouched pages of a table made
            # before them, while this process writes its own copy.
            self.seen = _Seen(self.expected)
        seen, find = self.seen, self.seen.find
        out: list[str] = []
        ascii_only = all(line.isascii() for line in lines)
        offset = self.offset
        for index, line in enumerate(lines):
            high, low, exact = highs[index], lows[index], exacts[index]
            slot = find(high, low)
            if seen.high[slot] == 0:  # first met: written plain, marked later if need be
                text = line + plain
                offset += len(text) if ascii_only else len(text.encode("utf-8"))
                seen.put(slot, high, low, exact, offset)
                out.append(text)
                continue
            versions = self.versions.get((high, low))
            if versions is None:
                if seen.exact[slot] == exact:
                    self.outcome.repeats += 1
                    continue
                versions = self.versions[high, low] = {seen.exact[slot]}
                self.patches.append(seen.end[slot])  # the first one is marked too
                self.outcome.duplicates += 1
            elif exact in versions:
                self.outcome.repeats += 1
                continue
            versions.add(exact)
            self.outcome.duplicates += 1
            text = line + marked
            offset += len(text) if ascii_only else len(text.encode("utf-8"))
            out.append(text)
        self.outcome.rows += len(out)
        self.write("".join(out))
        for row in scores:
            full = (*row, check, fingerprint)
            self.scores.setdefault((*row, fingerprint), full)

    def finish(self) -> None:
        """The ``outcome`` rows, folded (:func:`csv_rows.outcomes`), sorted."""
        folded = sorted(csv_rows.outcomes(self.scores.values()), key=lambda r: (r[0], r[2]))
        self.write("".join(_line([safe.csv_cell(cell) for cell in row]) for row in folded))
        self.outcome.rows += len(folded)


def _line(cells: Iterable[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


class NothingRead(Exception):
    """No summary could be read (``out`` was left as it was); ``outcome`` says why."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__("no summary could be read")
        self.outcome = outcome


def _each(
    outcome: Outcome,
    paths: Sequence[Path],
    keys: Keys,
    judge: Judge,
    ready: Iterable[Ready],
    workers: int | None,
    keep_rows: bool,
) -> Iterator[tuple[Part, str, str]]:
    """Each summary that could be read, in input order (``ready`` first), with its sender
    check and key; counted (and, with ``keep_rows``, its rows kept) in ``outcome``."""

    def counted(part: Part, check: str, fingerprint: str) -> tuple[Part, str, str]:
        outcome.read += 1
        if part[7] is not None:
            outcome.rows_kept.extend((*row, check, fingerprint) for row in part[7])
        return part, check, fingerprint

    # What exists now (the command, the keys, the list of files) is never garbage and
    # need not be scanned again each time the collector runs while summaries stream.
    gc.freeze()
    try:
        for part, check in ready:
            yield counted(part, check, "")
        count = workers if workers is not None else worker_count()
        for path, found, problem in _results(paths, keys, count, keep_rows):
            if found is None:
                outcome.skipped.append((path, problem))
                continue
            check, fingerprint = judge(path, found[0], found[1])
            yield counted(found, check, fingerprint)
    finally:
        gc.unfreeze()


def gather(
    paths: Sequence[Path],
    keys: Keys,
    judge: Judge,
    *,
    ready: Iterable[Ready] = (),
    workers: int | None = None,
) -> Outcome:
    """Every row, kept in ``Outcome.rows_kept`` (for a table; nothing is written)."""
    outcome = Outcome()
    for _ in _each(outcome, paths, keys, judge, ready, workers, keep_rows=True):
        pass
    return outcome


def write_csv(
    out: Path,
    paths: Sequence[Path],
    keys: Keys,
    judge: Judge,
    *,
    ready: Iterable[Ready] = (),
    workers: int | None = None,
    keep_rows: bool = False,
) -> Outcome:
    """Write the evaluation CSV of the summaries in ``ready`` and then ``paths`` to
    ``out``. ``judge`` gives each file's sender check (it is called in input order).
    NothingRead when no summary could be read (``out`` is left as it was); UserError when
    ``out`` cannot be written. With ``keep_rows`` every row is also kept in
    ``Outcome.rows_kept`` (for a table)."""
    out = out.expanduser()
    directory = out.parent if str(out.parent) else Path(".")
    temps: list[Path] = []
    outcome = Outcome()

    def temp() -> IO[bytes]:
        path = directory / f".{out.name}{TMP_MARK}{os.getpid()}-{secrets.token_hex(4)}"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_BINARY, 0o600)
        temps.append(path)
        return os.fdopen(fd, "wb", buffering=1 << 16)

    try:
        with temp() as handle:
            writer = _Writer(handle, outcome, _ROWS_EXPECTED * len(paths))
            for part, check, fingerprint in _each(
                outcome, paths, keys, judge, ready, workers, keep_rows
            ):
                writer.add(part, check, fingerprint)
            if not outcome.read:
                raise NothingRead(outcome)
            writer.finish()
            _durable(handle)
        if writer.patches:
            with temp() as handle:
                _copy_marking(temps[0], handle, sorted(writer.patches))
                _durable(handle)
        replace_file(temps[-1], out)
        temps.pop()
        fsync_dir(directory)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise UserError(f"There is not enough disk space to write {path_text(out)}.") from exc
        raise UserError(
            f"{path_text(out)} could not be written ({os.strerror(exc.errno or 0)})."
        ) from exc
    finally:
        for left in temps:
            with contextlib.suppress(OSError):
                left.unlink()
    return outcome


def _durable(handle: IO[bytes]) -> None:
    handle.flush()
    os.fsync(handle.fileno())


def _copy_marking(source: Path, handle: IO[bytes], ends: list[int]) -> None:
    """Copy ``source`` to ``handle``, marking ``duplicate`` on the lines ending at
    ``ends`` (byte offsets, in order)."""
    done = 0
    with source.open("rb") as reading:
        for end in ends:
            start = end - len(_CLEAN_TAIL)
            handle.write(reading.read(start - done))
            if reading.read(len(_CLEAN_TAIL)) != _CLEAN_TAIL:
                raise OSError(errno.EIO, "the file changed while it was written")
            handle.write(_MARKED_TAIL)
            done = end
        while chunk := reading.read(1 << 20):
            handle.write(chunk)
