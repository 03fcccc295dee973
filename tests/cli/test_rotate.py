"""'osp practitioner rotate': a new key pair with a hand-over signed by the old key; the
participant's osp accepts the new key after showing both fingerprints; summaries sealed
to the old key still open (issue 12.11)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from cli_run import PART, PRAC, flat, home, practitioner, run
from exchange_data import make_summary
from test_exchange_cli import assign, do_import

from osp_cli import crypto
from osp_cli.exchange import handover, keystore, sealed
from osp_cli.workbook import service
from osp_cli.workbook.service import Workbook


@pytest.fixture
def prac(tmp_path: Path) -> Path:
    assert practitioner(tmp_path, ["init"], stdin=f"{PRAC}\n{PRAC}\n").exit_code == 0
    return tmp_path


@pytest.fixture
def book(new_workbook: tuple[Workbook, str]) -> Workbook:
    return new_workbook[0]


def _key_file(prac_home: Path) -> Path:
    return prac_home / "prac" / "practitioner" / "keys.osppk"


def _fingerprint(prac_home: Path) -> str:
    return keystore.public_info(_key_file(prac_home).read_bytes()).fingerprint


def test_rotate_hands_over_and_the_old_key_still_opens(
    prac: Path, book: Workbook, tmp_path: Path
) -> None:
    assert do_import(assign(prac, "a1.ospa")).exit_code == 0
    old_public = keystore.public_info(_key_file(prac).read_bytes())
    old_summary = tmp_path / "old.osps"
    summary = dataclasses.replace(make_summary(), participant_ref="P-0142")
    old_summary.write_bytes(
        sealed.seal(summary.to_bytes(), old_public.x25519_public, crypto.new_signing_key())
    )
    out = tmp_path / "handover.osph"
    rotated = practitioner(prac, ["rotate", "--out", str(out)])
    assert rotated.exit_code == 0, rotated.output
    new_fp = _fingerprint(prac)
    assert new_fp != old_public.fingerprint
    assert old_public.fingerprint in flat(rotated) and new_fp in flat(rotated)
    who = practitioner(prac, ["whoami"], stdin="")
    assert new_fp in flat(who) and old_public.fingerprint in flat(who)
    # A summary sealed to the old key still opens, and can be kept in the caseload.
    opened = practitioner(prac, ["open", str(old_summary)])
    assert opened.exit_code == 0, opened.output
    received = practitioner(prac, ["receive", str(old_summary)])
    assert received.exit_code == 0, received.output
    # The participant sees both fingerprints, confirms, and then trusts the new key.
    statement = handover.decode(out.read_bytes())
    assert statement.old_fingerprint == old_public.fingerprint
    result = do_import(out, keys=("y",))
    assert result.exit_code == 0, result.output
    assert old_public.fingerprint in flat(result) and new_fp in flat(result)
    pinned = service.open_with_passphrase(PART).payload.practitioner
    assert pinned is not None and pinned.fingerprint == new_fp
    # Assignments signed by the new key are accepted from now on.
    assert do_import(assign(prac, "a2.ospa"), keys=()).exit_code == 0


def test_a_hand_over_not_confirmed_changes_nothing(
    prac: Path, book: Workbook, tmp_path: Path
) -> None:
    assert do_import(assign(prac, "a1.ospa")).exit_code == 0
    before = service.open_with_passphrase(PART).payload.practitioner
    out = tmp_path / "handover.osph"
    assert practitioner(prac, ["rotate", "--out", str(out)]).exit_code == 0
    result = do_import(out, keys=("n",))
    assert result.exit_code == 1
    assert service.open_with_passphrase(PART).payload.practitioner == before


def test_a_hand_over_from_another_key_is_refused(
    prac: Path, book: Workbook, tmp_path: Path
) -> None:
    assert do_import(assign(prac, "a1.ospa")).exit_code == 0
    before = service.open_with_passphrase(PART).payload.practitioner
    stranger = tmp_path / "stranger"
    with home(stranger / "prac"):
        assert run(["practitioner", "init"], stdin=f"{PRAC}\n{PRAC}\n").exit_code == 0
        out = tmp_path / "evil.osph"
        assert run(["practitioner", "rotate", "--out", str(out)], stdin=PRAC + "\n").exit_code == 0
    result = do_import(out, keys=("y",))
    assert result.exit_code == 4, result.output
    assert "not signed by the practitioner key your workbook trusts" in flat(result)
    assert service.open_with_passphrase(PART).payload.practitioner == before
    tampered = bytearray(out.read_bytes())
    tampered[50] ^= 1
    out.write_bytes(bytes(tampered))
    assert do_import(out, keys=("y",)).exit_code == 4


def test_a_hand_over_before_any_assignment_is_refused(
    prac: Path, book: Workbook, tmp_path: Path
) -> None:
    out = tmp_path / "handover.osph"
    assert practitioner(prac, ["rotate", "--out", str(out)]).exit_code == 0
    result = do_import(out, keys=())
    assert result.exit_code == 1, result.output
    assert "does not trust a practitioner key yet" in flat(result)
    assert service.open_with_passphrase(PART).payload.practitioner is None


def test_a_hand_over_imported_again_changes_nothing(
    prac: Path, book: Workbook, tmp_path: Path
) -> None:
    assert do_import(assign(prac, "a1.ospa")).exit_code == 0
    out = tmp_path / "handover.osph"
    assert practitioner(prac, ["rotate", "--out", str(out)]).exit_code == 0
    assert do_import(out, keys=("y",)).exit_code == 0
    after = service.open_with_passphrase(PART).payload.practitioner
    again = do_import(out, keys=())
    assert again.exit_code == 0, again.output
    assert "already trusts this new key" in flat(again)
    assert service.open_with_passphrase(PART).payload.practitioner == after
