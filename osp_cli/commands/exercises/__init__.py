"""The bodies of ``osp exercises`` commands, one module per command (the front, with the
options and help, is osp_cli/cli/exercises_cmd.py)."""
