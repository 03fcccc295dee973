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

#: What the screens after an unlock use, heaviest first.
MODULES = (
    # cryptography's parts that unlocking and saving use (osp_cli.crypto imports them
    # when they are first used), then the workbook model and the screens' libraries.
    "cryptography.hazmat.primitives.kdf.argon2",
    "cryptography.fernet",
    "cryptography.hazmat.primitives.kdf.hkdf",
    "cryptography.hazmat.primitives.asymmetric.ed25519",
    "cryptography.hazmat.primitives.asymmetric.x25519",
    "cryptography.hazmat.primitives.hpke",
    "osp_cli.crypto",
    "osp_cli.workbook.service",
    "prompt_toolkit",
    "questionary",
    "rich.console",
    "rich.text",
    "rich.table",
    "rich.panel",
)

_started: threading.Thread | None = None


def _load() -> None:
    for name in MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: S112 - a failed preload is retried by the real import
            continue


def start() -> None:
    """Begin loading in a daemon thread (once per process)."""
    global _started
    if _started is None:
        _started = threading.Thread(target=_load, name="osp-preload", daemon=True)
        _started.start()


def wait() -> None:
    """Wait for the loading to finish (it is finished by then unless typing was fast)."""
    if _started is not None:
        _started.join()
