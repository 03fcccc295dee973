"""Who sent a summary: the workbook signs it inside the seal, the practitioner's osp pins
each participant reference to its key, and every view says what it found (issue 12.1)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest
from cli_run import PART, PRAC, flat, home, practitioner, run
from exchange_data import make_summary
from test_exchange_cli import ENTER, answer, assign, do_import, export

from osp_cli import crypto
from osp_cli.errors import DamagedFile
from osp_cli.exchange import keystore, sealed
from osp_cli.exchange import summary as summary_mod
from osp_cli.workbook import identity, model, service
from osp_cli.workbook.progress import CheckIn
from osp_cli.workbook.service import Workbook


@pytest.fixture
def prac(tmp_path: Path) -> Path:
    """A practitioner with keys, under tmp_path / "prac"."""
    assert practitioner(tmp_path, ["init"], stdin=f"{PRAC}\n{PRAC}\n").exit_code == 0
    return tmp_path


@pytest.fixture
def book(new_workbook: tuple[Workbook, str]) -> Workbook:
    return new_workbook[0]


def _keys(prac_home: Path) -> keystore.PublicInfo:
    return keystore.public_info((prac_home / "prac" / "practitioner" / "keys.osppk").read_bytes())


def _seal(
    prac_home: Path,
    out: Path,
    signing_key: bytes | None,
    ref: str = "P-0413",
    upset: int = 3,
) -> Path:
    """A summary for ``ref`` sealed to the practitioner, signed by ``signing_key``."""
    base = make_summary()
    checkin = CheckIn("2026-03-01T09:00:00+00:00", upset, 1, "", "manual")
    summary = dataclasses.replace(base, participant_ref=ref, checkins=(checkin,))
    out.write_bytes(sealed.seal(summary.to_bytes(), _keys(prac_home).x25519_public, signing_key))
    return out


def _open(prac_home: Path, path: Path, *extra: str) -> tuple[int, str]:
    result = practitioner(prac_home, ["open", str(path), *extra])
    return result.exit_code, flat(result)


def test_forged_summary_is_refused_as_a_different_key(prac: Path, tmp_path: Path) -> None:
    real, forger = crypto.new_signing_key(), crypto.new_signing_key()
    real_shown = crypto.fingerprint(crypto.signing_public_key(real))
    code, text = _open(prac, _seal(prac, tmp_path / "first.osps", real))
    assert code == 0, text
    assert "Sender: first time seen" in text and real_shown in text
    code, text = _open(prac, _seal(prac, tmp_path / "second.osps", real))
    assert code == 0 and "Sender: verified" in text
    forged = _seal(prac, tmp_path / "forged.osps", forger)
    out = tmp_path / "forged.json"
    code, text = _open(prac, forged, "--json", str(out))
    assert code == 4, text
    assert "DIFFERENT KEY: do not rely on this" in text and "--accept-new-key" in text
    assert not out.exists()
    # The real participant's key is still the one trusted.
    assert "Sender: verified" in _open(prac, _seal(prac, tmp_path / "third.osps", real))[1]


def test_accepting_a_new_key_marks_it_then_trusts_it(prac: Path, tmp_path: Path) -> None:
    old, new = crypto.new_signing_key(), crypto.new_signing_key()
    assert _open(prac, _seal(prac, tmp_path / "a.osps", old))[0] == 0
    out = tmp_path / "b.json"
    code, text = _open(
        prac, _seal(prac, tmp_path / "b.osps", new), "--accept-new-key", "--json", str(out)
    )
    assert code == 0, text
    assert json.loads(out.read_text("utf-8"))["sender"]["check"] == "DIFFERENT KEY"
    assert "Sender: verified" in _open(prac, _seal(prac, tmp_path / "c.osps", new))[1]
    assert _open(prac, _seal(prac, tmp_path / "d.osps", old))[0] == 4


def test_every_view_shows_the_check(prac: Path, tmp_path: Path) -> None:
    path = _seal(prac, tmp_path / "old.osps", None)  # an unsigned summary, as osp 0.x wrote
    html, md, js = tmp_path / "s.html", tmp_path / "s.md", tmp_path / "s.json"
    code, text = _open(prac, path, "--html", str(html), "--markdown", str(md), "--json", str(js))
    assert code == 0, text
    assert "Sender: unverified: not signed" in html.read_text("utf-8")
    assert "Sender: unverified: not signed" in md.read_text("utf-8")
    assert json.loads(js.read_text("utf-8"))["sender"]["check"] == "unverified"
    code, text = _open(prac, path)
    assert code == 0 and "Sender: unverified: not signed" in text
    assert "older version of osp" in text


def test_pins_belong_to_the_practitioner_keys(prac: Path, tmp_path: Path) -> None:
    key = crypto.new_signing_key()
    assert _open(prac, _seal(prac, tmp_path / "a.osps", key))[0] == 0
    pin_file = prac / "prac" / "practitioner" / "pins.osppn"
    assert b"P-0413" not in pin_file.read_bytes()  # encrypted
    pin_file.write_bytes(pin_file.read_bytes()[:-3] + b"xyz")  # tampered: never trusted
    code, text = _open(prac, _seal(prac, tmp_path / "b.osps", key))
    assert code == 4 and "known participant keys is damaged" in text


def test_evaluation_marks_forged_and_duplicate_rows(prac: Path, tmp_path: Path) -> None:
    real, forger = crypto.new_signing_key(), crypto.new_signing_key()
    files = [
        _seal(prac, tmp_path / "real.osps", real, upset=3),
        _seal(prac, tmp_path / "again.osps", real, upset=3),  # the same rows again
        _seal(prac, tmp_path / "forged.osps", forger, upset=9),
        _seal(prac, tmp_path / "old.osps", None, ref="P-0500"),
    ]
    out = tmp_path / "eval.csv"
    result = practitioner(prac, ["evaluation", *map(str, files), "--csv", str(out)])
    assert result.exit_code == 0, result.output
    assert "forged.osps is not verified" in flat(result)
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    upset = [r for r in rows if r["participant_ref"] == "P-0413" and r["measure"] == "upset"]
    assert sorted((r["value"], r["sender"], r["duplicate"]) for r in upset) == [
        ("3", "first time seen", "yes"),
        ("9", "DIFFERENT KEY", "yes"),
    ]
    assert {r["sender"] for r in rows if r["participant_ref"] == "P-0500"} == {"unverified"}


def test_participant_signs_exports_with_his_own_key(
    prac: Path, book: Workbook, tmp_path: Path
) -> None:
    assert do_import(assign(prac, "a1.ospa")).exit_code == 0
    answer(book)
    out = tmp_path / "s.osps"
    assert export(out, [ENTER, ENTER, "y"]).exit_code == 0
    who = run(["whoami"], stdin=PART + "\n")
    assert who.exit_code == 0, who.output
    key = identity.signing_key(service.open_with_passphrase(PART).payload)
    assert key is not None
    shown = crypto.fingerprint(crypto.signing_public_key(key))
    assert shown in flat(who)
    code, text = _open(prac, out)
    assert code == 0 and "Sender: first time seen" in text and shown in text


def test_a_workbook_from_before_signing_gets_one_key_when_it_first_needs_one(
    prac: Path, book: Workbook
) -> None:
    from osp_cli.vault.store import Vault

    def drop(payload: model.Payload) -> None:
        payload.signing_key = None

    book.save(drop)
    path = service.workbook_file()
    assert Vault.open(path, PART).payload[identity.SIGNING_KEY] is None
    assert identity.signing_key(service.open_with_passphrase(PART).payload) is None
    assert do_import(assign(prac, "a1.ospa")).exit_code == 0  # made and saved here...
    first = identity.signing_key(service.open_with_passphrase(PART).payload)
    assert first is not None
    assert Vault.open(path, PART).payload[identity.SIGNING_KEY] == crypto.b64e(first)
    who = run(["whoami"], stdin=PART + "\n")  # ...and never replaced
    assert crypto.fingerprint(crypto.signing_public_key(first)) in flat(who)


def test_whoami_on_a_workbook_from_before_signing_makes_its_key(book: Workbook) -> None:
    def drop(payload: model.Payload) -> None:
        payload.signing_key = None

    book.save(drop)
    who = run(["whoami"], stdin=PART + "\n")
    assert who.exit_code == 0, who.output
    made = identity.signing_key(service.open_with_passphrase(PART).payload)
    assert made is not None  # saved, so the fingerprint read out stays the same
    assert crypto.fingerprint(crypto.signing_public_key(made)) in flat(who)


def test_a_bad_signature_inside_the_seal_is_damage(tmp_path: Path) -> None:
    with home(tmp_path / "p"):
        assert run(["practitioner", "init"], stdin=f"{PRAC}\n{PRAC}\n").exit_code == 0
    keys = keystore.unlock((tmp_path / "p" / "practitioner" / "keys.osppk").read_bytes(), PRAC)
    body = make_summary().to_bytes()
    signer = crypto.new_signing_key()
    blob = sealed.seal(body, keys.x25519_public, signer)
    opened = sealed.open_signed(blob, keys.x25519_private, keys.x25519_public)
    assert opened.signer == crypto.signing_public_key(signer)
    assert summary_mod.from_bytes(opened.plaintext) == make_summary()
    # Same signer named, but the signature is over other contents.
    signature = crypto.sign(signer, b"osp summary signature v1\x00" + b"x" * 8 + body)
    head_id = crypto.key_id(keys.x25519_public)
    inner = crypto.signing_public_key(signer) + signature + body
    padded = inner + b" " * (-len(inner) % sealed.PAD_TO)
    size = len(padded) + 48
    head = sealed.MAGIC + b"\x02" + head_id + size.to_bytes(4, "big")
    forged = head + crypto.hpke_seal(keys.x25519_public, padded, b"osp summary v2\x00" + head)
    with pytest.raises(DamagedFile, match="signature does not match"):
        sealed.open_signed(forged, keys.x25519_private, keys.x25519_public)


# --- outputs never overwrite inputs, keys or the workbook (issue 12.8) ------------------


def test_open_refuses_to_write_over_its_own_input(prac: Path, tmp_path: Path) -> None:
    path = _seal(prac, tmp_path / "s.osps", crypto.new_signing_key())
    before = path.read_bytes()
    code, text = _open(prac, path, "--json", str(path))
    assert code == 1 and "file being read" in text
    code, text = _open(prac, path, "--json", str(path), "--force")  # not even with --force
    assert code == 1 and path.read_bytes() == before


def test_outputs_never_replace_key_files_or_the_workbook(
    prac: Path, book: Workbook, tmp_path: Path
) -> None:
    path = _seal(prac, tmp_path / "s.osps", crypto.new_signing_key())
    key_file = prac / "prac" / "practitioner" / "keys.osppk"
    keys_before = key_file.read_bytes()
    code, text = _open(prac, path, "--html", str(key_file), "--force")
    assert code == 1 and "key file" in text and key_file.read_bytes() == keys_before
    workbook_file = service.workbook_file()
    result = practitioner(prac, ["evaluation", str(path), "--csv", str(workbook_file), "--force"])
    assert result.exit_code == 1 and "workbook" in flat(result)
    assert service.open_with_passphrase(PART).payload  # still a workbook
    result = practitioner(prac, ["evaluation", str(path), "--csv", str(path)])
    assert result.exit_code == 1 and "file being read" in flat(result)


def test_an_existing_file_is_replaced_only_when_asked_or_forced(prac: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from osp_cli.cli.app import app

    path = _seal(prac, tmp_path / "s.osps", crypto.new_signing_key())
    existing = tmp_path / "notes.html"
    existing.write_text("mine", encoding="utf-8")
    args = ["practitioner", "open", str(path), "--html", str(existing)]
    with home(prac / "prac"):
        # No terminal: refused, pointing to --force.
        plain = CliRunner().invoke(app, args, input=PRAC + "\n")
        assert plain.exit_code == 1 and "--force" in flat(plain)
        assert existing.read_text("utf-8") == "mine"
        # In a terminal: asked first; "no" keeps the file, "yes" replaces it.
        said_no = run(args, stdin=PRAC + "\n", keys=["n"])
        assert said_no.exit_code == 1 and "already exists" in flat(said_no)
        assert existing.read_text("utf-8") == "mine"
        said_yes = run(args, stdin=PRAC + "\n", keys=["y"])
        assert said_yes.exit_code == 0, said_yes.output
    assert "Participant" in existing.read_text("utf-8")
    existing.write_text("mine", encoding="utf-8")
    code, text = _open(prac, path, "--html", str(existing), "--force")
    assert code == 0, text
    assert "Participant" in existing.read_text("utf-8")
    same = tmp_path / "twice.txt"
    code, text = _open(prac, path, "--html", str(same), "--markdown", str(same))
    assert code == 1 and "two outputs" in text


def test_evaluation_names_ten_unverified_files_then_counts_the_rest(
    prac: Path, tmp_path: Path
) -> None:
    from osp_cli.commands.practitioner.evaluation import WARNINGS_SHOWN

    files = [_seal(prac, tmp_path / f"old-{n:02d}.osps", None, ref=f"P-{n:04d}") for n in range(13)]
    out = tmp_path / "eval.csv"
    result = practitioner(prac, ["evaluation", *map(str, files), "--csv", str(out)])
    assert result.exit_code == 0, result.output
    text = flat(result)
    assert text.count("is not verified (see the 'sender' column)") == WARNINGS_SHOWN == 10
    assert "old-09.osps is not verified" in text and "old-10.osps" not in text
    assert "3 more summaries are not verified either" in text
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert {r["participant_ref"] for r in rows if r["sender"] == "unverified"} == {
        f"P-{n:04d}" for n in range(13)
    }
