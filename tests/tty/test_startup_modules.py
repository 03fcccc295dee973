"""What each command loads before its first output (issue 14, start-up).

Rich, prompt_toolkit, questionary and ``cryptography`` each cost about as much to import
as Typer itself, and the start-up budget is 1.3 x ``import typer``. So the passphrase
prompt, and the support screen, must come before any of them loads: the heavy libraries
load in the background while the passphrase is typed (osp_cli/ui/preload.py).

Each command runs in a real pseudo-terminal under a probe that stops it at its first
output and prints what had been imported by then. Times are measured by bench/startup.py,
never here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pexpect
import pytest
from pty_osp import terminal_env

HEAVY = (
    "rich",
    "prompt_toolkit",
    "questionary",
    "cryptography",
    "zxcvbn",
    "tomllib",
    "osp_cli.workbook.model",
    "osp_cli.exercises.loader",
    "osp_cli.vault.store",
)

#: Stops osp at the passphrase prompt (where the background loading would start) or at
#: the first screen written without Rich, and reports the heavy modules loaded by then.
_PROBE = """
import os, sys
HEAVY = {heavy!r}

def report(*_args, also=(), **_kwargs):
    loaded = {{h for h in HEAVY if any(m == h or m.startswith(h + ".") for m in sys.modules)}}
    sys.stdout.write("\\nLOADED[" + ",".join(sorted(loaded | set(also))) + "]\\n")
    sys.stdout.flush()
    os._exit(0)

import osp_cli.ui.preload
osp_cli.ui.preload.start = report
import osp_cli.ui.lines
osp_cli.ui.lines.write_lines = report
import osp_cli.ui.console
# A first output through the shared Rich console means Rich loads first.
osp_cli.ui.console.console = lambda: report(also=["rich"])
sys.argv = ["osp", *sys.argv[1:]]
from osp_cli.cli.app import main
main()
"""


@pytest.fixture(scope="module")
def workbook_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import os

    home = tmp_path_factory.mktemp("home")
    before = os.environ.get("OSP_HOME")
    os.environ["OSP_HOME"] = str(home)
    try:
        from osp_cli.workbook import service

        service.create("correct horse battery staple")
    finally:
        if before is not None:
            os.environ["OSP_HOME"] = before
    return home


@pytest.fixture(scope="module")
def practitioner_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(practitioner home, a summary sealed to its keys, an assignment it signed)."""
    import os

    from exchange_data import make_summary

    root = tmp_path_factory.mktemp("prac")
    home = root / "home"
    before = os.environ.get("OSP_HOME")
    os.environ["OSP_HOME"] = str(home)
    try:
        from osp_cli import crypto
        from osp_cli.exchange import assignment, files, keystore, sealed

        keys = crypto.new_key_pairs()
        files.practitioner_dir(create=True)
        files.write_private(files.key_file(), keystore.encode(keys, "practitioner secret"))
        summary = root / "summary.osps"
        summary.write_bytes(sealed.seal(make_summary().to_bytes(), keys.x25519_public))
        built = assignment.build(
            participant_ref="P-0142",
            session=2,
            exercises=["life-timeline"],
            custom_exercises={},
            next_session="2099-12-01",
            note="",
            x25519_public=keys.x25519_public,
            ed25519_public=keys.ed25519_public,
            sequence=1,
            builtin_ids=["life-timeline"],
        )
        signed = root / "session-2.ospa"
        signed.write_bytes(assignment.encode(built, keys.ed25519_private))
    finally:
        if before is not None:
            os.environ["OSP_HOME"] = before
    return home, summary, signed


def _loaded_at_first_output(home: Path, *args: str) -> list[str]:
    env = {**terminal_env(home), "OSP_KDF_ITERATIONS": "3"}
    child = pexpect.spawn(
        sys.executable,
        ["-c", _PROBE.format(heavy=HEAVY), *args],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(24, 80),
    )
    try:
        child.expect(r"LOADED\[([^\]]*)\]")
        found = child.match.group(1)
        return [name for name in found.split(",") if name]
    finally:
        child.close(force=True)


