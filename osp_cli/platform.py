"""Everything that differs between Linux, macOS and Windows, in one small place.

This is the only module of osp that imports an operating-system-specific module
(``fcntl``, ``resource``, ``msvcrt``, ``ctypes`` for the console or ``prctl``). Each is
imported inside the function that needs it, with a guarded fallback, so every other
module imports cleanly on every system. ``.ci/run`` type-checks the package with
``mypy --platform linux``, ``win32`` and ``darwin`` to keep it that way, and
tests/unit/test_portable.py runs osp with the POSIX-only modules made unimportable.

Locking: the standard library only (no ``portalocker`` or ``filelock``), so start-up
pays nothing and there is no new dependency. ``fcntl.flock`` where it exists (Linux,
macOS); otherwise a byte-range lock on the first byte of the lock file, tried without
blocking and retried with a short back-off: ``msvcrt.locking`` on Windows, ``os.lockf``
on a POSIX system without ``fcntl`` (so the same Windows-shaped path runs in the tests
here). Every one of these locks is dropped by the operating system when the process
ends, so a killed ``osp`` never leaves a stale lock behind. See docs/install.md.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import time
from collections.abc import Callable
from typing import IO, NamedTuple

IS_WINDOWS = sys.platform == "win32"

#: Add to every ``os.open`` of a file osp writes: on Windows ``os.open`` defaults to text
#: mode, which would turn each 0x0A byte of ciphertext into 0x0D 0x0A.
O_BINARY: int = getattr(os, "O_BINARY", 0)

# --- locking ---------------------------------------------------------------------------

#: errno values meaning "someone else holds the lock" from a non-blocking attempt.
_BUSY = frozenset({errno.EACCES, errno.EAGAIN, errno.EDEADLK})
_FIRST_WAIT = 0.005
_LONGEST_WAIT = 0.2


class LockMethod(NamedTuple):
    """How this system takes an exclusive lock on an open file descriptor. (A named
    tuple: every command loads this module, and a dataclass costs ten times as much to
    define.)"""

    name: str
    #: Blocks until the lock is held.
    lock: Callable[[int], None]
    unlock: Callable[[int], None]


def _flock_method() -> LockMethod | None:
    if sys.platform == "win32":
        return None
    try:
        import fcntl
    except ImportError:
        return None

    def lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    return LockMethod("flock", lock, unlock)


def _byte_range_primitives() -> tuple[str, Callable[[int], None], Callable[[int], None]] | None:
    """A non-blocking lock and an unlock of one byte at the file's current position."""
    if sys.platform == "win32":
        import msvcrt

        def try_win(fd: int) -> None:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

        def unlock_win(fd: int) -> None:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

        return "msvcrt.locking", try_win, unlock_win
    lockf = getattr(os, "lockf", None)
    if lockf is None:  # pragma: no cover - every POSIX system has os.lockf
        return None

    def try_posix(fd: int) -> None:
        lockf(fd, os.F_TLOCK, 1)

    def unlock_posix(fd: int) -> None:
        lockf(fd, os.F_ULOCK, 1)

    return "os.lockf", try_posix, unlock_posix


def _byte_range_method() -> LockMethod:
    """The Windows way: try to lock byte 0; while another process holds it, wait a moment
    (5 ms, doubling to at most 0.2 s) and try again. Waits as long as ``flock`` would."""
    found = _byte_range_primitives()
    if found is None:  # pragma: no cover - see _byte_range_primitives
        raise OSError(errno.ENOLCK, "this system offers no file locking")
    name, try_lock, release = found

    def lock(fd: int) -> None:
        wait = _FIRST_WAIT
        while True:
            os.lseek(fd, 0, os.SEEK_SET)  # both primitives lock from the current position
            try:
                try_lock(fd)
            except OSError as exc:
                if exc.errno not in _BUSY:
                    raise
            else:
                return
            time.sleep(wait)
            wait = min(wait * 2, _LONGEST_WAIT)

    def unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        release(fd)

    return LockMethod(name, lock, unlock)


_method: LockMethod | None = None


def lock_method() -> LockMethod:
    """The locking this process uses (chosen once, on first use)."""
    global _method
    if _method is None:
        _method = _flock_method() or _byte_range_method()
    return _method


def lock_file(fd: int) -> None:
    """Take an exclusive lock on the open file ``fd``, waiting for other processes."""
    lock_method().lock(fd)


