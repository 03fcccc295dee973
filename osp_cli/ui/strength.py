"""Is a new passphrase strong enough? The zxcvbn estimator, in plain words.

Needed only where a passphrase is chosen (osp init, osp passphrase, osp recover, the
practitioner's init), and slow to import, so only those load this module: in the
background while the first try is typed."""

from __future__ import annotations

from zxcvbn import zxcvbn

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

    The passphrase itself is never part of the answer."""
    if len(passphrase) < 10:
        return f"It needs at least 10 characters. {SUGGESTION}"
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
