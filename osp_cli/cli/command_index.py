"""Generated from the command modules: do not edit. Regenerate with
OSP_UPDATE_SNAPSHOTS=1 pytest tests/cli/test_help_snapshots.py

'osp --help' lists the commands from here, so it need not import every module.
"""

# (name, module, first paragraph of its help)
COMMANDS: tuple[tuple[str, str, str], ...] = (
    (
        "list",
        "workbook_cmds",
        "List the exercises by session, with your progress in each.",
    ),
    (
        "do",
        "workbook_cmds",
        "Work through one exercise. Picks up where you left off.",
    ),
    (
        "next",
        "workbook_cmds",
        "Carry on with your next exercise.",
    ),
    (
        "review",
        "workbook_cmds",
        "Read your own answers.",
    ),
    (
        "edit",
        "workbook_cmds",
        "Change one of your answers. Your earlier answer is filled in to start from.",
    ),
    (
        "checkin",
        "workbook_cmds",
        "A quick check-in: how you feel, and any urges.",
    ),
    (
        "progress",
        "workbook_cmds",
        "Your progress and check-ins, as a chart.",
    ),
    (
        "plan",
        "workbook_cmds",
        "My plan, built from your own answers.",
    ),
    (
        "init",
        "vault_cmds",
        "Create your encrypted workbook: passphrase, recovery code, privacy notice.",
    ),
    (
        "support",
        "vault_cmds",
        "Where to get help right now. Works without unlocking.",
    ),
    (
        "passphrase",
        "vault_cmds",
        "Change your passphrase. Your answers stay as they are.",
    ),
    (
        "recover",
        "vault_cmds",
        "Use your recovery code to set a new passphrase. You then get a new recovery code.",
    ),
    (
        "backup",
        "vault_cmds",
        "Copy your workbook somewhere else. The copy stays encrypted.",
    ),
    (
        "restore",
        "vault_cmds",
        "Bring back an encrypted copy made with 'osp backup'. Replaces the current workbook.",
    ),
    (
        "erase",
        "vault_cmds",
        "Destroy your workbook for good, after you type a confirmation.",
    ),
    (
        "import",
        "exchange_cmds",
        "Import the signed assignment file your practitioner gave you.",
    ),
    (
        "export",
        "exchange_cmds",
        "Make a sealed summary that only your practitioner can open.",
    ),
    (
        "whoami",
        "exchange_cmds",
        "Show your workbook's fingerprint, to read aloud to your practitioner.",
    ),
    (
        "exercises",
        "exercises_cmd",
        "Tools for writing your own exercises.",
    ),
    (
        "practitioner",
        "practitioner_cmds",
        "For practitioners: keys, signed assignments, summaries, your caseload, evaluation data.",
    ),
)