def unlock_file(fd: int) -> None:
    lock_method().unlock(fd)


# --- the process -----------------------------------------------------------------------


def limit_core_files() -> None:
    """Linux and macOS: the core-file size limit is set to 0, so a crash writes no core
    file (cheap: every command does this first)."""
    if sys.platform == "win32":
        return
    try:
        import resource
    except ImportError:
        return
    with contextlib.suppress(ValueError, OSError):  # refused by this system: go on
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


_protected: list[bool] = []


def protect_process() -> None:
    """Keep the data key, private keys and answers out of crash dumps: run before any
    secret is read (``ui/secret.py``) and when a workbook is opened or made.

    Linux and macOS: the core-file size limit is 0 (:func:`limit_core_files`).
    Linux only: ``prctl(PR_SET_DUMPABLE, 0)`` (no core file even if the limit is raised
    again or ``core_pattern`` pipes cores elsewhere, and no ptrace attach or
    ``/proc/PID/mem`` read by other processes of the same user). It needs ``ctypes``,
    which costs as much to load as a command's whole front, so commands that never read
    a secret (support, the help, whoami, validate) do not pay for it.
    Windows: nothing is applied; Windows Error Reporting can keep a crash dump when it
    has been set up to (docs/security.md, "Crash dumps").
    """
    limit_core_files()
    if _protected or not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):  # no usable libc: go on
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)
        _protected.append(True)


_PR_GET_DUMPABLE, _PR_SET_DUMPABLE = 3, 4


def is_dumpable() -> bool | None:
    """Whether this process could dump core or be read by a debugger (None: unknown)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return bool(ctypes.CDLL(None, use_errno=True).prctl(_PR_GET_DUMPABLE, 0, 0, 0, 0))
    except (OSError, AttributeError):  # pragma: no cover
        return None


_signalled: list[int] = []


def _stop(signum: int, _frame: object) -> None:
    _signalled.append(signum)
    raise KeyboardInterrupt


def stop_on_signals() -> None:
    """SIGTERM and SIGHUP (where they exist) raise KeyboardInterrupt, so they take
    Ctrl-C's calm way out: what was answered is kept, the screen is cleared, exit 130."""
    import signal

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, _stop)


def was_signalled() -> bool:
    """True once SIGTERM or SIGHUP has arrived."""
    return bool(_signalled)


# --- the terminal ----------------------------------------------------------------------

#: Home, erase the screen, erase the scroll-back (an xterm extension that Windows
#: Terminal, the Windows 10+ console, macOS Terminal and Linux terminals all honour).
ANSI_CLEAR = "\x1b[H\x1b[2J\x1b[3J"


def clear_terminal(stream: IO[str]) -> None:
    """Clear the screen and its scroll-back on the terminal behind ``stream``.

    Windows: the console is first asked to understand escape sequences (Windows
    Terminal always does; the classic console does from Windows 10). Where it refuses,
    the Win32 console functions blank the whole screen buffer instead. Never ``cls``.
    """
    if sys.platform == "win32" and not _windows_enable_escapes(stream):
        stream.flush()
        if _windows_clear_buffer(stream):
            return
    stream.write(ANSI_CLEAR)
    stream.flush()


def prepare_console(stream: IO[str]) -> bool:
    """Windows: ask the console to understand escape sequences, so colour, cursor moves
    and screen clearing behave the same in Windows Terminal and the classic console
    (Rich then writes escape sequences; where the console refuses, Rich falls back to
    the Win32 console functions by itself). Nothing to do elsewhere. True when escape
    sequences will be understood."""
    if sys.platform == "win32":
        return _windows_enable_escapes(stream)
    return True


def prepare_streams() -> None:
    """Windows: output sent to a file or a pipe is encoded in the ANSI code page, which
    lacks some characters osp prints; such a character becomes "?" instead of stopping
    osp. (Output to the console itself is Unicode already.) Nothing to do elsewhere."""
    if sys.platform != "win32":
        return
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not stream.isatty():
            reconfigure(errors="replace")


# The Win32 console calls below are type-checked with ``mypy --platform win32`` but have
# only run on Windows by hand, never in this project's tests (see docs/install.md).

_ENABLE_VIRTUAL_TERMINAL_PROCESSING = 0x0004


