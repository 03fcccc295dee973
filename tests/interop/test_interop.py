"""osp writes every kind of file; the independent reader (osp_reader.py, written from the
docs alone) opens each one and must agree with osp's own reading.

If this fails after a format change, the documents are out of date: fix docs/formats.md
or docs/vault-format.md first, then make osp_reader.py follow the documents.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import osp_reader
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.fernet import InvalidToken
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from typer.testing import CliRunner, Result

from osp_cli.cli.app import app
from osp_cli.workbook import model, service

PRAC = "practitioner secret phrase"
PART = "correct horse battery staple"
ENTER = "\r"


@contextmanager
def _home(path: Path) -> Iterator[None]:
    before = os.environ["OSP_HOME"]
    os.environ["OSP_HOME"] = str(path)
    try:
        yield
    finally:
        os.environ["OSP_HOME"] = before


def _run(args: Sequence[str], stdin: str = "", keys: Sequence[str] = ()) -> Result:
    from osp_cli.ui.console import reset_console

    reset_console()
    with create_pipe_input() as inp:
        inp.send_text("".join(keys))
        inp.close()
        with create_app_session(input=inp, output=DummyOutput()):
            result = CliRunner().invoke(app, list(args), input=stdin)
    assert result.exit_code == 0, result.output
    return result


def _plain(value: Any) -> Any:
    """osp's own reading as plain JSON-like data (typed records become dicts)."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


@dataclasses.dataclass
class Files:
    root: Path
    prac_home: Path
    recovery_code: str
    keys: Path
    assignment: Path
    summary: Path
    csv: Path
    workbook: Path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Files]:
    """One practitioner and one participant, through osp's own commands."""
    root = tmp_path_factory.mktemp("interop")
    prac_home, part_home = root / "prac", root / "part"
    saved = os.environ.get("OSP_HOME")
    os.environ["OSP_HOME"] = str(part_home)
    try:
        with _home(prac_home):
            _run(["practitioner", "init"], stdin=f"{PRAC}\n{PRAC}\n")
            assignment = root / "a.ospa"
            _run(
                ["practitioner", "assign", "--participant", "P-0412", "--session", "2",
                 "--exercise", "hopes-and-fears", "--exercise", "programme-evaluation",
                 "--next-session", "2030-01-02", "--note", "Take your time",
                 "--out", str(assignment)],
                stdin=PRAC + "\n",
            )  # fmt: skip
        with _home(part_home):
            book, code = service.create(PART)
            _run(["import", str(assignment)], stdin=PART + "\n", keys=["y"])
            book.vault.reload()
            for change in (
                model.set_answer("hopes-and-fears", 1, "what-led-here", "Lonely, «quiet» days"),
                model.set_answer("hopes-and-fears", 1, "hopes", ["a calmer life", "honesty"]),
                model.set_answer("hopes-and-fears", 1, "readiness", 7),
                model.set_flag("hopes-and-fears", 1, "what-led-here", True),
                model.set_answer("programme-evaluation", 1, "overall", 4),
                model.set_answer("programme-evaluation", 1, "recommend", True),
                model.mark_complete("programme-evaluation", 1),
                model.add_checkin(4, 2, "steady", "manual"),
            ):
                book.save(change)
            time.sleep(1.1)  # check-in times have whole seconds
            book.save(model.add_checkin(8, 6, "hard evening", "manual"))
            summary = root / "s.osps"
            _run(
                ["export", "--out", str(summary)],
                stdin=PART + "\n",
                keys=[ENTER, "See you then" + ENTER, "y"],
            )
        with _home(prac_home):
            out_csv = root / "e.csv"
            _run(["practitioner", "evaluation", str(summary), "--csv", str(out_csv)], PRAC + "\n")
        yield Files(
            root=root,
            prac_home=prac_home,
            recovery_code=code,
            keys=prac_home / "practitioner" / "keys.osppk",
            assignment=assignment,
            summary=summary,
            csv=out_csv,
            workbook=part_home / "workbook.osp",
        )
    finally:
        if saved is not None:
            os.environ["OSP_HOME"] = saved


