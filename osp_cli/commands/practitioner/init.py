"""osp practitioner init: make the key pairs and show the fingerprint (the front has
checked there are no keys yet and had the passphrase chosen, while this loaded)."""

from __future__ import annotations

from osp_cli.crypto import new_key_pairs
from osp_cli.exchange import files, keystore
from osp_cli.ui.lines import say
from osp_cli.ui.safe import path_text


def run(*, passphrase: str) -> None:
    say("Creating your keys (this takes a moment)...")
    blob = keystore.encode(new_key_pairs(), passphrase)
    del passphrase
    files.practitioner_dir(create=True)
    files.write_private(files.key_file(), blob, overwrite=False)
    info = keystore.public_info(blob)
    say("\nYour practitioner keys are ready.", "bold green")
    say(f"Fingerprint: {info.fingerprint}", "bold")
    say(
        "Read this fingerprint aloud to each participant when you give them their first "
        "assignment; osp asks them to check it. Keep a backup of the folder "
        f"{path_text(files.practitioner_dir())}: without it you cannot open summaries."
    )