def _windows_handle(stream: IO[str]) -> int | None:
    if sys.platform != "win32":
        return None
    import msvcrt

    try:
        return int(msvcrt.get_osfhandle(stream.fileno()))
    except (OSError, ValueError):
        return None


def _windows_enable_escapes(stream: IO[str]) -> bool:
    """Turn on escape-sequence processing for this console. False if it cannot be."""
    if sys.platform != "win32":
        return True
    import ctypes
    from ctypes import wintypes

    handle = _windows_handle(stream)
    if handle is None:
        return False
    kernel32 = ctypes.windll.kernel32
    mode = wintypes.DWORD()
    if not kernel32.GetConsoleMode(wintypes.HANDLE(handle), ctypes.byref(mode)):
        return False
    if mode.value & _ENABLE_VIRTUAL_TERMINAL_PROCESSING:
        return True
    wanted = wintypes.DWORD(mode.value | _ENABLE_VIRTUAL_TERMINAL_PROCESSING)
    return bool(kernel32.SetConsoleMode(wintypes.HANDLE(handle), wanted))


def _windows_clear_buffer(stream: IO[str]) -> bool:
    """Blank every cell of the console's screen buffer (scroll-back included) and move
    the cursor home: the documented Win32 way for consoles without escape sequences."""
    if sys.platform != "win32":
        return False
    import ctypes
    from ctypes import wintypes

    class _Info(ctypes.Structure):
        _fields_ = (
            ("dwSize", wintypes._COORD),
            ("dwCursorPosition", wintypes._COORD),
            ("wAttributes", wintypes.WORD),
            ("srWindow", wintypes.SMALL_RECT),
            ("dwMaximumWindowSize", wintypes._COORD),
        )

    handle = _windows_handle(stream)
    if handle is None:
        return False
    kernel32 = ctypes.windll.kernel32
    info = _Info()
    if not kernel32.GetConsoleScreenBufferInfo(wintypes.HANDLE(handle), ctypes.byref(info)):
        return False
    cells = wintypes.DWORD(info.dwSize.X * info.dwSize.Y)
    origin = wintypes._COORD(0, 0)
    written = wintypes.DWORD()
    ok = kernel32.FillConsoleOutputCharacterW(
        wintypes.HANDLE(handle), wintypes.WCHAR(" "), cells, origin, ctypes.byref(written)
    )
    ok = ok and kernel32.FillConsoleOutputAttribute(
        wintypes.HANDLE(handle), info.wAttributes, cells, origin, ctypes.byref(written)
    )
    ok = ok and kernel32.SetConsoleCursorPosition(wintypes.HANDLE(handle), origin)
    return bool(ok)


# --- reading a passphrase -----------------------------------------------------------------


def read_hidden(prompt: str, shown: Callable[[], None]) -> str:
    """Read one line from the terminal with echo off, as ``getpass`` does, and call
    ``shown`` once the prompt is on screen and typing is hidden (osp loads the screens'
    libraries then, while the person types, so nothing delays the prompt itself).

    The order matters: echo goes off (flushing anything typed before the prompt) before
    the prompt is written, so a passphrase typed or pasted straight after the prompt
    appears is never echoed. Where there is no ``termios`` or no ``/dev/tty`` (Windows,
    some sandboxes), ``getpass`` reads it instead. Raises EOFError on end of input."""
    import getpass

    if sys.platform == "win32":
        shown()
        return getpass.getpass(prompt)
    try:
        import termios
    except ImportError:
        shown()
        return getpass.getpass(prompt)
    try:
        fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        shown()
        return getpass.getpass(prompt)
    import io

    with io.TextIOWrapper(io.FileIO(fd, "w+")) as tty:
        try:
            before = termios.tcgetattr(fd)
        except termios.error:
            shown()
            return getpass.getpass(prompt)
        hidden = list(before)
        hidden[3] &= ~termios.ECHO
        try:
            termios.tcsetattr(fd, termios.TCSAFLUSH, hidden)
            tty.write(prompt)
            tty.flush()
            shown()
            line = tty.readline()
        finally:
            with contextlib.suppress(termios.error, OSError):  # the terminal may be gone
                termios.tcsetattr(fd, termios.TCSAFLUSH, before)
                tty.write("\n")
                tty.flush()
    if not line:
        raise EOFError
    return line.rstrip("\r\n")
