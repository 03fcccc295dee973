"""The exchange formats: round trips, and every kind of tampering, wrong key and replay."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from exchange_data import CUSTOM, make_summary

from osp_cli import crypto
from osp_cli.errors import DamagedFile, ExerciseError, UserError, WrongPassphrase
from osp_cli.exchange import assignment, keystore, sealed
from osp_cli.exchange import summary as summary_mod
from osp_cli.exchange.identifying import find_identifying, ref_problem
from osp_cli.exercises.catalogue import builtin_exercises

PASS = "a long practitioner passphrase"


@pytest.fixture(scope="module")
def keys() -> crypto.KeyPairs:
    return crypto.new_key_pairs()


def _flip(blob: bytes, index: int) -> bytes:
    return blob[:index] + bytes([blob[index] ^ 0x01]) + blob[index + 1 :]


def make_assignment(keys: crypto.KeyPairs, **changes: object) -> assignment.Assignment:
    values: dict[str, object] = {
        "participant_ref": "P-0142",
        "session": 2,
        "exercises": ["hopes-and-fears", "my-extra"],
        "custom_exercises": {"my-extra": CUSTOM},
        "next_session": "2030-01-02",
        "note": "See you on Tuesday",
        "x25519_public": keys.x25519_public,
        "ed25519_public": keys.ed25519_public,
        "sequence": 7,
        "builtin_ids": list(builtin_exercises()),
    }
    values.update(changes)
    return assignment.build(**values)  # type: ignore[arg-type]


# --- key file -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def key_file(keys: crypto.KeyPairs) -> bytes:
    return keystore.encode(keys, PASS)


def test_key_file_round_trip(keys: crypto.KeyPairs, key_file: bytes) -> None:
    assert keystore.unlock(key_file, PASS) == keys
    info = keystore.public_info(key_file)
    assert info.x25519_public == keys.x25519_public
    assert info.fingerprint == crypto.fingerprint(keys.x25519_public, keys.ed25519_public)
    assert keys.x25519_private not in key_file and keys.ed25519_private not in key_file


def test_key_file_wrong_passphrase(key_file: bytes) -> None:
    with pytest.raises(WrongPassphrase):
        keystore.unlock(key_file, "not the passphrase")


def test_key_file_every_byte_flipped_is_found_without_the_passphrase(key_file: bytes) -> None:
    for index in range(len(key_file)):
        with pytest.raises(DamagedFile):
            keystore.public_info(_flip(key_file, index))
    for cut in (0, 5, 6, 40, len(key_file) - 1):
        with pytest.raises(DamagedFile):
            keystore.public_info(key_file[:cut])
    with pytest.raises(DamagedFile):
        keystore.public_info(key_file + b"\x00")


def _rechecksum(blob: bytes) -> bytes:
    return blob[:-32] + crypto.digest(blob[:-32])


def test_key_file_deliberate_header_edit_is_found_on_unlock(
    keys: crypto.KeyPairs, key_file: bytes
) -> None:
    other = crypto.new_key_pairs()
    edited = key_file.replace(
        crypto.b64e(keys.x25519_public).encode(), crypto.b64e(other.x25519_public).encode()
    )
    with pytest.raises(DamagedFile):
        keystore.unlock(_rechecksum(edited), PASS)


def test_key_file_deliberate_body_edit_does_not_unlock(key_file: bytes) -> None:
    edited = _rechecksum(_flip(key_file, len(key_file) - 60))
    with pytest.raises((WrongPassphrase, DamagedFile)):
        keystore.unlock(edited, PASS)


def test_key_file_refuses_weak_kdf_settings(key_file: bytes) -> None:
    weak = key_file.replace(b'"memory_kib":65536', b'"memory_kib":8192 ')  # same length
    assert weak != key_file
    with pytest.raises(DamagedFile, match="header"):
        keystore.public_info(_rechecksum(weak))


# --- assignments ----------------------------------------------------------------------


def test_assignment_round_trip(keys: crypto.KeyPairs) -> None:
    original = make_assignment(keys)
    blob = assignment.encode(original, keys.ed25519_private)
    assert blob[:5] == b"OSPAS" and blob[5] == 1
    decoded = assignment.decode(blob)
    assert decoded == dataclasses.replace(original, custom_exercises=decoded.custom_exercises)
    assert dict(decoded.custom_exercises) == {"my-extra": CUSTOM}
    assert assignment.decode(blob, pinned_ed25519=keys.ed25519_public) == decoded
    assert decoded.fingerprint == crypto.fingerprint(keys.x25519_public, keys.ed25519_public)


def test_assignment_every_byte_flipped_is_refused(keys: crypto.KeyPairs) -> None:
    blob = assignment.encode(make_assignment(keys), keys.ed25519_private)
    for index in range(len(blob)):
        with pytest.raises(DamagedFile):
            assignment.decode(_flip(blob, index))
    for cut in (0, 6, 38, 42, len(blob) - 64, len(blob) - 1):
        with pytest.raises(DamagedFile):
            assignment.decode(blob[:cut])
    with pytest.raises(DamagedFile):
        assignment.decode(blob + b"\n")


def test_assignment_signed_by_another_key_is_refused_after_pinning(
    keys: crypto.KeyPairs,
) -> None:
    other = crypto.new_key_pairs()
    forged = make_assignment(
        keys, x25519_public=other.x25519_public, ed25519_public=other.ed25519_public
    )
    blob = assignment.encode(forged, other.ed25519_private)
    assert assignment.decode(blob).ed25519_public == other.ed25519_public  # valid on its own
    with pytest.raises(assignment.ForeignSigner, match="different practitioner"):
        assignment.decode(blob, pinned_ed25519=keys.ed25519_public)


def test_assignment_body_key_must_be_the_signer(keys: crypto.KeyPairs) -> None:
    other = crypto.new_key_pairs()
    # Signed by `other` but claiming `keys` as the practitioner inside.
    claimed = make_assignment(keys)
    body = json.dumps(claimed.to_json(), sort_keys=True, separators=(",", ":")).encode()
    signed = b"OSPAS\x01" + other.ed25519_public + len(body).to_bytes(4, "big") + body
    blob = signed + crypto.sign(other.ed25519_private, signed)
    with pytest.raises(DamagedFile, match="signing key"):
        assignment.decode(blob)


def test_signature_is_checked_before_the_body_is_parsed(keys: crypto.KeyPairs) -> None:
    body = b"{not json at all"
    signed = b"OSPAS\x01" + keys.ed25519_public + len(body).to_bytes(4, "big") + body
    forged = signed + b"\x00" * 64
    with pytest.raises(DamagedFile, match="changed since"):
        assignment.decode(forged)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"participant_ref": "john.smith@example.com"}, "email"),
        ({"participant_ref": "John Smith"}, "full name"),
        ({"participant_ref": "JohnSmith"}, "digits"),
        ({"session": 9}, "session"),
        ({"next_session": "12/05/2026"}, "YYYY-MM-DD"),
        ({"exercises": ["no-such-exercise"], "custom_exercises": {}}, "no built-in"),
        ({"note": "x" * 3000}, "note"),
    ],
)
def test_assignment_build_refuses(
    keys: crypto.KeyPairs, change: dict[str, object], message: str
) -> None:
    with pytest.raises(UserError, match=message):
        make_assignment(keys, **change)


def test_assignment_refuses_a_bad_custom_exercise(keys: crypto.KeyPairs) -> None:
    bad = CUSTOM.replace('kind = "text"', 'kind = "essay"')
    with pytest.raises(ExerciseError):
        make_assignment(keys, custom_exercises={"my-extra": bad})


def test_sequence_numbers_only_go_up() -> None:
    first = assignment.new_sequence(0)
    assert assignment.new_sequence(first) > first
    assert assignment.new_sequence(10**15) == 10**15 + 1


# --- sealed summaries -----------------------------------------------------------------


def test_summary_round_trip(keys: crypto.KeyPairs) -> None:
    summary = make_summary(hostile=True)
    blob = sealed.seal(summary.to_bytes(), keys.x25519_public)
    assert blob[:5] == b"OSPSM" and blob[5] == 1
    assert b"P-0142" not in blob and b"script" not in blob
    assert (len(blob) - 18 - 48) % sealed.PAD_TO == 0
    opened = sealed.open_sealed(blob, keys.x25519_private, keys.x25519_public)
    assert summary_mod.from_bytes(opened) == summary


def test_summary_every_byte_flipped_is_refused(keys: crypto.KeyPairs) -> None:
    blob = sealed.seal(make_summary().to_bytes(), keys.x25519_public)
    for index in range(len(blob)):
        with pytest.raises(DamagedFile):
            sealed.open_sealed(_flip(blob, index), keys.x25519_private, keys.x25519_public)
    for cut in (0, 5, 14, 18, 50, len(blob) - 1):
        with pytest.raises(DamagedFile):
            sealed.open_sealed(blob[:cut], keys.x25519_private, keys.x25519_public)
    with pytest.raises(DamagedFile):
        sealed.open_sealed(blob + b"\x00", keys.x25519_private, keys.x25519_public)


def test_summary_for_another_practitioner(keys: crypto.KeyPairs) -> None:
    other = crypto.new_key_pairs()
    blob = sealed.seal(make_summary().to_bytes(), other.x25519_public)
    with pytest.raises(sealed.NotForThisKey, match="different practitioner key"):
        sealed.open_sealed(blob, keys.x25519_private, keys.x25519_public)
    # Even a forged recipient id does not let the wrong private key open it.
    relabelled = blob[:6] + crypto.key_id(keys.x25519_public) + blob[14:]
    with pytest.raises(DamagedFile):
        sealed.open_sealed(relabelled, keys.x25519_private, keys.x25519_public)


def test_sealed_but_malformed_summary_is_damaged(keys: crypto.KeyPairs) -> None:
    good = make_summary().to_json()
    bad_values: list[object] = [
        {**good, "schema_version": 3},
        {**good, "schema_version": 1},  # version 2 keys under version 1
        {**good, "extra": 1},
        {**good, "checkins": [{"at": "x", "feeling": 11, "urge": 0, "note": "", "context": ""}]},
        {**good, "flagged": []},
        {**good, "exercises": "nope"},
        [],
        "text",
    ]
    for value in bad_values:
        blob = sealed.seal(json.dumps(value).encode(), keys.x25519_public)
        with pytest.raises(DamagedFile):
            summary_mod.from_bytes(
                sealed.open_sealed(blob, keys.x25519_private, keys.x25519_public)
            )
    with pytest.raises(DamagedFile):
        summary_mod.from_bytes(b"\xff\xfe")


# --- identifying text and references -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("write to bob.smith@example.com", "email"),
        ("ring 07700 900123 tonight", "phone"),
        ("+44 20 7946 0958", "phone"),
        ("it was on https://example.org/x", "url"),
        ("www.example.co.uk", "url"),
        ("he was @gamer_boy_12 online", "handle"),
        ("I talked to Sarah Jones about it", "name"),
    ],
)
def test_identifying_text_is_found(text: str, kind: str) -> None:
    assert [f.kind for f in find_identifying(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "When Dad came home on Monday I felt ashamed.",
        "I was 34 in 2019 and it lasted 3 months.",
        "I Think So. Stop It Now helped.",
        "",
    ],
)
def test_ordinary_text_is_not_flagged(text: str) -> None:
    assert find_identifying(text) == []


@pytest.mark.parametrize("ref", ["P-0142", "case/2026/17", "AB12"])
def test_good_references(ref: str) -> None:
    assert ref_problem(ref) is None


@pytest.mark.parametrize(
    "ref", ["a@b.com", "John Smith", "john.smith", "JohnSmith", "x", "P 0142", "é-1", ""]
)
def test_bad_references(ref: str) -> None:
    assert ref_problem(ref)


@pytest.mark.parametrize("opener", [b"[", b'{"a":'])
def test_deeply_nested_json_is_damaged_not_a_crash(keys: crypto.KeyPairs, opener: bytes) -> None:
    body = opener * 100_000
    signed = b"OSPAS\x01" + keys.ed25519_public + len(body).to_bytes(4, "big") + body
    with pytest.raises(DamagedFile):
        assignment.decode(signed + crypto.sign(keys.ed25519_private, signed))
    blob = sealed.seal(body, keys.x25519_public)
    with pytest.raises(DamagedFile):
        summary_mod.from_bytes(sealed.open_sealed(blob, keys.x25519_private, keys.x25519_public))
    header = opener * 1000
    key_file = b"OSPPK\x01" + len(header).to_bytes(4, "big") + header + (0).to_bytes(4, "big")
    with pytest.raises(DamagedFile):
        keystore.public_info(key_file + crypto.digest(key_file))


def test_read_limited_reads_the_whole_file_and_refuses_one_too_large(tmp_path: Path) -> None:
    """It asks for the file's size, not the limit, yet still sees a file that is larger
    than its size said (a pipe reports none)."""
    import os

    from osp_cli.errors import UserError
    from osp_cli.exchange.files import read_limited

    small = tmp_path / "small"
    small.write_bytes(b"x" * 1000)
    assert read_limited(small, 1000, "a test file") == b"x" * 1000
    with pytest.raises(UserError, match="too large"):
        read_limited(small, 999, "a test file")
    read_end, write_end = os.pipe()
    os.write(write_end, b"y" * 3000)
    os.close(write_end)
    pipe = tmp_path / "pipe"
    os.symlink(f"/proc/self/fd/{read_end}", pipe)
    try:
        with pytest.raises(UserError, match="too large"):
            read_limited(pipe, 2000, "a test file")
    finally:
        os.close(read_end)
