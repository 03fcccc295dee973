"""Reading passphrases and recovery codes: from the terminal with echo off, or when
standard input is not a terminal, from its lines (first line first). Never from argv,
never echoed, never logged."""

from __future__ import annotations

import sys

from osp_cli.errors import NoTerminal, UserError


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def read_secret(prompt: str) -> str:
    """One secret. On a terminal the typing is hidden; otherwise the next stdin line."""
    if stdin_is_terminal():
        import getpass

        try:
            value = getpass.getpass(prompt)
        except EOFError as exc:
            raise UserError("No passphrase was entered.") from exc
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


def passphrase_problem(passphrase: str) -> str | None:
    """Why a new passphrase is too weak, in plain words, or None if it will do."""
    words = [w for w in passphrase.replace("-", " ").split() if len(w) >= 3]
    if len(passphrase) < 10:
        return "It needs at least 10 characters. A short sentence you will remember works well."
    if len(set(passphrase.lower())) < 5:
        return "It repeats too few different characters. Try a short sentence instead."
    lowered = passphrase.lower()
    if any(common in lowered for common in _COMMON) and len(words) < 3:
        return "It is too easy to guess. Avoid common passwords; try three or more words."
    return None


_COMMON = (
    "password", "passw0rd", "123456", "qwerty", "letmein", "iloveyou", "abc123",
    "welcome", "monkey", "dragon", "football", "admin",
)  # fmt: skip
