"""Load a command's body in the background while a passphrase is being typed.

Typing a passphrase takes seconds; importing the command's body (osp_cli/commands/, with
Rich, questionary/prompt_toolkit and ``cryptography`` among its imports) takes a fraction
of one. Started once the passphrase prompt is on screen, the imports are done by the
time the key is derived, so the first screen after unlocking
appears at once (SPEC: first question at most 0.3 s after the key is derived). The
prompt itself appears first: nothing here delays it.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Sequence

_started: threading.Thread | None = None


def _load(modules: Sequence[str]) -> None:
    for name in modules:
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
