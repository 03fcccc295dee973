"""Entry point for ``python -m osp_cli``."""

from osp_cli.cli.app import main

if __name__ == "__main__":
    main()