def test_reader_imports_nothing_from_osp() -> None:
    source = (Path(__file__).parent / "osp_reader.py").read_text("utf-8")
    assert "osp_cli" not in source.split('"""', 2)[2]  # the docstring may name it, code not
    imported = {
        line.split()[1].split(".")[0]
        for line in source.splitlines()
        if line.startswith(("import ", "from "))
    }
    assert imported <= {"__future__", "base64", "csv", "hashlib", "hmac", "io", "json"} | {
        "struct",
        "dataclasses",
        "typing",
        "cryptography",
    }


def test_key_file(files: Files) -> None:
    from osp_cli.exchange import keystore

    blob = files.keys.read_bytes()
    ours = osp_reader.open_key_file(blob, PRAC)
    theirs = keystore.unlock(blob, PRAC)
    assert (ours.x25519_private, ours.x25519_public) == (
        theirs.x25519_private,
        theirs.x25519_public,
    )
    assert (ours.ed25519_private, ours.ed25519_public) == (
        theirs.ed25519_private,
        theirs.ed25519_public,
    )
    with _home(files.prac_home):
        whoami = _run(["practitioner", "whoami"])
    assert osp_reader.fingerprint(ours.x25519_public, ours.ed25519_public) in whoami.output


def test_assignment(files: Files) -> None:
    from osp_cli.exchange import assignment

    blob = files.assignment.read_bytes()
    signer, body = osp_reader.read_assignment(blob)
    keys = osp_reader.open_key_file(files.keys.read_bytes(), PRAC)
    assert signer == keys.ed25519_public
    assert body == assignment.decode(blob).to_json()
    assert body["participant_ref"] == "P-0412" and body["session"] == 2

    tampered = bytearray(blob)
    tampered[60] ^= 1
    with pytest.raises(InvalidSignature):
        osp_reader.read_assignment(bytes(tampered))


def test_sealed_summary(files: Files) -> None:
    from osp_cli.exchange import keystore, sealed
    from osp_cli.exchange import summary as summary_mod

    blob = files.summary.read_bytes()
    keys = osp_reader.open_key_file(files.keys.read_bytes(), PRAC)
    ours = osp_reader.open_summary(blob, keys)
    pair = keystore.unlock(files.keys.read_bytes(), PRAC)
    plain = sealed.open_sealed(blob, pair.x25519_private, pair.x25519_public)
    assert ours == summary_mod.from_bytes(plain).to_json()
    answers = {q["id"]: q["answer"] for e in ours["exercises"] for q in e["questions"]}
    assert answers["what-led-here"] == "Lonely, «quiet» days"
    assert {"exercise_id": "hopes-and-fears", "question_id": "what-led-here"} in ours["flagged"]


def test_workbook_with_passphrase_and_recovery_code(files: Files) -> None:
    blob = files.workbook.read_bytes()
    by_passphrase = osp_reader.open_workbook(blob, passphrase=PART)
    by_code = osp_reader.open_workbook(blob, recovery_code=files.recovery_code)
    assert by_passphrase == by_code
    with _home(files.root / "part"):
        theirs = _plain(service.open_with_passphrase(PART).payload)
    assert by_passphrase == theirs
    with pytest.raises(InvalidToken):
        osp_reader.open_workbook(blob, passphrase="not the passphrase at all")


def test_evaluation_csv(files: Files) -> None:
    rows = osp_reader.load_evaluation_csv(files.csv.read_text("utf-8"))
    upset = sorted(int(r["value"]) for r in rows if r["measure"] == "upset")
    assert upset == [4, 8]
    overall = [r for r in rows if r["measure"] == "programme-evaluation/overall"]
    assert [r["value"] for r in overall] == ["4"]
    for row in rows:
        assert row["participant_ref"] == "P-0412"
        assert row["time"][19:] in ("+00:00", "Z") or "+" in row["time"][10:]
