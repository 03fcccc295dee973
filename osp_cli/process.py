"""Process-wide hardening, done once at start-up (standard library only, so cheap)."""

from __future__ import annotations


def disable_core_dumps() -> None:
    """No core file may ever hold an unlocked data key, private keys or answers."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not on this platform
        pass
