"""osp practitioner assign: build, sign and write an assignment file, from the flags
(:func:`run`, once the front has checked them and read the passphrase) or asked step by
step (:func:`run_step_by_step`)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from osp_cli.commands import exercise_file
from osp_cli.commands.practitioner import inbox, keys, public_keys
from osp_cli.crypto import KeyPairs
from osp_cli.errors import Interrupted, UserError, WrongPassphrase
from osp_cli.exchange import assignment, files, folder
from osp_cli.exchange.assignment import MAX_NOTE, Assignment
from osp_cli.exchange.keyfile import PublicInfo
from osp_cli.exercises.catalogue import builtin_exercises
from osp_cli.exercises.files import builtin_ids
from osp_cli.inbox import location
from osp_cli.ui import assign_wizard, prompts
from osp_cli.ui.assign_wizard import Choices
from osp_cli.ui.lines import say
from osp_cli.ui.safe import path_text
from osp_cli.ui.secret import read_secret

PASSPHRASE_TRIES = 3
PROMPT = "Practitioner passphrase: "


def build(choices: Choices, info: PublicInfo) -> Assignment:
    """The checked assignment for these choices (before the keys are unlocked)."""
    customs: dict[str, str] = {}
    for path in choices.custom:
        exercise, text = exercise_file.read(path)
        exercise_id = exercise.id
        if exercise_id in customs:
            raise UserError(f"Two custom files have the same exercise id '{exercise_id}'.")
        customs[exercise_id] = text
    ids = list(dict.fromkeys([*choices.exercises, *customs]))
    return assignment.build(
        participant_ref=choices.participant,
        session=choices.session,
        exercises=ids,
        custom_exercises=customs,
        next_session=choices.next_session,
        note=choices.note,
        x25519_public=info.x25519_public,
        ed25519_public=info.ed25519_public,
        sequence=1,
        builtin_ids=builtin_ids(),
    )


def finish(built: Assignment, choices: Choices, pairs: KeyPairs, info: PublicInfo) -> None:
    """Sign and write: the one path for flags and questions alike."""
    built = replace(built, sequence=folder.next_sequence())
    blob = assignment.encode(built, pairs.ed25519_private)
    files.write_private(choices.out, blob)
    count = len(built.exercises)
    say(f"Wrote the signed assignment to {path_text(choices.out)}.", "bold green")
    say(
        f"Session {built.session}, {count} exercise{'s' if count != 1 else ''}, "
        f"next session {built.next_session}."
    )
    say(f"Fingerprint to read aloud: {info.fingerprint}", "bold")


def run(
    *,
    passphrase: str,
    participant: str,
    session: int,
    exercises: list[str],
    custom: list[Path],
    next_session: str,
    note: str,
    out: Path,
) -> None:
    """From the flags: the key file and the custom exercises are checked, then the keys
    unlocked with ``passphrase`` and the assignment written."""
    choices = Choices(
        participant, session, tuple(exercises), tuple(custom), next_session, note, out
    )
    info = public_keys.current()
    built = build(choices, info)
    finish(built, choices, keys.unlock_current(passphrase), info)


def unlock_keeping_choices(choices: Choices) -> KeyPairs:
    """The passphrase, asked up to three times; the choices are never lost (after the last
    try they are printed as the equivalent command)."""
    for attempt in range(1, PASSPHRASE_TRIES + 1):
        try:
            return keys.unlock_current(read_secret(PROMPT))
        except WrongPassphrase:
            left = PASSPHRASE_TRIES - attempt
            if not left:
                say("Your choices, as a command you can run again:")
                say(choices.as_command())
                raise
            say(
                "That passphrase did not unlock your keys. Your choices are kept. "
                f"Try again ({left} {'try' if left == 1 else 'tries'} left)."
            )
    raise AssertionError("unreachable")


def run_step_by_step() -> None:
    """Asked step by step (the front has checked there are keys and a terminal); the
    passphrase comes last, unless the participant is picked from the caseload."""
    info = public_keys.current()

    def read(path: Path) -> str:
        return exercise_file.read(path)[0].id

    pairs: KeyPairs | None = None
    known: list[str] = []
    try:
        # The caseload is encrypted: picking from it means unlocking now, not last.
        if location.exists() and prompts.confirm(
            "Pick the participant from your caseload? (This asks your passphrase now.)",
            default=False,
        ):
            unlocked, store = inbox.unlock(read_secret(PROMPT))
            pairs = unlocked.current
            known = store.inbox.refs()
        choices = assign_wizard.run(dict(builtin_exercises()), known, read, MAX_NOTE)
    except (KeyboardInterrupt, EOFError):
        raise Interrupted("Stopped. No assignment was written.") from None
    if choices is None:
        say("Nothing was written.")
        return
    built = build(choices, info)
    finish(built, choices, pairs or unlock_keeping_choices(choices), info)
