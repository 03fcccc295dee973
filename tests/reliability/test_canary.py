"""A plaintext canary scan after full flows, participant and practitioner.

A unique string is typed and interrupted with Ctrl-C (kept as a draft), saved as answers,
a list item, a reflection and a check-in note, then
everything that reads or writes the workbook runs: review, plan, passphrase change and
back, backup, restore, a sealed export, an export with a confirmed Markdown copy, the
practitioner opening the summary and writing the evaluation CSV, and finally erase.

Afterwards the canary (as UTF-8, UTF-16, UTF-32 and base64) is in no file under either
OSP_HOME, the temp directory, HOME or the working directory, except the one plaintext
copy the participant explicitly confirmed (which is checked to hold it, so the scan is
known to work).
"""

from __future__ import annotations

import base64
import secrets
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from relhelp import PASS, use_floor_kdf
from typer.testing import CliRunner, Result

from osp_cli.cli.app import app
from osp_cli.vault import format as fmt
from osp_cli.workbook import model, service

PRAC = "practitioner secret phrase"
NEW = "a brand new passphrase for now"
ENTER = "\r"


@pytest.fixture(autouse=True)
def _floor_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    use_floor_kdf(monkeypatch)


def run(args: Sequence[str], stdin: str = "", keys: Sequence[str] = ()) -> Result:
    from osp_cli.ui.console import reset_console

    reset_console()
    with create_pipe_input() as inp:
        inp.send_text("".join(keys))
        inp.close()
        with create_app_session(input=inp, output=DummyOutput()):
            result = CliRunner().invoke(app, list(args), input=stdin)
    assert result.exit_code == 0, (args, result.output[-1500:], result.exception)
    return result


def needles(canary: str) -> list[bytes]:
    """The canary, its unique token alone (survives escaping) and common encodings."""
    token = canary.split()[0].removeprefix("canary-")
    found = []
    for text in (canary, token, "ünïcödé quiet words"):
        found += [text.encode(), text.encode("utf-16-le"), text.encode("utf-32-le")]
    raw = canary.encode()
    found += [
        base64.b64encode(raw)[:16],
        base64.urlsafe_b64encode(raw)[:16],
        token.upper().encode(),
    ]
    return found


def files_under(*roots: Path) -> list[Path]:
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def holds(path: Path, canary: str) -> bool:
    data = path.read_bytes()
    return any(n in data for n in needles(canary))


