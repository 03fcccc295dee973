"""The error hierarchy and exit codes.

Every error a user can meet is an :class:`OspError`. The single error boundary in
``osp_cli.cli.boundary`` turns it into a calm message and its exit code. Messages never
contain answer text or passphrases: only fixed wording, file names and ids.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    USER_ERROR = 1
    USAGE = 2
    WRONG_SECRET = 3
    DAMAGED = 4
    INTERRUPTED = 130


class OspError(Exception):
    """Base of every error shown to a user. ``message`` is safe to print."""

    exit_code: ExitCode = ExitCode.USER_ERROR

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UserError(OspError):
    """Something the user can put right (missing workbook, bad option...)."""

    exit_code = ExitCode.USER_ERROR


class UsageError(OspError):
    """Wrong usage, or an interactive command run without a terminal."""

    exit_code = ExitCode.USAGE


class NoTerminal(UsageError):
    def __init__(self, what: str = "This command") -> None:
        super().__init__(
            f"{what} needs a terminal to ask you questions, and none is attached.",
            hint="Run it directly in a terminal window.",
        )


class WrongPassphrase(OspError):
    """A passphrase or recovery code did not unlock the file."""

    exit_code = ExitCode.WRONG_SECRET


class DamagedFile(OspError):
    """A file is damaged, truncated, tampered with or not ours."""

    exit_code = ExitCode.DAMAGED


class WorkbookMissing(UserError):
    def __init__(self) -> None:
        super().__init__(
            "There is no workbook on this computer yet.",
            hint="Run 'osp init' to create one.",
        )


class ExerciseError(OspError):
    """One or more exercise files are malformed. ``problems`` lists them all."""

    exit_code = ExitCode.USER_ERROR

    def __init__(self, problems: list[str]) -> None:
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} {noun} found in exercise files:\n" + "\n".join(problems))
        self.problems = problems


class Interrupted(OspError):
    """The user pressed Ctrl-C; everything answered so far has been saved."""

    exit_code = ExitCode.INTERRUPTED

    def __init__(self, message: str = "Stopped. Everything you answered has been saved.") -> None:
        super().__init__(message, hint="You can carry on later where you left off.")
