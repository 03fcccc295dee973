"""requirements.lock (pip-compile --generate-hashes) agrees with pyproject.toml: every
runtime dependency is pinned there, at a version the project accepts, with hashes
(issue 12.10). Regenerate it with the command in its header."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
REGENERATE = (
    "pip-compile --generate-hashes --no-emit-find-links --no-emit-index-url "
    "--output-file=requirements.lock --strip-extras pyproject.toml"
)


def _locked() -> dict[str, tuple[str, list[str]]]:
    """name → (version, hashes) from requirements.lock."""
    text = (ROOT / "requirements.lock").read_text("utf-8")
    found: dict[str, tuple[str, list[str]]] = {}
    for block in re.split(r"\n(?=\S)", text):
        head = re.match(r"([A-Za-z0-9_.\-]+)==([^\s\\]+)", block)
        if head:
            hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", block)
            found[canonicalize_name(head.group(1))] = (head.group(2), hashes)
    return found


def test_every_runtime_dependency_is_locked_with_hashes() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    locked = _locked()
    assert locked, "requirements.lock has no pinned packages"
    for line in project["dependencies"]:
        wanted = Requirement(line)
        name = canonicalize_name(wanted.name)
        assert name in locked, f"{name} is missing from requirements.lock; run: {REGENERATE}"
        version, _hashes = locked[name]
        assert wanted.specifier.contains(version, prereleases=True), (
            f"requirements.lock pins {name}=={version}, outside {wanted.specifier}; "
            f"run: {REGENERATE}"
        )
    for pinned, (version, hashes) in locked.items():
        assert hashes, f"{pinned}=={version} has no hash in requirements.lock"


def test_the_lock_says_how_it_was_made_and_the_readme_how_to_use_it() -> None:
    header = (ROOT / "requirements.lock").read_text("utf-8")
    assert "--generate-hashes" in header and "pyproject.toml" in header
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "pip install --require-hashes -r requirements.lock" in readme
