"""osp practitioner init: choose the passphrase, make the key pairs, show the fingerprint
(the front has checked there are no keys yet and read the first passphrase)."""

from __future__ import annotations

from osp_cli.crypto import new_key_pairs
from osp_cli.errors import UserError
from osp_cli.exchange import files, keystore
from osp_cli.ui.lines import say
from osp_cli.ui.safe import path_text
from osp_cli.ui.secret import passphrase_problem, read_secret

TRIES = 3
PROMPT = "New practitioner passphrase: "


def chosen(first: str) -> str:
    """A strong passphrase typed the same twice, in at most three tries (``first``: the
    first try, already read)."""
    candidate = first
    for attempt in range(TRIES):
        if attempt:
            candidate = read_secret(PROMPT)
        problem = passphrase_problem(candidate)
        if problem:
            say(f"That passphrase is too weak. {problem}")
            continue
        if read_secret("Type it again: ") != candidate:
            say("The two did not match. Let's try again.")
            continue
        return candidate
    raise UserError("No passphrase was set, so no keys were made.")


def run(*, first: str) -> None:
    passphrase = chosen(first)
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
