"""Reading passphrases and recovery codes: from the terminal with echo off, or when
standard input is not a terminal, from its lines (first line first). Never from argv,
never echoed, never logged."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Sequence

from osp_cli.errors import NoTerminal, UserError
from osp_cli.platform import protect_process, read_hidden
from osp_cli.ui import preload


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def read_secret(prompt: str, *, load_meanwhile: Sequence[str] = ()) -> str:
    """One secret. On a terminal the typing is hidden; otherwise the next stdin line.

    ``load_meanwhile``: modules (a command's own module) to load in the background once
    the prompt is on screen, while the person types (osp_cli/ui/preload.py); they have
    finished loading when this returns. Nothing delays the prompt itself.

    The process is made non-dumpable first (``platform.protect_process``)."""
    protect_process()
    if stdin_is_terminal():
        try:
            if load_meanwhile:
                value = read_hidden(prompt, lambda: preload.start(load_meanwhile))
            else:
                value = getpass.getpass(prompt)
        except EOFError as exc:
            raise UserError("No passphrase was entered.") from exc
        preload.wait()  # nothing else imports while the background loading runs
    else:
        line = sys.stdin.readline()
        if not line:
            what = "recovery code" if "recovery" in prompt.lower() else "passphrase"
            raise NoTerminal(f"Typing your {what}")
        value = line.rstrip("\r\n")
    if not value:
        raise UserError("No passphrase was entered.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UserError(
            "That contains a character osp cannot read.",
            hint="Check your keyboard settings and type it again.",
        ) from None
    return value
