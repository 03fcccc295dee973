"""Entry point of the single-file build (PyInstaller runs this file as a script)."""

from osp_cli.cli.app import main

if __name__ == "__main__":
    main()