def test_no_plaintext_anywhere_after_full_flows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    canary = f"canary-{secrets.token_hex(6)} ünïcödé quiet words"
    part_home, prac_home = tmp_path / "participant", tmp_path / "practitioner"
    tmp, cwd, home = tmp_path / "tmp", tmp_path / "cwd", tmp_path / "home"
    for folder in (tmp, cwd, home):
        folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(cwd)

    def participant() -> None:
        monkeypatch.setenv("OSP_HOME", str(part_home))

    def practitioner() -> None:
        monkeypatch.setenv("OSP_HOME", str(prac_home))

    # The practitioner makes keys and an assignment; the participant imports it.
    practitioner()
    run(["practitioner", "init"], stdin=f"{PRAC}\n{PRAC}\n")
    run(
        ["practitioner", "assign", "--participant", "P-0142", "--session", "1",
         "--exercise", "hopes-and-fears", "--next-session", "2030-01-02",
         "--out", str(cwd / "a.ospa")],
        stdin=PRAC + "\n",
    )  # fmt: skip
    participant()
    workbook, _ = service.create(PASS)
    run(["import", str(cwd / "a.ospa")], stdin=PASS + "\n", keys=["y"])

    # Ctrl-C in the middle of typing an answer: the typing is kept as a draft, encrypted.
    from osp_cli.ui.console import reset_console

    reset_console()
    with create_pipe_input() as inp:
        inp.send_text(ENTER + ENTER + canary + "\rsecond line" + "\x03")  # intro, ready
        inp.close()
        with create_app_session(input=inp, output=DummyOutput()):
            stopped = CliRunner().invoke(app, ["do", "hopes-and-fears"], input=PASS + "\n")
    assert stopped.exit_code == 130, stopped.output
    workbook.vault.reload()
    interrupted = model.exercise_state(workbook.payload, "hopes-and-fears")
    assert interrupted is not None
    assert interrupted.drafts == {"what-led-here": canary + "\nsecond line"}

    # The canary, saved the way the walk-through saves answers (one durable save each).
    workbook.vault.reload()
    exercise = workbook.exercise("hopes-and-fears")
    for question in exercise.questions:
        if question.kind.value in ("text", "long_text"):
            workbook.save(model.set_answer(exercise.id, exercise.version, question.id, canary))
        elif question.kind.value == "list":
            workbook.save(
                model.set_answer(exercise.id, exercise.version, question.id, [canary, "other"])
            )
    workbook.save(model.set_reflection(exercise.id, exercise.version, canary))
    workbook.save(model.add_checkin(3, 2, canary))

    # Everything that reads or rewrites the workbook.
    shown = run(["review"], stdin=PASS + "\n", keys=[ENTER]).output
    assert canary in " ".join(shown.split())
    run(["plan"], stdin=PASS + "\n", keys=[ENTER])
    # Each change issues a new recovery code: Enter once it is written down, then its
    # last group typed back. The codes come from the real generator, made in advance so
    # the keys can be scripted; each then opens the workbook and no check is failed.
    codes = [fmt.new_recovery_code(), fmt.new_recovery_code()]
    to_issue = list(codes)
    with monkeypatch.context() as patch:
        patch.setattr(fmt, "new_recovery_code", lambda: to_issue.pop(0))
        for (old, new), code in zip(((PASS, NEW), (NEW, PASS)), codes, strict=True):
            changed = run(
                ["passphrase"],
                stdin=f"{old}\n{new}\n{new}\n",
                keys=[ENTER, code.split("-")[-1] + ENTER],
            )
            assert "does not match" not in changed.output
            assert service.open_with_recovery(code).payload
    assert to_issue == []
    run(["backup", str(cwd / "copy.osp")])
    run(["restore", str(cwd / "copy.osp")], stdin=PASS + "\n")
    confirmed = cwd / "confirmed-plain.md"
    refused = cwd / "refused-plain.html"
    run(
        ["export", "--out", str(cwd / "s1.osps"), "--markdown", str(confirmed),
         "--html", str(refused)],
        stdin=PASS + "\n",
        keys=[ENTER, ENTER, "y", "y", "n"],  # seal: yes; Markdown copy: yes; HTML copy: no
    )  # fmt: skip
    run(["export", "--out", str(cwd / "s2.osps")], stdin=PASS + "\n", keys=[ENTER, ENTER, "y"])

    # The practitioner reads it in the terminal and makes the evaluation CSV.
    practitioner()
    opened = run(["practitioner", "open", str(cwd / "s1.osps")], stdin=PRAC + "\n")
    assert "ünïcödé" in opened.output
    run(
        ["practitioner", "evaluation", str(cwd / "s1.osps"), str(cwd / "s2.osps"),
         "--csv", str(cwd / "evaluation.csv")],
        stdin=PRAC + "\n",
    )  # fmt: skip

    # The scan: only the confirmed plaintext copy holds the canary.
    roots = (part_home, prac_home, tmp, cwd, home)
    assert confirmed.exists() and holds(confirmed, canary), "the scan must see a plain copy"
    assert not refused.exists()
    leaks = [p for p in files_under(*roots) if p != confirmed and holds(p, canary)]
    assert not leaks, f"the canary reached the disk in clear: {leaks}"
    scanned = files_under(*roots)
    assert any(p.suffix == ".osp" for p in scanned) and any(p.suffix == ".osps" for p in scanned)

    # Erase leaves nothing of the workbook behind, in clear or not.
    participant()
    from osp_cli.vault.store import erase

    erase(service.workbook_file())
    assert [p.name for p in files_under(part_home)] == []
    assert not [p for p in files_under(*roots) if p != confirmed and holds(p, canary)]
