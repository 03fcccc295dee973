"""Build osp as one program file that runs without Python (PyInstaller, one-file mode).

Run it on the system the program is for (PyInstaller does not cross-build):

    python -m pip install '.[package]'
    python packaging/build_single_file.py            # -> dist/osp, or dist\\osp.exe

The same command works on Linux, macOS and Windows; docs/install.md says how to sign and
hand the file over. ``--dist DIR`` and ``--work DIR`` choose where the program and the
build's scratch files go.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Test tools that PyInstaller would otherwise pull in through optional imports when they
# are installed beside osp (as in a developer's environment): never used by osp itself.
EXCLUDE = (
    "tkinter", "hypothesis", "mypy", "mypyc", "pytest", "_pytest", "IPython", "numpy",
    "pandas", "jsonschema", "pexpect", "pyte",
)  # fmt: skip


def pyinstaller_args(dist: Path, work: Path) -> list[str]:
    args = [
        str(ROOT / "packaging" / "osp_main.py"),
        "--onefile",
        "--console",
        "--name=osp",
        "--noconfirm",
        "--log-level=WARN",
        f"--distpath={dist}",
        f"--workpath={work}",
        f"--specpath={work}",
        # Ctrl-C reaches the whole process group, osp included: the bootloader must not
        # send osp a second SIGINT while it is saving and closing.
        "--bootloader-ignore-signals",
        # Commands and report renderers are imported by name when first used.
        "--collect-submodules=osp_cli",
        # The built-in exercises sit where an installed wheel keeps them.
        f"--add-data={ROOT / 'exercises'}{os.pathsep}osp_cli/_exercises",
    ]
    args += [f"--exclude-module={name}" for name in EXCLUDE]
    return args


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    options = parser.parse_args(argv)
    try:
        import PyInstaller.__main__ as pyinstaller  # noqa: PLC0415 - optional tool
    except ImportError:
        sys.exit("PyInstaller is not installed: python -m pip install '.[package]'")
    dist, work = Path(options.dist).resolve(), Path(options.work).resolve()
    pyinstaller.run(pyinstaller_args(dist, work))
    program = dist / ("osp.exe" if sys.platform == "win32" else "osp")
    sys.stdout.write(f"Built {program}\n")
    return program


if __name__ == "__main__":
    main()
