"""Pinned dependencies: pyproject and the lock agree; torch is the CPU build."""

import re
import tomllib

from bot.config import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
LOCK_TEXT = (ROOT / "requirements.lock").read_text()
# one requirement per entry: "name==version \\\n    --hash=sha256:... \\\n    # via ..."
ENTRIES = [e for e in re.split(r"\n(?=[A-Za-z0-9])", LOCK_TEXT) if "==" in e.split("\n", 1)[0]]
LOCK = dict(e.split()[0].split("==", 1) for e in ENTRIES)
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


def test_every_locked_package_has_its_hash_and_make_requires_them():
    assert len(ENTRIES) > 100
    for entry in ENTRIES:
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", entry), entry.split()[0]
    makefile = (ROOT / "Makefile").read_text()
    assert "install --require-hashes --no-deps --find-links $(WHEELS) -r requirements.lock" in makefile
    assert "--no-deps --no-build-isolation -e ." in makefile  # the project itself pulls nothing in


def test_torch_is_locked_to_the_cpu_wheel_alone():
    (torch,) = [e for e in ENTRIES if e.startswith("torch==")]
    assert re.findall(r"--hash=sha256:([0-9a-f]{64})", torch) == [
        "6746dbcbeb526eb61330b76b41ff1b4eb848951103a892eeb080dfa2b264667b"  # torch-2.13.0+cpu-cp311
    ]
