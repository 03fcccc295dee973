"""Durable, locked storage of the encrypted workbook file, with rolling backups and a
save journal.

A change the payload's codec can record (an answer, a draft, a check-in: see
osp_cli/workbook/model.py) is saved by appending one record to the journal beside the
file and fsyncing it (osp_cli/vault/journal.py); the journal is folded into the file by
a full write when a command ends, at unlock and when it is very large. Every full write
goes: exclusive lock → re-read the current file if another process changed
it → apply the change → encrypt → temp file in the same directory (0600) → fsync →
rotate backups → rename over the main file → fsync the directory → unlock. A process
killed at any moment leaves either the old or the new file, never a mix; stray temp
files (ciphertext only) are swept under the lock when the workbook is next opened or saved.

Every ``OSError`` met here becomes a :class:`UserError` with plain wording, so the error
boundary never shows a traceback for a full disk, a read-only folder or a vanished file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import errno
import functools
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar, overload

from osp_cli import crypto
from osp_cli.atomic import (
    TMP_MARK,
    fsync_dir,
    link_or_copy,
    replace_durably,
    replace_file,
    temp_files,
)
from osp_cli.errors import DamagedFile, UserError, WorkbookMissing, WrongPassphrase
from osp_cli.platform import O_BINARY, lock_file, protect_process, unlock_file
from osp_cli.vault import format as fmt
from osp_cli.vault import journal as jr
from osp_cli.vault.layout import BACKUPS as BACKUPS
from osp_cli.vault.layout import backup_paths as backup_paths

_DAMAGED_SUFFIX = ".damaged"
#: The largest file worth reading: a header, a body and the two 32-byte tags.
MAX_FILE = 14 + fmt.MAX_HEADER + fmt.MAX_BODY + 64
_CHUNK = 1024 * 1024


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def damaged_path(path: Path, number: int = 1) -> Path:
    """Where a damaged main file is set aside when a backup replaces it (``.damaged``,
    then ``.damaged2``, ``.damaged3``...: an earlier set-aside copy is never replaced)."""
    suffix = _DAMAGED_SUFFIX if number == 1 else f"{_DAMAGED_SUFFIX}{number}"
    return path.with_name(path.name + suffix)


def _damaged_numbered(path: Path) -> list[tuple[int, Path]]:
    found: list[tuple[int, Path]] = []
    prefix = path.name + _DAMAGED_SUFFIX
    for candidate in path.parent.glob(_glob_escape(prefix) + "*"):
        rest = candidate.name[len(prefix) :]
        if rest == "":
            found.append((1, candidate))
        elif rest.isascii() and rest.isdigit() and not rest.startswith("0"):
            found.append((int(rest), candidate))
    return sorted(found)


def damaged_paths(path: Path) -> list[Path]:
    """Every set-aside damaged copy that exists now, whatever gaps there are in the
    numbering (``.damaged``, ``.damaged2``, ``.damaged7``...), lowest number first."""
    return [p for _number, p in _damaged_numbered(path)]


def _glob_escape(text: str) -> str:
    return "".join(f"[{ch}]" if ch in "*?[]" else ch for ch in text)


def _next_damaged_path(path: Path) -> Path:
    """One past the highest number in use (an earlier copy is never replaced)."""
    numbered = _damaged_numbered(path)
    return damaged_path(path, numbered[-1][0] + 1 if numbered else 1)


def _io_error(exc: OSError) -> UserError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return UserError(
            "There is not enough disk space to save your workbook. Nothing was changed.",
            hint="Free some space and try again. Your earlier answers are safe.",
        )
    return UserError(
        f"Your workbook could not be saved ({os.strerror(exc.errno or 0)}). Nothing was changed.",
        hint="Your earlier answers are safe. Check the disk and try again.",
    )


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock for writers of ``path`` (held on a sibling ``.lock`` file)."""
    lock_path = path.with_name(path.name + ".lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o600)
    except OSError as exc:
        raise UserError(
            f"osp cannot use its folder {path.parent} ({os.strerror(exc.errno or 0)}).",
            hint="Check that the folder exists and that you can write to it.",
        ) from exc
    try:
        lock_file(fd)
        yield
    finally:
        unlock_file(fd)
        os.close(fd)


def sweep_temp_files(path: Path) -> int:
    """Remove temp files left by a killed writer. Call with the lock held.

    A temp file holds ciphertext only (a complete or partial workbook file), but it is
    still a copy of the wrapped keys, so it is overwritten before it is unlinked.
    """
    count = 0
    for stray in temp_files(path):
        with contextlib.suppress(OSError):
            _drop(stray)
            count += 1
    return count


def _rotate_backups(path: Path) -> None:
    """bak2 → bak3, bak1 → bak2, and the current file (hard-linked) → bak1."""
    if not path.exists():
        return
    baks = backup_paths(path)
    if baks[-1].exists() and baks[-2].exists():
        _drop(baks[-1])  # the oldest copy is rotated out: overwrite it, do not just unlink
    for older, newer in zip(reversed(baks[1:]), reversed(baks[:-1]), strict=True):
        if newer.exists():
            replace_file(newer, older)
    with contextlib.suppress(FileNotFoundError):
        baks[0].unlink()
    link_or_copy(path, baks[0])


def write_atomic(path: Path, blob: bytes, *, keep_backups: bool = True) -> None:
    """Replace ``path`` with ``blob`` durably, keeping backups. Call with the lock held."""
    try:
        replace_durably(
            path, blob, before_replace=(lambda: _rotate_backups(path)) if keep_backups else None
        )
    except OSError as exc:
        raise _io_error(exc) from exc


def _stat_signature(path: Path) -> tuple[int, int, int, int] | None:
    """Identifies one version of the file: a rename or rewrite changes ctime too, so a
    reused inode with the same size and mtime still reads as changed."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


#: Open flag that refuses a symlink as the last part of a path (0 where there is none;
#: then :func:`refuse_links` checks with lstat first).
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_LINK_WHY = (
    "osp does not follow links in its own folder: a link could send your workbook into a "
    "synced or shared folder without you knowing."
)


def _is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def refuse_links(path: Path) -> None:
    """UserError if osp's folder, or the workbook file, its journal or one of its copies,
    is a symbolic link. Checked before anything is read or written."""
    if _is_link(path.parent):
        raise UserError(
            f"osp's folder {path.parent} is a symbolic link, so osp will not use it. " + _LINK_WHY,
            hint="Move the real folder to that place (or set OSP_HOME to it), then try again.",
        )
    lock = path.with_name(path.name + ".lock")
    for candidate in [path, jr.journal_path(path), *backup_paths(path), lock]:
        if _is_link(candidate):
            raise UserError(
                f"{candidate.name} in osp's folder is a symbolic link, so osp will not use "
                "it. " + _LINK_WHY,
                hint="Remove the link (the file it points to is not touched), then try again.",
            )


def _read(path: Path, *, follow: bool = False) -> bytes:
    """The bytes of a workbook file. ``follow``: a path the user chose (osp backup and
    restore) may be a link; osp's own files never are."""
    try:
        if not follow and _is_link(path):
            raise OSError(errno.ELOOP, os.strerror(errno.ELOOP))
        fd = os.open(path, os.O_RDONLY | O_BINARY | (0 if follow else _NOFOLLOW))
        with os.fdopen(fd, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_FILE:
                raise DamagedFile(
                    f"{path.name} is far too large to be an osp workbook.", hint=_DAMAGED_HINT
                )
            return handle.read(MAX_FILE + 1)
    except FileNotFoundError as exc:
        raise WorkbookMissing() from exc
    except IsADirectoryError as exc:
        raise UserError(f"{path} is a folder, not a workbook file.") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UserError(f"{path.name} is a symbolic link. " + _LINK_WHY) from exc
        reason = os.strerror(exc.errno or 0)
        raise UserError(f"Your workbook could not be read ({reason}).") from exc


def _parse(blob: bytes) -> fmt.Parsed:
    try:
        return fmt.parse(blob)
    except fmt.FormatError as exc:
        raise DamagedFile(
            f"Your workbook file cannot be used: {exc.reason}.", hint=_DAMAGED_HINT
        ) from exc


_DAMAGED_HINT = "Nothing has been changed. 'osp restore PATH' brings back a backup copy."


def _unlock(parsed: fmt.Parsed, unwrap: Callable[[fmt.Header], bytes], what: str) -> bytes:
    try:
        return unwrap(parsed.header)
    except fmt.BadSecret as exc:
        raise WrongPassphrase(
            f"That {what} did not unlock the workbook.",
            hint="Check it and try again. Nothing has been changed.",
        ) from exc
    except crypto.CryptoFailure as exc:
        raise DamagedFile(f"Your workbook file cannot be used: {exc}.", hint=_DAMAGED_HINT) from exc


def _decrypt(parsed: fmt.Parsed, data_key: bytes) -> dict[str, Any]:
    try:
        return fmt.decrypt(parsed, data_key)
    except fmt.FormatError as exc:
        raise DamagedFile(
            f"Your workbook file cannot be used: {exc.reason}.", hint=_DAMAGED_HINT
        ) from exc


P = TypeVar("P")
_Sig = tuple[int, int, int, int]


class Codec(Protocol[P]):
    """How a vault keeps its payload in memory (``P``) and saves changes to it. The vault
    knows only JSON and bytes; the workbook layer supplies a codec that keeps typed
    records and saves small changes as journal records (osp_cli/workbook/model.py)."""

    #: Whether this kind of file keeps a save journal beside it.
    journal: bool

    def load(self, raw: dict[str, Any]) -> P: ...

    def dump(self, payload: P) -> dict[str, Any]: ...

    def replay(self, payload: P, record: dict[str, Any]) -> None: ...

    def apply(self, payload: P, change: Callable[[P], None]) -> dict[str, Any] | None:
        """Make ``change``; return the journal record that repeats it, or None when it
        must be saved by rewriting the whole file."""
        ...


class JsonCodec:
    """The payload as plain JSON and every change a full write, with no journal (the
    practitioner's inbox; tests of the vault)."""

    journal = False

    def load(self, raw: dict[str, Any]) -> dict[str, Any]:
        return raw

    def dump(self, payload: dict[str, Any]) -> dict[str, Any]:
        return payload

    def replay(self, payload: dict[str, Any], record: dict[str, Any]) -> None:
        raise ValueError("this kind of file keeps no journal")

    def apply(
        self, payload: dict[str, Any], change: Callable[[dict[str, Any]], None]
    ) -> dict[str, Any] | None:
        change(payload)
        return None


JSON = JsonCodec()


@dataclass
class Vault(Generic[P]):
    """An unlocked workbook file. Holds the data key in memory only.

    ``payload`` is the workbook file's contents with every save in its journal applied
    (through ``codec``)."""

    path: Path
    header: fmt.Header
    data_key: bytes = field(repr=False)
    payload: P = field(repr=False)
    codec: Codec[P] = field(repr=False)
    restored_from_backup: Path | None = None
    _signature: _Sig | None = field(default=None, repr=False)
    _version: int = field(default=fmt.VERSION, repr=False)
    #: The save journal as last read or written (see osp_cli/vault/journal.py).
    _journal: jr.State = field(default_factory=jr.State, repr=False)
    _jsig: _Sig | None = field(default=None, repr=False)

    # --- creating and opening --------------------------------------------------------

    @overload
    @classmethod
    def create(
        cls, path: Path, passphrase: str, payload: dict[str, Any]
    ) -> tuple[Vault[dict[str, Any]], str]: ...

    @overload
    @classmethod
    def create(
        cls, path: Path, passphrase: str, payload: P, codec: Codec[P]
    ) -> tuple[Vault[P], str]: ...

    @classmethod
    def create(
        cls, path: Path, passphrase: str, payload: Any, codec: Codec[Any] = JSON
    ) -> tuple[Vault[Any], str]:
        """Create a new workbook file. Returns the vault and the one-time recovery code."""
        protect_process()
        refuse_links(path)
        if path.exists() or _is_link(path):
            raise UserError(
                "A workbook already exists on this computer.",
                hint="Run 'osp' to open it, or 'osp erase' to destroy it first.",
            )
        data_key = crypto.new_data_key()
        code = fmt.new_recovery_code()
        pass_kdf, rec_kdf = crypto.new_kdf_params(), crypto.new_kdf_params()
        header = fmt.Header(
            file_id=os.urandom(8).hex(),
            created=_now(),
            generation=1,
            passphrase_kdf=pass_kdf,
            passphrase_wrap=fmt.wrap(passphrase, data_key, pass_kdf),
            recovery_kdf=rec_kdf,
            recovery_wrap=fmt.wrap(code, data_key, rec_kdf),
        )
        vault: Vault[Any] = cls(
            path=path, header=header, data_key=data_key, payload=payload, codec=codec
        )
        with locked(path):
            if path.exists():
                raise UserError("A workbook already exists on this computer.")
            vault._write()
        return vault, code

    @overload
    @classmethod
    def open(cls, path: Path, passphrase: str) -> Vault[dict[str, Any]]: ...

    @overload
    @classmethod
    def open(cls, path: Path, passphrase: str, codec: Codec[P]) -> Vault[P]: ...

    @classmethod
    def open(cls, path: Path, passphrase: str, codec: Codec[Any] = JSON) -> Vault[Any]:
        unwrap = functools.partial(fmt.unwrap_with_passphrase, passphrase=passphrase)
        return cls._open(path, unwrap, "passphrase", codec)

    @overload
    @classmethod
    def open_with_recovery(cls, path: Path, code: str) -> Vault[dict[str, Any]]: ...

    @overload
    @classmethod
    def open_with_recovery(cls, path: Path, code: str, codec: Codec[P]) -> Vault[P]: ...

    @classmethod
    def open_with_recovery(cls, path: Path, code: str, codec: Codec[Any] = JSON) -> Vault[Any]:
        unwrap = functools.partial(fmt.unwrap_with_recovery, code=code)
        return cls._open(path, unwrap, "recovery code", codec)

    @classmethod
    def _open(
        cls, path: Path, unwrap: Callable[[fmt.Header], bytes], what: str, codec: Codec[Any]
    ) -> Vault[Any]:
        protect_process()
        refuse_links(path)
        if not path.exists() and not any(p.exists() for p in backup_paths(path)):
            raise WorkbookMissing()
        # Nothing is written, swept or changed until the secret has proved right.
        vault = cls._open_checked(path, unwrap, what, codec)
        tighten_permissions(path)
        try:
            vault._refresh()  # the journal, read without the lock: opening never waits
        except DamagedFile:
            # Another osp may have saved or folded between reading the file and its
            # journal: read both again under the lock, where they fit together. Damage
            # found there is real.
            vault._signature = vault._jsig = None
            with locked(path):
                vault._refresh()
        if temp_files(path) or (codec.journal and vault._needs_fold()):
            with locked(path):
                sweep_temp_files(path)
                vault._refresh()
                # The saves made since the last fold go into the file itself.
                if codec.journal and vault._needs_fold():
                    vault._fold_write()
        return vault

    @classmethod
    def _open_checked(
        cls, path: Path, unwrap: Callable[[fmt.Header], bytes], what: str, codec: Codec[Any]
    ) -> Vault[Any]:
        try:
            return cls._open_one(path, unwrap, what, codec)
        except DamagedFile as damage:
            # The main file is damaged: try the backups, newest first. A backup that this
            # secret does not open is passed over (the damage is what must be reported).
            for candidate in backup_paths(path):
                if not candidate.exists():
                    continue
                try:
                    vault = cls._open_one(candidate, unwrap, what, codec)
                except (DamagedFile, WrongPassphrase):
                    continue
                vault.path = path
                vault.restored_from_backup = candidate
                with locked(path):
                    # Another osp may have repaired or rewritten the file meanwhile: look
                    # again under the lock before setting anything aside.
                    try:
                        return cls._open_one(path, unwrap, what, codec)
                    except (DamagedFile, WrongPassphrase):
                        pass
                    # Nothing is destroyed: the damaged file is set aside, not overwritten,
                    # with its journal (whose saves were made on top of it, not the backup).
                    if path.exists():
                        aside = _next_damaged_path(path)
                        try:
                            replace_file(path, aside)
                            if jr.journal_path(path).exists():
                                replace_file(jr.journal_path(path), jr.journal_path(aside))
                        except OSError as exc:
                            raise _io_error(exc) from exc
                    vault.header = _bump(vault.header)
                    vault._write(keep_backups=False)
                return vault
            raise damage

    @classmethod
    def _open_one(
        cls, path: Path, unwrap: Callable[[fmt.Header], bytes], what: str, codec: Codec[Any]
    ) -> Vault[Any]:
        """Open one file on its own (its journal is read under the lock, by ``_open``)."""
        sig = _stat_signature(path)
        if sig is None:
            raise DamagedFile("Your workbook file is missing.", hint=_DAMAGED_HINT)
        parsed = _parse(_read(path))
        data_key = _unlock(parsed, unwrap, what)
        payload = _load(codec, _decrypt(parsed, data_key))
        return cls(
            path=path,
            header=parsed.header,
            data_key=data_key,
            payload=payload,
            codec=codec,
            _signature=sig,
            _version=parsed.version,
        )

    # --- changing --------------------------------------------------------------------

    def update(self, change: Callable[[P], None]) -> None:
        """Apply ``change`` to the latest payload and save it durably, under the lock.

        A change the codec can record is saved by appending one record to the journal
        (one write and one fsync, whatever the size of the workbook); any other change,
        or one that finds the journal full, rewrites the workbook file, folding the
        journal into it."""
        refuse_links(self.path)
        with locked(self.path):
            sweep_temp_files(self.path)
            self._refresh()
            try:
                record = self.codec.apply(self.payload, change)
                if record is not None and self._can_append():
                    self._append(record)
                else:
                    self._fold_write()
            except BaseException:
                # The in-memory copy may be half-changed: read it all again next time.
                self._signature = self._jsig = None
                raise

    def fold(self) -> None:
        """Write every journalled save into the workbook file itself (one full, atomic
        write) and start the journal afresh. Nothing to do when it holds no saves."""
        _PENDING.pop(id(self), None)
        if not self.codec.journal:
            return
        refuse_links(self.path)
        with locked(self.path):
            self._refresh()
            if self._needs_fold():
                self._fold_write()

    def reload(self) -> None:
        with locked(self.path):
            self._refresh()

    def _needs_fold(self) -> bool:
        return self._journal.count > 0

    def _can_append(self) -> bool:
        """False when the next save must be a full write: the journal is not started for
        this file (a workbook from before the journal, whose first save rewrites it in
        the newest format; or a journal left from before the last fold), or it is full."""
        state = self._journal
        return (
            state.usable
            and self._version == fmt.VERSION
            and state.count < jr.FOLD_AT_RECORDS
            and state.end < jr.FOLD_AT_BYTES
        )

    def _refresh(self) -> None:
        """Bring the payload up to date with the file and its journal (call under the
        lock). Only what changed is read: nothing when neither did, and only the new
        records when another process appended to the journal."""
        sig = _stat_signature(self.path)
        if sig is None:
            raise DamagedFile("Your workbook file has disappeared.", hint=_DAMAGED_HINT)
        jpath = jr.journal_path(self.path)
        jsig = _stat_signature(jpath)
        if sig == self._signature and jsig == self._jsig:
            return
        if sig == self._signature and jsig is None and self._journal.count:
            self._signature = None
            raise DamagedFile(
                "Your workbook's journal of recent saves has disappeared.", hint=_JOURNAL_HINT
            )
        if not (
            sig == self._signature
            and self._jsig is not None
            and jsig is not None
            and jsig[0] == self._jsig[0]  # the same journal file, grown
            and self._journal.usable
        ):
            if sig != self._signature or self._journal.count:
                parsed = _parse(_read(self.path))
                if parsed.header.file_id != self.header.file_id:
                    raise DamagedFile("The workbook file was replaced by a different workbook.")
                self.payload = _load(self.codec, _decrypt(parsed, self.data_key))
                self.header, self._version = parsed.header, parsed.version
            self._signature, self._journal, self._jsig = sig, jr.State(), None
        since = self._journal if self._journal.usable else None
        try:
            state, records = jr.read(
                jpath, self.data_key, self.header.file_id, self.header.generation, since
            )
            for record in records:
                self.codec.replay(self.payload, record)
        except (jr.JournalDamaged, ValueError, TypeError, KeyError, AttributeError) as exc:
            self._signature = self._jsig = None
            reason = exc.reason if isinstance(exc, jr.JournalDamaged) else "a record is unreadable"
            raise DamagedFile(
                f"Your workbook's journal of recent saves cannot be used: {reason}.",
                hint=_JOURNAL_HINT,
            ) from exc
        except OSError as exc:
            self._signature = self._jsig = None
            raise UserError(
                f"Your workbook could not be read ({os.strerror(exc.errno or 0)})."
            ) from exc
        self._journal, self._jsig = state, jsig
        if state.count:
            _PENDING[id(self)] = self

    def _append(self, record: dict[str, Any]) -> None:
        jpath = jr.journal_path(self.path)
        try:
            self._journal = jr.append(jpath, self.data_key, self._journal, record)
        except OSError as exc:
            raise _io_error(exc) from exc
        self._jsig = _stat_signature(jpath)
        _PENDING[id(self)] = self

    def _fold_write(self) -> None:
        """Write the whole payload as the next generation of the file, then start the
        journal afresh for it. (The generation must move on: a journal left by a
        process stopped before it was started afresh then reads as already folded.)"""
        self.header = _bump(self.header)
        self._write()

    def _write(self, *, keep_backups: bool = True) -> None:
        blob = fmt.encode(self.header, self.data_key, self.codec.dump(self.payload))
        write_atomic(self.path, blob, keep_backups=keep_backups)
        self._signature, self._version = _stat_signature(self.path), fmt.VERSION
        # The new file holds every journalled save: the journal starts again, empty, for
        # this generation (so that a save never has to create a file). If that fails the
        # journal is merely stale (its base generation is older, so it is ignored), and
        # saves rewrite the whole file until it can be started.
        self._journal, self._jsig = jr.State(), None
        _PENDING.pop(id(self), None)
        if self.codec.journal:
            jpath = jr.journal_path(self.path)
            with contextlib.suppress(OSError):
                self._journal = jr.reset(
                    jpath, self.data_key, self.header.file_id, self.header.generation
                )
                self._jsig = _stat_signature(jpath)

    def change_passphrase(self, new_passphrase: str) -> str:
        """A new data key under a new passphrase and a new recovery code (returned).

        The workbook and every backup are re-encrypted under the new data key, and each
        old copy's bytes are overwritten before it goes. So an old copy of the file kept
        elsewhere, with the old passphrase or the old recovery code, still opens what was
        written up to now, but nothing written after this. A set-aside damaged copy, or
        a backup that cannot be read, is destroyed rather than left openable with the
        old secrets; so is the journal, once its saves are in the workbook file.
        """
        new_key = crypto.new_data_key()
        code = fmt.new_recovery_code()
        pass_kdf, rec_kdf = crypto.new_kdf_params(), crypto.new_kdf_params()
        pass_wrap = fmt.wrap(new_passphrase, new_key, pass_kdf)
        rec_wrap = fmt.wrap(code, new_key, rec_kdf)
        refuse_links(self.path)
        with locked(self.path):
            sweep_temp_files(self.path)
            self._refresh()
            jpath = jr.journal_path(self.path)
            if self._journal.count:
                # Journalled saves go into the file first (under the old key), so that
                # the journal, written under the old key, can go before the key changes.
                self._fold_write()
            try:
                if jpath.exists():
                    _shred(jpath)
            except OSError as exc:
                raise _io_error(exc) from exc
            self._journal, self._jsig = jr.State(), None
            old_key = self.data_key
            header = _replace_header(
                self.header,
                generation=self.header.generation + 1,
                passphrase_kdf=pass_kdf,
                passphrase_wrap=pass_wrap,
                recovery_kdf=rec_kdf,
                recovery_wrap=rec_wrap,
            )
            try:
                # The workbook first: until it is replaced, nothing has changed.
                blob = fmt.encode(header, new_key, self.codec.dump(self.payload))
                _replace_shredding_old(self.path, blob)
            except OSError as exc:
                raise _io_error(exc) from exc
            # From here the change has happened (and the new code must be shown), so a
            # copy that cannot be re-encrypted is destroyed rather than left openable
            # with the old secrets.
            for old in backup_paths(self.path):
                try:
                    self._reencrypt_copy(old, old_key, new_key, header)
                except OSError:
                    with contextlib.suppress(OSError):
                        _shred(old)
            for old in [*damaged_paths(self.path), *_damaged_journals(self.path)]:
                with contextlib.suppress(OSError):
                    _shred(old)
            with contextlib.suppress(OSError):
                fsync_dir(self.path.parent)
            self.header, self.data_key = header, new_key
            self._signature, self._version = _stat_signature(self.path), fmt.VERSION
            if self.codec.journal:
                with contextlib.suppress(OSError):
                    self._journal = jr.reset(jpath, new_key, header.file_id, header.generation)
                    self._jsig = _stat_signature(jpath)
        return code

    def _reencrypt_copy(
        self, old: Path, old_key: bytes, new_key: bytes, header: fmt.Header
    ) -> None:
        """Re-write one older copy under the new key and header; destroy it if unreadable."""
        try:
            blob = _read(old)
        except WorkbookMissing:
            return
        try:
            parsed = fmt.parse(blob)
            if parsed.header.file_id != self.header.file_id:
                raise fmt.FormatError("another workbook")
            payload = fmt.decrypt(parsed, old_key)
        except (fmt.FormatError, crypto.CryptoFailure):
            _shred(old)
            return
        renewed = _replace_header(
            header, generation=parsed.header.generation, created=parsed.header.created
        )
        _replace_shredding_old(old, fmt.encode(renewed, new_key, payload))


_JOURNAL_HINT = (
    "Nothing has been changed. The workbook file itself and its backups are not affected; "
    "only the saves since osp last closed are in the journal."
)
#: Vaults with journalled saves not yet folded into their workbook file. Held strongly:
#: a command's workbook is often gone by the time the command ends, and its saves must
#: still be folded then.
_PENDING: dict[int, Vault[Any]] = {}


def fold_pending() -> None:
    """Fold every open vault's journal into its workbook file (a command calls this as it
    finishes). A failure leaves the journal as it is: every save in it is still durable,
    and the next unlock folds it."""
    for vault in list(_PENDING.values()):
        with contextlib.suppress(OSError, DamagedFile, UserError, WrongPassphrase):
            vault.fold()


def _load(codec: Codec[P], raw: dict[str, Any]) -> P:
    return codec.load(raw)


def _damaged_journals(path: Path) -> list[Path]:
    """The journals set aside with damaged copies of the workbook file."""
    return [j for p in damaged_paths(path) if (j := jr.journal_path(p)).exists()]


def read_payload(path: Path, data_key: bytes, codec: Codec[P]) -> P:
    """The payload as saved (the workbook file plus its journal), with a known data key:
    for tests and tools that check what is on disk. Raises DamagedFile."""
    parsed = _parse(_read(path))
    vault = Vault(
        path=path,
        header=parsed.header,
        data_key=data_key,
        payload=_load(codec, _decrypt(parsed, data_key)),
        codec=codec,
        _signature=_stat_signature(path),
        _version=parsed.version,
    )
    vault._refresh()
    return vault.payload


def _replace_shredding_old(path: Path, blob: bytes) -> None:
    """Replace ``path`` with ``blob`` durably, then overwrite the old file's bytes.

    The old file is first hard-linked to a temp name (swept, and so overwritten, by the
    next osp if this one is killed), so there is always a good copy on disk."""
    keep = path.with_name(f".{path.name}{TMP_MARK}old-{os.getpid()}-{os.urandom(4).hex()}")
    linked = False
    with contextlib.suppress(OSError):  # no hard links here: the old bytes just go
        os.link(path, keep)
        linked = True
    try:
        write_atomic(path, blob, keep_backups=False)
    except BaseException:
        if linked:  # the old file is still in place under its own name
            keep.unlink()
        raise
    if linked:
        _drop(keep)


def _drop(path: Path) -> None:
    """Remove one name of a copy: its bytes are overwritten first unless another name
    still points at the same file (then the other name keeps it, unharmed)."""
    if os.lstat(path).st_nlink > 1:
        path.unlink()
    else:
        _shred(path)


def _bump(header: fmt.Header) -> fmt.Header:
    return _replace_header(header, generation=header.generation + 1)


def _replace_header(header: fmt.Header, **changes: Any) -> fmt.Header:
    return dataclasses.replace(header, **changes)


def _shred(path: Path) -> None:
    """Overwrite a file in place with random bytes, fsync, then unlink it.

    This removes the bytes from the file system's view of the file. It cannot reach
    copies the storage keeps elsewhere (journals, SSD wear-levelling, snapshots, backups
    made by other programs): see docs/security.md, "What erase does and does not do".
    """
    try:
        fd = os.open(path, os.O_WRONLY | O_BINARY | _NOFOLLOW)
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        path.unlink()  # a link: remove the link itself, never overwrite what it points to
        return
    try:
        remaining = os.fstat(fd).st_size
        while remaining > 0:
            step = min(remaining, _CHUNK)
            os.write(fd, os.urandom(step))
            remaining -= step
        os.fsync(fd)
    finally:
        os.close(fd)
    path.unlink()


def tighten_permissions(path: Path) -> None:
    """Folder 0700 and every file osp keeps 0600, even if something loosened them."""
    if not _is_link(path.parent):
        with contextlib.suppress(OSError):
            os.chmod(path.parent, 0o700)
    for owned in owned_files(path):
        if not _is_link(owned):  # chmod would change the file a link points to
            with contextlib.suppress(OSError):
                os.chmod(owned, 0o600)


def owned_files(path: Path) -> list[Path]:
    """Every file osp keeps for the workbook at ``path`` (that exists now)."""
    candidates = [
        path,
        jr.journal_path(path),
        *backup_paths(path),
        *damaged_paths(path),
        *_damaged_journals(path),
        *temp_files(path),
        path.with_name(path.name + ".lock"),
    ]
    return [p for p in candidates if p.exists()]


def erase(path: Path) -> int:
    """Destroy the workbook, its backups, every set-aside damaged copy and stray temp
    files, then osp's folder if it is empty.

    Returns the number of workbook copies destroyed. Each is overwritten with random bytes
    and fsynced before it is unlinked, so osp's folder holds nothing that can be decrypted
    afterwards; see docs/security.md for what this cannot guarantee on every disk.
    """
    refuse_links(path)
    removed = 0
    try:
        with locked(path):
            removed += sweep_temp_files(path)
            for target in [path, *backup_paths(path), *damaged_paths(path)]:
                if target.exists():
                    _shred(target)
                    removed += 1
            for journal in [jr.journal_path(path), *_damaged_journals(path)]:
                if journal.exists():
                    _shred(journal)
            fsync_dir(path.parent)
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + ".lock").unlink()
    except OSError as exc:
        raise _io_error(exc) from exc
    # osp's own folder goes too when nothing else is in it (a practitioner folder, or a
    # file someone else put there, keeps it).
    with contextlib.suppress(OSError):
        path.parent.rmdir()
    return removed


def drop_older_copies(path: Path) -> int:
    """Destroy the backups and set-aside damaged copies of ``path``, keeping the file itself:
    after something was removed from it for good, no older copy osp keeps still holds it.
    Returns how many copies were destroyed."""
    removed = 0
    try:
        with locked(path):
            for target in [*backup_paths(path), *damaged_paths(path)]:
                if target.exists():
                    _shred(target)
                    removed += 1
            for journal in _damaged_journals(path):
                _shred(journal)
            fsync_dir(path.parent)
    except OSError as exc:
        raise _io_error(exc) from exc
    return removed


def copy_out(path: Path, dest: Path) -> None:
    """Copy the encrypted workbook to ``dest`` (still encrypted, checked first)."""
    refuse_links(path)
    blob = _read(path)
    parsed = _parse(blob)
    pending = jr.peek(jr.journal_path(path))
    here = (parsed.header.file_id, parsed.header.generation)
    if pending is not None and pending[:2] == here and pending[2] > jr.HEADER_SIZE:
        raise UserError(
            "Your most recent answers are not yet in the workbook file itself "
            "(osp is open elsewhere, or was stopped).",
            hint="Close osp, open it once (for example with 'osp list'), then make the copy again.",
        )
    if dest.is_dir():
        dest = dest / f"osp-backup-{_dt.date.today().isoformat()}.osp"
    if dest.exists():
        raise UserError(f"{dest.name} already exists; choose another name.")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _io_error(exc) from exc
    try:
        with locked(dest):
            write_atomic(dest, blob, keep_backups=False)
    finally:
        with contextlib.suppress(OSError):
            dest.with_name(dest.name + ".lock").unlink()


def check_backup_file(source: Path) -> fmt.Parsed:
    return _parse(_read(source, follow=True))


def restore_from(source: Path, path: Path, passphrase: str) -> Vault[dict[str, Any]]:
    """Replace the workbook with a backup copy, after proving the passphrase opens it.

    The journal of the replaced workbook goes first (its saves belong to that file, not
    to the copy); the next unlock starts a new one."""
    refuse_links(path)
    blob = _read(source, follow=True)  # read once: what is checked is what is written
    parsed = _parse(blob)
    data_key = _unlock(parsed, lambda h: fmt.unwrap_with_passphrase(h, passphrase), "passphrase")
    payload = _decrypt(parsed, data_key)
    with locked(path):
        sweep_temp_files(path)
        try:
            if jr.journal_path(path).exists():
                _shred(jr.journal_path(path))
        except OSError as exc:
            raise _io_error(exc) from exc
        write_atomic(path, blob)
    return Vault(
        path=path,
        header=parsed.header,
        data_key=data_key,
        payload=payload,
        codec=JSON,
        _signature=_stat_signature(path),
        _version=parsed.version,
    )