#: Commands whose first output is the passphrase (or recovery code) prompt, or, for
#: erase, its warning, and for backup, that it is copying.
PASSPHRASE_FIRST = [
    [],
    ["list"],
    ["do", "life-timeline"],
    ["next"],
    ["review"],
    ["edit", "life-timeline"],
    ["checkin"],
    ["progress"],
    ["plan"],
    ["export"],
    ["passphrase"],
    ["recover"],
    ["whoami"],
    ["erase"],
    ["backup", "copy-for-the-stick.osp"],
]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("args", PASSPHRASE_FIRST, ids=lambda a: " ".join(a) or "home")
def test_the_passphrase_prompt_comes_before_anything_heavy(
    workbook_home: Path, args: list[str]
) -> None:
    assert _loaded_at_first_output(workbook_home, *args) == []


@pytest.mark.timeout(120)
@pytest.mark.parametrize("args", [["support"], ["init"], []], ids=["support", "init", "first run"])
def test_the_first_screens_come_before_anything_heavy(tmp_path: Path, args: list[str]) -> None:
    """Support, and the first words of a new workbook, are written without Rich."""
    assert _loaded_at_first_output(tmp_path / "empty", *args) == []


@pytest.mark.timeout(120)
def test_a_typing_mistake_in_an_exercise_id_is_caught_without_reading_the_library(
    workbook_home: Path,
) -> None:
    """'osp do' knows the built-in ids from the file names (the test below checks they
    match the library), so the suggestion comes before the passphrase (issue 10)."""
    env = {**terminal_env(workbook_home), "OSP_KDF_ITERATIONS": "3"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "osp_cli", "do", "life-timelin"],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(24, 80),
    )
    try:
        child.expect("Did you mean 'life-timeline'")
    finally:
        child.close(force=True)


def test_every_built_in_file_is_named_after_its_exercise() -> None:
    from osp_cli.exercises.catalogue import builtin_exercises
    from osp_cli.exercises.files import builtin_ids

    assert builtin_ids() == sorted(builtin_exercises())
    assert len(builtin_ids()) >= 31


@pytest.mark.timeout(300)
@pytest.mark.parametrize(
    "command", ["whoami", "open", "evaluation", "assign", "init", "rotate", "receive"], ids=str
)
def test_the_practitioner_commands_show_their_first_line_before_anything_heavy(
    practitioner_home: tuple[Path, Path, Path], tmp_path: Path, command: str
) -> None:
    home, summary, _signed = practitioner_home
    args = {
        "whoami": ["whoami"],
        "open": ["open", str(summary)],
        "evaluation": ["evaluation", str(summary), "--csv", str(tmp_path / "e.csv")],
        "assign": [
            *("assign", "--participant", "P-0142", "--session", "2"),
            *("--exercise", "life-timeline", "--next-session", "2099-12-01"),
            *("--out", str(tmp_path / "a.ospa")),
        ],
        "init": ["init"],
        "rotate": ["rotate", "--out", str(tmp_path / "handover.osph")],
        "receive": ["receive", str(summary)],
    }[command]
    where = tmp_path / "new" if command == "init" else home
    assert _loaded_at_first_output(where, "practitioner", *args) == []


@pytest.mark.timeout(300)
@pytest.mark.parametrize("what", ["import", "restore"])
def test_a_file_is_looked_at_lightly_before_the_passphrase(
    workbook_home: Path, practitioner_home: tuple[Path, Path, Path], tmp_path: Path, what: str
) -> None:
    """An assignment and a backup copy are checked in full (the signature, the vault
    format) after the passphrase has been read, while the code for it loads; before it,
    only their first bytes (FRONTS.md rule 5)."""
    _home, _summary, signed = practitioner_home
    if what == "import":
        args = ["import", str(signed)]
    else:
        copy = tmp_path / "copy.osp"
        copy.write_bytes((workbook_home / "workbook.osp").read_bytes())
        args = ["restore", str(copy)]
    assert _loaded_at_first_output(workbook_home, *args) == []
