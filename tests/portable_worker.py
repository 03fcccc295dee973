"""osp as it must run on Windows: ``fcntl``, ``resource``, ``termios`` and ``pty`` cannot
be imported (nor ``tty``, which needs ``termios``). Started by tests/unit/test_portable.py.

    python portable_worker.py flows               whole flows in-process; prints JSON
    python portable_worker.py hold READY RELEASE  hold the workbook lock until RELEASE exists
    python portable_worker.py save WAITING DONE   unlock, then save one answer (waits for the lock)

OSP_HOME chooses the folder, as in every test.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

POSIX_ONLY = frozenset({"fcntl", "resource", "termios", "pty", "tty"})


class _Unimportable(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.split(".")[0] in POSIX_ONLY:
            raise ImportError(f"No module named {fullname!r} (as on Windows)")
        return None


for _name in POSIX_ONLY:
    sys.modules.pop(_name, None)
sys.meta_path.insert(0, _Unimportable())

PART = "correct horse battery staple"
PRAC = "practitioner secret phrase"


def import_everything() -> list[str]:
    import pkgutil

    import osp_cli

    names = [m.name for m in pkgutil.walk_packages(osp_cli.__path__, "osp_cli.")]
    for name in names:
        importlib.import_module(name)
    return names


def flows() -> dict[str, object]:
    """Unlock, save, export and open, in-process, the way the commands do them."""
    import json
    import os

    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import DummyInput
    from prompt_toolkit.output import DummyOutput
    from typer.testing import CliRunner

    from osp_cli.cli.app import app
    from osp_cli.platform import lock_method
    from osp_cli.ui import prompts
    from osp_cli.workbook import model, service

    modules = import_everything()
    home = Path(os.environ["OSP_HOME"])
    asked: list[str] = []

    # prompt_toolkit reads keys through termios on POSIX (and the Win32 console API on
    # Windows), neither of which runs here: the questions are answered by a script.
    def confirm(message: str, default: bool = False) -> bool:
        asked.append(message)
        return True

    def choose(message: str, options: list[tuple[str, str]], default: str | None = None) -> str:
        asked.append(message)
        return options[0][1]

    def ask_line(message: str, default: str = "", limit: int | None = None) -> str:
        asked.append(message)
        return "See you on Tuesday."

    prompts.confirm, prompts.choose, prompts.ask_line = confirm, choose, ask_line

    def run(args: list[str], stdin: str, where: Path) -> str:
        os.environ["OSP_HOME"] = str(where)
        with create_app_session(input=DummyInput(), output=DummyOutput()):
            result = CliRunner().invoke(app, args, input=stdin)
        if result.exit_code != 0:
            raise SystemExit(f"osp {' '.join(args)} failed ({result.exit_code}):\n{result.output}")
        return result.output

    prac, part = home / "prac", home / "part"
    run(["practitioner", "init"], f"{PRAC}\n{PRAC}\n", prac)
    assignment = home / "a1.ospa"
    run(
        ["practitioner", "assign", "--participant", "P-0142", "--session", "2", "--exercise",
         "hopes-and-fears", "--next-session", "2030-01-02", "--out", str(assignment)],
        f"{PRAC}\n", prac,
    )  # fmt: skip

    os.environ["OSP_HOME"] = str(part)
    book, _code = service.create(PART)
    run(["import", str(assignment)], f"{PART}\n", part)  # unlock, then save
    book = service.open_with_passphrase(PART)  # unlock
    book.save(model.set_answer("hopes-and-fears", 1, "what-led-here", "Lonely evenings"))
    book.save(model.set_flag("hopes-and-fears", 1, "what-led-here", True))
    sealed = home / "summary.osps"
    run(["export", "--out", str(sealed)], f"{PART}\n", part)
    page = home / "summary.json"
    run(["practitioner", "open", str(sealed), "--json", str(page)], f"{PRAC}\n", prac)
    shown = run(["practitioner", "open", str(sealed)], f"{PRAC}\n", prac)
    os.environ["OSP_HOME"] = str(part)
    reopened = service.open_with_passphrase(PART).payload.to_dict()
    return {
        "modules": modules,
        "loaded": sorted(POSIX_ONLY & set(sys.modules)),
        "lock": lock_method().name,
        "asked": asked,
        "answer": reopened["exercises"]["hopes-and-fears"],
        "exports": reopened["exports"],
        "sealed_has_plaintext": b"Lonely evenings" in sealed.read_bytes(),
        "opened": json.loads(page.read_text("utf-8")),
        "shown": shown,
    }


def hold(ready: Path, release: Path) -> None:
    """Take the workbook's lock, say so, and keep it until ``release`` appears."""
    from osp_cli.platform import lock_method
    from osp_cli.vault import store
    from osp_cli.workbook import service

    with store.locked(service.workbook_file()):
        ready.write_text(lock_method().name)
        while not release.exists():
            time.sleep(0.02)
        time.sleep(0.3)  # still holding it: a waiting writer must not slip in yet
        print(time.time(), flush=True)


def save(waiting: Path, done: Path) -> None:
    from osp_cli.workbook import model, service

    book = service.open_with_passphrase(PART)
    started = time.time()
    waiting.write_text(str(started))
    book.save(model.set_answer("hopes-and-fears", 1, "what-led-here", "Saved after the wait"))
    done.write_text(f"{started} {time.time()}")


if __name__ == "__main__":
    import json

    mode = sys.argv[1]
    if mode == "flows":
        print(json.dumps(flows(), default=str))
    elif mode == "hold":
        hold(Path(sys.argv[2]), Path(sys.argv[3]))
    elif mode == "save":
        save(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        raise SystemExit(f"unknown mode {mode}")
