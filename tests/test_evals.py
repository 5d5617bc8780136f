"""`python -m evals` runs from the command line and prints its summary."""

import subprocess
import sys

import pytest

from bot.config import ROOT

pytestmark = pytest.mark.slow


def test_evals_prints_the_summary():
    done = subprocess.run(
        [sys.executable, "-m", "evals"], capture_output=True, text=True, cwd=ROOT, timeout=600
    )
    assert done.returncode == 0, done.stderr
    for row in ("index build", "top-3 hit rate", "warm answer latency, median of 50"):
        assert row in done.stdout
