"""osp writes every kind of file; the independent reader (osp_reader.py, written from the
docs alone) opens each one and must agree with osp's own reading.

If this fails after a format change, the documents are out of date: fix docs/formats.md
or docs/vault-format.md first, then make osp_reader.py follow the documents.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import osp_reader
import pytest
from cli_run import PART, PRAC
from cli_run import home as osp_home
from cryptography.exceptions import InvalidSignature
from cryptography.fernet import InvalidToken
from produce import Files, produce, run_osp

from osp_cli.workbook import service


def _plain(value: Any) -> Any:
    """osp's own reading as plain JSON-like data (typed records become dicts)."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    return produce(tmp_path_factory.mktemp("interop"))


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
    with osp_home(files.prac_home):
        whoami = run_osp(["practitioner", "whoami"])
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
    signer, ours = osp_reader.open_signed_summary(blob, keys)
    pair = keystore.unlock(files.keys.read_bytes(), PRAC)
    opened = sealed.open_signed(blob, pair.x25519_private, pair.x25519_public)
    assert ours == summary_mod.from_bytes(opened.plaintext).to_json()
    assert signer is not None and signer == opened.signer  # signed by the workbook key
    answers = {q["id"]: q["answer"] for e in ours["exercises"] for q in e["questions"]}
    assert answers["what-led-here"] == "Lonely, «quiet» days"
    flagged = {"exercise_id": "hopes-and-fears", "question_id": "what-led-here", "entry": None}
    assert flagged in ours["flagged"]


def test_workbook_with_passphrase_and_recovery_code(files: Files) -> None:
    blob = files.workbook.read_bytes()
    by_passphrase = osp_reader.open_workbook(blob, passphrase=PART)
    by_code = osp_reader.open_workbook(blob, recovery_code=files.recovery_code)
    assert by_passphrase == by_code
    with osp_home(files.root / "part"):
        theirs = _plain(service.open_with_passphrase(PART).payload)
    assert by_passphrase == theirs
    with pytest.raises(InvalidToken):
        osp_reader.open_workbook(blob, passphrase="not the passphrase at all")


def test_workbook_with_saves_in_its_journal(files: Files, tmp_path: Path) -> None:
    """Saves not yet folded into the file: the reader applies the journal (as documented)
    and agrees with osp about the latest answers, drafts, check-ins and entries."""
    import shutil

    from osp_cli.vault.journal import journal_path
    from osp_cli.workbook import model

    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    shutil.copyfile(files.workbook, home / "workbook.osp")
    shutil.copyfile(journal_path(files.workbook), journal_path(home / "workbook.osp"))
    diary = "mood-and-sleep-log"
    with osp_home(home):
        book = service.open_with_passphrase(PART)
        for change in (
            model.set_answer("hopes-and-fears", 1, "what-led-here", "Changed «later»"),
            model.skip("hopes-and-fears", 1, "readiness"),
            model.set_flag("hopes-and-fears", 1, "what-led-here", False),
            model.set_draft("hopes-and-fears", 1, "fears", "half typed"),
            model.both(
                model.set_answer("hopes-and-fears", 1, "hopes", ["one", "two"]),
                model.set_partial("hopes-and-fears", "hopes", True),
            ),
            model.set_reflection("hopes-and-fears", 1, "A reflection"),
            model.mark_complete("hopes-and-fears", 1),
            model.set_answer(diary, 1, "mood", 3),
            model.mark_complete(diary, 1),
            model.start_entry(diary, 1),
            model.set_draft(diary, 1, "notes", "to go"),
            model.clear_draft(diary, "notes"),
            model.add_checkin(6, 3, "after the journal", "before:" + diary, True),
            model.record_export(["hopes-and-fears"], {diary: (1,)}),
        ):
            book.save(change)
        theirs = _plain(book.payload)
    blob = (home / "workbook.osp").read_bytes()
    journal = journal_path(home / "workbook.osp").read_bytes()
    assert blob == files.workbook.read_bytes()  # every save went to the journal
    ours = osp_reader.open_workbook(blob, passphrase=PART, journal=journal)
    assert ours == theirs
    assert ours["exercises"][diary]["entries"][-1]["number"] == 2
    assert ours != osp_reader.open_workbook(blob, passphrase=PART)  # the saves are there only
    tampered = bytearray(journal)
    tampered[-40] ^= 1
    with pytest.raises((osp_reader.Unreadable, InvalidToken)):
        osp_reader.open_workbook(blob, passphrase=PART, journal=bytes(tampered))


def test_evaluation_csv(files: Files) -> None:
    rows = osp_reader.load_evaluation_csv(files.csv.read_text("utf-8"))
    upset = sorted(int(r["value"]) for r in rows if r["measure"] == "upset")
    assert upset == [4, 8]
    overall = [r for r in rows if r["measure"] == "programme-evaluation/overall"]
    assert [r["value"] for r in overall] == ["4"]
    for row in rows:
        assert row["participant_ref"] == "P-0412"
        assert row["time"][19:] in ("+00:00", "Z") or "+" in row["time"][10:]


def test_worked_examples_open() -> None:
    """docs/format-examples.md holds real files (made by make_examples.py): each opens
    with the independent reader, so the examples match the formats osp writes now."""
    import base64
    import re

    doc = (Path(__file__).parents[2] / "docs" / "format-examples.md").read_text("utf-8")
    blobs = {
        name: base64.b64decode("".join(body.split()))
        for name, body in re.findall(r"```base64 (\S+)\n(.*?)```", doc, re.S)
    }
    assert set(blobs) == {"keys.osppk", "assignment.ospa", "summary.osps", "workbook.osp"}
    code = re.search(r"recovery code: `([^`]+)`", doc)
    assert code is not None and PRAC in doc and PART in doc
    keys = osp_reader.open_key_file(blobs["keys.osppk"], PRAC)
    signer, body = osp_reader.read_assignment(blobs["assignment.ospa"])
    assert signer == keys.ed25519_public and body["participant_ref"] == "P-0412"
    summary = osp_reader.open_summary(blobs["summary.osps"], keys)
    assert summary["participant_ref"] == "P-0412"
    payload = osp_reader.open_workbook(blobs["workbook.osp"], passphrase=PART)
    assert payload == osp_reader.open_workbook(blobs["workbook.osp"], recovery_code=code[1])
    csv_text = doc.split("```csv\n", 1)[1].split("```", 1)[0]
    assert osp_reader.load_evaluation_csv(csv_text)
