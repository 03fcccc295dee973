"""The bodies of ``osp practitioner`` commands, one module per command (its front, with
the options and help, is in osp_cli/cli/practitioner_cmds.py or caseload_cmds.py).

Shared by several of them: :mod:`.public_keys` (the key files, read without the
passphrase), :mod:`.keys` (unlocking the current and the retired key pairs),
:mod:`.summaries` (opening a sealed summary and checking its sender) and :mod:`.inbox`
(the caseload store, unlocked with the same passphrase).
"""
