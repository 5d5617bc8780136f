"""Pinned dependencies: pyproject and the lock agree; torch is the CPU build."""

import re
import tomllib

from bot.config import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
LOCK = dict(
    line.split("==", 1)
    for line in (ROOT / "requirements.lock").read_text().splitlines()
    if "==" in line and not line.startswith("#")
)
LOCK = {re.sub(r"[-_.]+", "-", k).lower(): v for k, v in LOCK.items()}


def test_every_direct_dependency_is_pinned_and_locked():
    extras = PYPROJECT["project"]["optional-dependencies"]
    deps = PYPROJECT["project"]["dependencies"] + [d for group in extras.values() for d in group]
    for dep in deps:
        name, version = dep.split("==")
        key = re.sub(r"[-_.]+", "-", name).lower()
        assert key in LOCK, f"{name} is not in requirements.lock"
        assert LOCK[key].split("+")[0] == version, f"{name}: {version} vs {LOCK[key]}"


def test_torch_is_the_cpu_build_and_no_cuda_is_locked():
    assert LOCK["torch"] == "2.13.0+cpu"
    assert not [k for k in LOCK if k.startswith(("nvidia", "cuda", "triton"))]
