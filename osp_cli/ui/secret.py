"""Reading passphrases and recovery codes: from the terminal with echo off, or when
standard input is not a terminal, from its lines (first line first). Never from argv,
never echoed, never logged."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Sequence

from osp_cli.errors import NoTerminal, UserError
from osp_cli.platform import read_hidden
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
    finished loading when this returns. Nothing delays the prompt itself."""
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
            raise NoTerminal("Unlocking")
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


#: zxcvbn's score (0-4) a new passphrase must reach: 3 is about 10^8 guesses or more.
MIN_SCORE = 3
#: Only the start of a very long passphrase is scored (the estimate's cost grows with
#: length, and anything this long that scores well at its start is strong anyway).
_SCORED_CHARS = 64
SUGGESTION = (
    "Try a short sentence of four or more words that you will remember and that "
    "nobody else would think of."
)
_WARNINGS = (
    ("keyboard", "It follows a pattern of keys on the keyboard."),
    ("rows of keys", "It follows a pattern of keys on the keyboard."),
    ("repeats", "It repeats the same letters or groups of letters."),
    ("sequences", "It uses a run like abc or 1234."),
    ("years", "It has a year in it."),
    ("dates", "It has a date in it."),
    ("common password", "It is one of the passwords people use most, or close to one."),
    ("commonly used password", "It is one of the passwords people use most, or close to one."),
    ("word by itself", "One word on its own is easy to guess."),
    ("names", "Names are easy to guess."),
)


def passphrase_problem(passphrase: str) -> str | None:
    """Why a new passphrase is too weak, in plain words, or None if it will do.

    Uses the zxcvbn estimator (imported here only: it is needed only where a passphrase
    is chosen, and importing it costs start-up time). The passphrase itself is never
    part of the answer."""
    if len(passphrase) < 10:
        return f"It needs at least 10 characters. {SUGGESTION}"
    from zxcvbn import zxcvbn

    result = zxcvbn(passphrase[:_SCORED_CHARS])
    if int(result["score"]) >= MIN_SCORE:
        return None
    warning = str(result.get("feedback", {}).get("warning") or "").lower()
    reason = next((ours for key, ours in _WARNINGS if key in warning), "")
    extra = ""
    suggestions = " ".join(result.get("feedback", {}).get("suggestions") or []).lower()
    if "capitalization" in suggestions or "substitutions" in suggestions:
        extra = " Capital letters and swaps like @ for a do not make it much harder to guess."
    return f"It would be too easy to guess. {reason}{extra} {SUGGESTION}".replace("  ", " ")
