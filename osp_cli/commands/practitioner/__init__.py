"""The bodies of ``osp practitioner`` commands, one module per command (its front, with
the options and help, is in osp_cli/cli/practitioner_cmds.py or caseload_cmds.py).

Shared by several of them: :mod:`.keys` (the key file, unlocking the current and the
retired key pairs), :mod:`.summaries` (opening a sealed summary and checking its sender)
and :mod:`.inbox` (unlocking the caseload store with the same passphrase).
"""
