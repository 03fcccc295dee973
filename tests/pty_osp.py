"""Running ``python -m osp_cli`` in a real pseudo-terminal (pexpect), for tests/tty."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect


def terminal_env(home: Path, root: Path | None = None) -> dict[str, str]:
    """A minimal environment: private OSP_HOME (and HOME/TMPDIR under ``root``), fast
    prompts (no cursor-position requests) and UTF-8."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "OSP_HOME": str(home),
        "TERM": "xterm-256color",
        "PROMPT_TOOLKIT_NO_CPR": "1",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
    if root is not None:
        env["HOME"] = str(root)
        env["TMPDIR"] = str(root / "tmp")
    return env


def spawn_osp(
    home: Path,
    *args: str,
    root: Path | None = None,
    cwd: Path | None = None,
    dimensions: tuple[int, int] = (40, 120),
    timeout: int = 30,
) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "osp_cli", *args],
        env=terminal_env(home, root),
        cwd=str(cwd) if cwd else None,
        dimensions=dimensions,
        encoding="utf-8",
        codec_errors="replace",
        timeout=timeout,
    )


def finish(child: pexpect.spawn) -> int:
    """Wait for the end; no traceback may have been shown. Returns the exit status."""
    child.expect(pexpect.EOF)
    child.close()
    assert "Traceback" not in (child.before or "")
    status = child.exitstatus
    assert isinstance(status, int)
    return status


def send(child: pexpect.spawn, expected: str, keys: str) -> None:
    child.expect_exact(expected)
    child.send(keys)
