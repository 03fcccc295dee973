"""The one-step install: ``python -m build`` makes a wheel and an sdist, and the wheel
installs into a clean virtual environment where ``osp`` works from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from osp_cli import __version__

if os.environ.get("OSP_REQUIRE_PACKAGING"):  # .ci/run: a missing tool fails, never skips
    import build  # noqa: F401
else:
    pytest.importorskip(
        "build", reason="the 'build' package is not installed (pip install -e '.[test]' has it)"
    )
pytestmark = [pytest.mark.packaging, pytest.mark.timeout(600)]

ROOT = Path(__file__).resolve().parents[2]


def _bin(env_dir: Path, name: str) -> Path:
    scripts = "Scripts" if sys.platform == "win32" else "bin"
    return env_dir / scripts / (name + (".exe" if sys.platform == "win32" else ""))


def _run(args: list[str | Path], **kw: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=500, check=False, **kw
    )  # type: ignore[call-overload]
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    assert isinstance(done, subprocess.CompletedProcess)
    return done


def test_wheel_and_sdist_build_and_the_wheel_installs_cleanly(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "build", "--outdir", dist, ROOT], cwd=ROOT)
    wheel = dist / f"osp-{__version__}-py3-none-any.whl"
    sdist = dist / f"osp-{__version__}.tar.gz"
    assert wheel.is_file() and sdist.is_file()
    with zipfile.ZipFile(wheel) as zipped:
        names = zipped.namelist()
    assert "osp_cli/platform.py" in names
    assert "osp_cli/_exercises/hopes-and-fears.toml" in names
    assert not any(n.startswith(("tests/", "bench/")) for n in names)
    with tarfile.open(sdist) as tarred:
        members = tarred.getnames()
    assert f"osp-{__version__}/pyproject.toml" in members
    assert f"osp-{__version__}/exercises/hopes-and-fears.toml" in members

    # A clean environment: no access to this checkout or to the test environment.
    env_dir = tmp_path / "clean"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    _run([_bin(env_dir, "python"), "-m", "pip", "install", "--quiet", wheel])
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["OSP_HOME"] = str(tmp_path / "home")
    osp = _bin(env_dir, "osp")
    version = _run([osp, "--version"], cwd=outside, env=env)
    assert version.stdout.strip() == f"osp {__version__}"
    support = _run([osp, "support"], cwd=outside, env=env)
    assert "0808 1000 900" in support.stdout and "116 123" in support.stdout
    assert not (tmp_path / "home").exists()  # support needs no workbook and makes none
    # The code and the exercises came from the wheel, not from this checkout.
    where = _run(
        [_bin(env_dir, "python"), "-c",
         "import osp_cli; from osp_cli.exercises.catalogue import builtin_dir, builtin_exercises;"
         "print(osp_cli.__file__); print(builtin_dir()); print(len(builtin_exercises()))"],
        cwd=outside, env=env,
    )  # fmt: skip
    module_file, exercises_dir, count = where.stdout.split("\n")[:3]
    assert Path(module_file).is_relative_to(env_dir)
    assert Path(exercises_dir) == Path(module_file).parent / "_exercises"
    assert int(count) == len(list((ROOT / "exercises").glob("*.toml")))
