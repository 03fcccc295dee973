"""The bodies of osp's commands: one module per command, with all its imports at the top.

Each module has a ``run`` function that its front (osp_cli/cli/*_cmds.py, the options and
help) calls once the light first steps are done: see osp_cli/cli/front.py. Nothing
imports these modules except the fronts, through ``front.command``, and each other where
one command's screen offers another (the home menu).
"""
