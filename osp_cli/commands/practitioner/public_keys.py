"""The public part of the practitioner's key files, read without the passphrase: the
current keys and the retired ones 'osp practitioner rotate' kept. Apart from the key
file's own parser this loads nothing, so 'osp practitioner whoami' shows the
fingerprint quickly."""

from __future__ import annotations

from osp_cli.exchange import files, keyfile
from osp_cli.exchange.keyfile import PublicInfo


def current() -> PublicInfo:
    """The current keys' public part and creation time. Raises DamagedFile."""
    return keyfile.public_info(files.read_key_file(files.existing_key_file()))


def retired() -> list[PublicInfo]:
    """The public parts of the retired key files, oldest first (a damaged one is left out)."""
    found = []
    for path in files.retired_key_files():
        try:
            found.append(keyfile.public_info(files.read_key_file(path)))
        except Exception:  # noqa: S112 - a damaged retired file is just skipped
            continue
    return found
