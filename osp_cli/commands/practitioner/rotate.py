"""osp practitioner rotate: a new key pair, with a hand-over signed by the old one (the
front has checked the output file and read the passphrase)."""

from __future__ import annotations

from pathlib import Path

from osp_cli import crypto
from osp_cli.exchange import files, folder, handover, keystore, pins
from osp_cli.ui.lines import say
from osp_cli.ui.safe import path_text


def run(*, passphrase: str, out: Path) -> None:
    path = files.existing_key_file()
    blob = files.read_key_file(path)
    before = keystore.public_info(blob)
    old = keystore.unlock(blob, passphrase)
    say("Making your new keys (this takes a moment)...")
    new = crypto.new_key_pairs()
    new_blob = keystore.encode(new, passphrase)
    del passphrase
    # The hand-over first: if it cannot be written, nothing has changed.
    files.write_private(out, handover.encode(old, new))
    retired = files.practitioner_dir() / files.RETIRED_DIR
    retired.mkdir(mode=0o700, exist_ok=True)
    kept = retired / f"keys-{before.fingerprint.replace(' ', '')}.osppk"
    files.write_private(kept, blob, overwrite=False)
    # The pins move to the new keys' store key (read with the old one).
    known = folder.load_pins(pins.store_key(old.x25519_private))
    files.write_private(path, new_blob)
    if known.pins:
        folder.update_pins(
            pins.store_key(new.x25519_private), lambda store: store.pins.update(known.pins)
        )
    after = keystore.public_info(new_blob)
    say("\nYour new keys are ready.", "bold green")
    say(f"Old fingerprint: {before.fingerprint}")
    say(f"New fingerprint: {after.fingerprint}", "bold")
    say(
        f"Give {path_text(out)} to each participant with their next assignment, and read "
        "both fingerprints to them. Summaries sealed to your old key still open."
    )
