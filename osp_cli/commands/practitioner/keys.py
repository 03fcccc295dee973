"""The practitioner's key pairs, for the practitioner commands: unlocking the current
pairs together with the retired ones that 'osp practitioner rotate' kept, and which pair
a sealed summary is for (the public part alone: :mod:`.public_keys`)."""

from __future__ import annotations

from dataclasses import dataclass

from osp_cli import crypto
from osp_cli.commands.practitioner import public_keys
from osp_cli.crypto import KeyPairs
from osp_cli.errors import OspError
from osp_cli.exchange import files, keystore, sealed


@dataclass(frozen=True, slots=True)
class Unlocked:
    """The current key pairs, and the retired pairs the same passphrase opens (by key id:
    summaries sealed to a key before 'osp practitioner rotate' still open)."""

    current: KeyPairs
    retired: dict[bytes, KeyPairs]

    def pair_for(self, blob: bytes) -> KeyPairs:
        """The key pair a sealed summary is for: the current one, or a retired one."""
        return self.retired.get(sealed.recipient(blob), self.current)


def unlock_current(passphrase: str) -> KeyPairs:
    """The current key pairs (to sign). WrongPassphrase or DamagedFile on failure."""
    return keystore.unlock(files.read_key_file(files.existing_key_file()), passphrase)


def unlock(passphrase: str) -> Unlocked:
    """The current key pairs and every retired pair locked with the same passphrase (to
    open summaries). WrongPassphrase or DamagedFile on failure."""
    return Unlocked(unlock_current(passphrase), unlock_retired(passphrase))


def unlock_retired(passphrase: str) -> dict[bytes, KeyPairs]:
    """The key pairs kept by 'osp practitioner rotate' that ``passphrase`` opens."""
    found: dict[bytes, KeyPairs] = {}
    for path in files.retired_key_files():
        try:
            old = keystore.unlock(files.read_key_file(path), passphrase)
        except OspError:  # locked with another passphrase, or damaged: skip it
            continue
        found[crypto.key_id(old.x25519_public)] = old
    return found


def check_recipient(blob: bytes, current_x25519: bytes) -> None:
    """Sealed to the current key or to a retired one (no passphrase needed); otherwise
    the framing error or NotForThisKey."""
    wanted = sealed.recipient(blob)
    for info in public_keys.retired():
        if crypto.key_id(info.x25519_public) == wanted:
            return
    sealed.check_recipient(blob, current_x25519)
