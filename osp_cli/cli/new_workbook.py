"""Choosing a new passphrase, and the first steps of a new workbook: light, for the fronts.

``osp init`` and the first run of ``osp`` (no workbook yet) both start with
:func:`first_steps`: its first words are written without Rich, and the command's body
loads in the background while the passphrase is typed. The body then creates the
workbook with that passphrase (``osp_cli.commands.init.run_init``).

:func:`choose_passphrase` is also what ``osp passphrase`` and ``osp recover`` ask with,
once the workbook is open.
"""

from __future__ import annotations

from collections.abc import Sequence

from osp_cli import messages, paths
from osp_cli.cli import front
from osp_cli.errors import UserError
from osp_cli.ui.lines import say
from osp_cli.ui.secret import read_secret
from osp_cli.vault.layout import workbook_exists

TRIES = 3
#: The strength check (zxcvbn): loads while the first try is typed.
STRENGTH = "osp_cli.ui.strength"


def choose_passphrase(
    load_meanwhile: Sequence[str] = (),
    *,
    prompt: str = "Choose a passphrase: ",
    refusal: str = "No passphrase was set.",
) -> str:
    """A new passphrase, typed twice, strong enough (three tries). ``load_meanwhile``
    loads while the first one is typed; ``refusal`` is said after three failed tries
    (osp practitioner init asks with its own words). The caller deletes it once used."""
    for _ in range(TRIES):
        first = read_secret(prompt, load_meanwhile=(*load_meanwhile, STRENGTH))
        problem = front.module(STRENGTH).passphrase_problem(first)
        if problem:
            say(f"That passphrase is too weak. {problem}")
            continue
        second = read_secret("Type it again: ")
        if second != first:
            say("The two did not match. Let's try again.")
            continue
        return first
    raise UserError(refusal, hint="Run the command again when you are ready.")


def first_steps(also: Sequence[str] = ()) -> str:
    """Before a workbook is created: check there is none and that we can ask, say what
    is about to happen (without Rich), and return the passphrase chosen while the body of
    ``osp init`` (and ``also``) loads."""
    front.require_terminal("Creating a workbook")
    if workbook_exists(paths.workbook_path()):
        raise UserError(
            "A workbook already exists on this computer.",
            hint="Run 'osp' to open it. To start again, 'osp erase' destroys it first.",
        )
    say("Let's set up your private workbook.\n", "bold")
    say(messages.CONFIDENTIALITY + "\n")
    say(
        "First, choose a passphrase. You will type it each time you open osp. "
        "Nothing shows on screen while you type."
    )
    return choose_passphrase(load_meanwhile=(front.body_name("init"), front.SERVICE, *also))
