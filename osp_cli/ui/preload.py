"""Load the heavy libraries in the background while a passphrase is being typed.

Typing a passphrase takes seconds; importing Rich, questionary/prompt_toolkit and
``cryptography`` takes a fraction of one. Started just before the passphrase prompt, the
imports are done by the time the key is derived, so the first screen after unlocking
appears at once (SPEC: first question at most 0.3 s after the key is derived). The
prompt itself appears first: nothing here delays it.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Sequence

#: cryptography's parts that unlocking and saving use: osp_cli.crypto imports them where
#: they are used, so a command module's own imports do not bring them in.
CRYPTO = (
    "cryptography.hazmat.primitives.kdf.argon2",
    "cryptography.fernet",
    "cryptography.hazmat.primitives.kdf.hkdf",
    "cryptography.hazmat.primitives.asymmetric.ed25519",
    "cryptography.hazmat.primitives.asymmetric.x25519",
    "cryptography.hazmat.primitives.hpke",
)

_started: threading.Thread | None = None


def _load(modules: Sequence[str]) -> None:
    for name in (*CRYPTO, *modules):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: S112 - a failed preload is retried by the real import
            continue


def start(modules: Sequence[str]) -> None:
    """Begin loading ``modules`` (a command's own module, which imports what it uses at
    its top) in a daemon thread, once per process."""
    global _started
    if _started is None:
        _started = threading.Thread(
            target=_load, args=(tuple(modules),), name="osp-preload", daemon=True
        )
        _started.start()


def wait() -> None:
    """Wait for the loading to finish (it is finished by then unless typing was fast)."""
    if _started is not None:
        _started.join()
