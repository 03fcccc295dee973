"""Durable, locked storage of the encrypted workbook file, with rolling backups.

Every write goes: exclusive lock → re-read the current file if another process changed
it → apply the change → encrypt → temp file in the same directory (0600) → fsync →
rotate backups → rename over the main file → fsync the directory → unlock. A process
killed at any moment leaves either the old or the new file, never a mix; stray temp
files (ciphertext only) are swept under the lock when the workbook is next opened or saved.

Every ``OSError`` met here becomes a :class:`UserError` with plain wording, so the error
boundary never shows a traceback for a full disk, a read-only folder or a vanished file.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from osp_cli import crypto
from osp_cli.atomic import (
    TMP_MARK,
    fsync_dir,
    link_or_copy,
    replace_durably,
    replace_file,
    temp_files,
)
from osp_cli.crypto import KdfParams
from osp_cli.errors import DamagedFile, UserError, WorkbookMissing, WrongPassphrase
from osp_cli.platform import O_BINARY, lock_file, protect_process, unlock_file
from osp_cli.vault import format as fmt
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
    """UserError if osp's folder, or the workbook file or one of its copies, is a
    symbolic link. Checked before anything is read or written."""
    if _is_link(path.parent):
        raise UserError(
            f"osp's folder {path.parent} is a symbolic link, so osp will not use it. " + _LINK_WHY,
            hint="Move the real folder to that place (or set OSP_HOME to it), then try again.",
        )
    for candidate in [path, *backup_paths(path), path.with_name(path.name + ".lock")]:
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


@dataclass
class Vault:
    """An unlocked workbook file. Holds the data key in memory only."""

    path: Path
    header: fmt.Header
    data_key: bytes = field(repr=False)
    payload: dict[str, Any] = field(repr=False)
    restored_from_backup: Path | None = None
    _signature: tuple[int, int, int, int] | None = field(default=None, repr=False)

    # --- creating and opening --------------------------------------------------------

    @classmethod
    def create(cls, path: Path, passphrase: str, payload: dict[str, Any]) -> tuple[Vault, str]:
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
        pass_kdf, rec_kdf = KdfParams.fresh(), KdfParams.fresh()
        header = fmt.Header(
            file_id=secrets.token_hex(8),
            created=_now(),
            generation=1,
            passphrase_kdf=pass_kdf,
            passphrase_wrap=fmt.wrap(passphrase, data_key, pass_kdf),
            recovery_kdf=rec_kdf,
            recovery_wrap=fmt.wrap(code, data_key, rec_kdf),
        )
        vault = cls(path=path, header=header, data_key=data_key, payload=payload)
        with locked(path):
            if path.exists():
                raise UserError("A workbook already exists on this computer.")
            vault._write()
        return vault, code

    @classmethod
    def open(cls, path: Path, passphrase: str) -> Vault:
        return cls._open(path, lambda h: fmt.unwrap_with_passphrase(h, passphrase), "passphrase")

    @classmethod
    def open_with_recovery(cls, path: Path, code: str) -> Vault:
        return cls._open(path, lambda h: fmt.unwrap_with_recovery(h, code), "recovery code")

    @classmethod
    def _open(cls, path: Path, unwrap: Callable[[fmt.Header], bytes], what: str) -> Vault:
        protect_process()
        refuse_links(path)
        if not path.exists() and not any(p.exists() for p in backup_paths(path)):
            raise WorkbookMissing()
        # Nothing is written, swept or changed until the secret has proved right.
        vault = cls._open_checked(path, unwrap, what)
        tighten_permissions(path)
        if temp_files(path):
            with locked(path):
                sweep_temp_files(path)
        return vault

    @classmethod
    def _open_checked(cls, path: Path, unwrap: Callable[[fmt.Header], bytes], what: str) -> Vault:
        try:
            return cls._open_one(path, unwrap, what)
        except DamagedFile as damage:
            # The main file is damaged: try the backups, newest first. A backup that this
            # secret does not open is passed over (the damage is what must be reported).
            for candidate in backup_paths(path):
                if not candidate.exists():
                    continue
                try:
                    vault = cls._open_one(candidate, unwrap, what)
                except (DamagedFile, WrongPassphrase):
                    continue
                vault.path = path
                vault.restored_from_backup = candidate
                with locked(path):
                    # Another osp may have repaired or rewritten the file meanwhile: look
                    # again under the lock before setting anything aside.
                    try:
                        return cls._open_one(path, unwrap, what)
                    except (DamagedFile, WrongPassphrase):
                        pass
                    # Nothing is destroyed: the damaged file is set aside, not overwritten.
                    if path.exists():
                        try:
                            replace_file(path, _next_damaged_path(path))
                        except OSError as exc:
                            raise _io_error(exc) from exc
                    vault.header = _bump(vault.header)
                    write_atomic(
                        path,
                        fmt.encode(vault.header, vault.data_key, vault.payload),
                        keep_backups=False,
                    )
                    vault._signature = _stat_signature(path)
                return vault
            raise damage

    @classmethod
    def _open_one(cls, path: Path, unwrap: Callable[[fmt.Header], bytes], what: str) -> Vault:
        sig = _stat_signature(path)
        if sig is None:
            raise DamagedFile("Your workbook file is missing.", hint=_DAMAGED_HINT)
        parsed = _parse(_read(path))
        data_key = _unlock(parsed, unwrap, what)
        payload = _decrypt(parsed, data_key)
        return cls(
            path=path, header=parsed.header, data_key=data_key, payload=payload, _signature=sig
        )

    # --- changing --------------------------------------------------------------------

    def update(self, change: Callable[[dict[str, Any]], None]) -> None:
        """Apply ``change`` to the latest payload and save it durably, under the lock."""
        refuse_links(self.path)
        with locked(self.path):
            sweep_temp_files(self.path)
            self._refresh()
            try:
                change(self.payload)
                self.header = _bump(self.header)
                self._write()
            except BaseException:
                self._signature = None  # the in-memory copy may be half-changed: re-read next
                raise

    def reload(self) -> None:
        with locked(self.path):
            self._refresh()

    def _refresh(self) -> None:
        sig = _stat_signature(self.path)
        if sig is not None and sig == self._signature:
            return
        if sig is None:
            raise DamagedFile("Your workbook file has disappeared.", hint=_DAMAGED_HINT)
        parsed = _parse(_read(self.path))
        if parsed.header.file_id != self.header.file_id:
            raise DamagedFile("The workbook file was replaced by a different workbook.")
        self.payload = _decrypt(parsed, self.data_key)
        self.header = parsed.header
        self._signature = sig

    def _write(self) -> None:
        write_atomic(self.path, fmt.encode(self.header, self.data_key, self.payload))
        self._signature = _stat_signature(self.path)

    def change_passphrase(self, new_passphrase: str) -> str:
        """A new data key under a new passphrase and a new recovery code (returned).

        The workbook and every backup are re-encrypted under the new data key, and each
        old copy's bytes are overwritten before it goes. So an old copy of the file kept
        elsewhere, with the old passphrase or the old recovery code, still opens what was
        written up to now, but nothing written after this. A set-aside damaged copy, or
        a backup that cannot be read, is destroyed rather than left openable with the
        old secrets.
        """
        new_key = crypto.new_data_key()
        code = fmt.new_recovery_code()
        pass_kdf, rec_kdf = KdfParams.fresh(), KdfParams.fresh()
        pass_wrap = fmt.wrap(new_passphrase, new_key, pass_kdf)
        rec_wrap = fmt.wrap(code, new_key, rec_kdf)
        refuse_links(self.path)
        with locked(self.path):
            sweep_temp_files(self.path)
            self._refresh()
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
                _replace_shredding_old(self.path, fmt.encode(header, new_key, self.payload))
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
            for old in damaged_paths(self.path):
                with contextlib.suppress(OSError):
                    _shred(old)
            with contextlib.suppress(OSError):
                fsync_dir(self.path.parent)
            self.header, self.data_key = header, new_key
            self._signature = _stat_signature(self.path)
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


def _replace_shredding_old(path: Path, blob: bytes) -> None:
    """Replace ``path`` with ``blob`` durably, then overwrite the old file's bytes.

    The old file is first hard-linked to a temp name (swept, and so overwritten, by the
    next osp if this one is killed), so there is always a good copy on disk."""
    keep = path.with_name(f".{path.name}{TMP_MARK}old-{os.getpid()}-{secrets.token_hex(4)}")
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
    import dataclasses

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
            os.write(fd, secrets.token_bytes(step))
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
        *backup_paths(path),
        *damaged_paths(path),
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
            fsync_dir(path.parent)
    except OSError as exc:
        raise _io_error(exc) from exc
    return removed


def copy_out(path: Path, dest: Path) -> None:
    """Copy the encrypted workbook to ``dest`` (still encrypted, checked first)."""
    refuse_links(path)
    blob = _read(path)
    _parse(blob)
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


def restore_from(source: Path, path: Path, passphrase: str) -> Vault:
    """Replace the workbook with a backup copy, after proving the passphrase opens it."""
    refuse_links(path)
    blob = _read(source, follow=True)  # read once: what is checked is what is written
    parsed = _parse(blob)
    data_key = _unlock(parsed, lambda h: fmt.unwrap_with_passphrase(h, passphrase), "passphrase")
    payload = _decrypt(parsed, data_key)
    with locked(path):
        sweep_temp_files(path)
        write_atomic(path, blob)
    return Vault(
        path=path,
        header=parsed.header,
        data_key=data_key,
        payload=payload,
        _signature=_stat_signature(path),
    )
