"""Offline and private: ingest, the CLI and the app run in a fresh network
namespace (only loopback) under strace, which records every connect() and
sendto() any of their processes or threads makes, Python or native. None
may go beyond loopback. And no question or answer reaches a file or a log.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.config import ROOT
from tests.conftest import CORPUS

pytestmark = pytest.mark.slow  # `make test` installs strace where it is missing

SECRET = "Can massage help with MS fatigue, qzxv7731?"
ADDRESS = re.compile(r'inet_(?:addr|pton)\((?:AF_INET6?, )?"([^"]+)"')
LOOPBACK = re.compile(r"^(127\.|::1$|::ffff:127\.)")


def isolated(args: list[str], tmp: Path, log: Path, env: dict[str, str] | None = None):
    """Run `args` with no network but loopback, every socket call traced to `log`."""
    script = (
        "ip link set lo up && exec strace -f --seccomp-bpf -qq -e trace=connect,sendto,sendmsg "
        f"-o {log} -- \"$@\""
    )
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    (tmp / "tmpdir").mkdir(exist_ok=True)
    return subprocess.run(
        ["unshare", "-n", "sh", "-c", script, "sh", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
        env={
            **os.environ, "HOME": str(home), "TMPDIR": str(tmp / "tmpdir"),
            "MSGUIDE_STORE_DIR": str(tmp / "index"), "MSGUIDE_CORPUS_DIR": str(tmp / "corpus"),
            **(env or {}),
        },
    )


def outbound(log: Path) -> list[str]:
    """Every traced call that addressed anything but loopback."""
    calls = [line for line in log.read_text().splitlines() if "sa_family=AF_INET" in line]
    assert all(ADDRESS.search(line) for line in calls), calls
    return [line for line in calls if not LOOPBACK.match(ADDRESS.search(line)[1])]


def drive_app() -> None:
    """Inside the namespace: start the app, ask SECRET as a user would, print the reply."""
    from gradio_client import Client

    from evals.procs import App

    with App({}) as app:
        result = Client(app.url, verbose=False).predict(message=SECRET, api_name="/ask")
        print(json.dumps(result[0][-1]))


def written_since(started: float, *folders: Path) -> list[Path]:
    return [
        f for folder in folders if folder.is_dir()
        for f in folder.rglob("*")
        if f.is_file() and not f.is_symlink() and f.stat().st_mtime >= started
    ]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Ingest, the CLI and the app, each once, isolated; what each printed and traced."""
    tmp = tmp_path_factory.mktemp("private")
    shutil.copytree(CORPUS, tmp / "corpus")
    started = time.time()
    out = {}
    for name, args in (
        ("ingest", [sys.executable, "-m", "ingest", "--quiet"]),
        ("cli", [sys.executable, "-m", "bot", "ask", SECRET]),
        ("app", [sys.executable, "-c", "from tests.test_private import drive_app; drive_app()"]),
    ):
        log = tmp / f"{name}.strace"
        done = isolated(args, tmp, log)
        assert done.returncode == 0, done.stderr
        out[name] = (done, log)
    return tmp, started, out


@pytest.mark.parametrize("name", ["ingest", "cli", "app"])
def test_no_outbound_connection_is_attempted(runs, name):
    done, log = runs[2][name]
    assert log.read_text().strip() or name == "ingest", "strace recorded nothing"
    assert outbound(log) == []


def test_the_app_really_served_over_loopback(runs):
    done, log = runs[2]["app"]
    assert "fatigue" in done.stdout.strip().splitlines()[-1].lower()  # the reply, as the page got it
    assert any(LOOPBACK.match(ADDRESS.search(line)[1]) for line in log.read_text().splitlines() if ADDRESS.search(line))


def test_no_question_or_answer_reaches_a_file_or_a_log(runs):
    tmp, started, out = runs
    answer = out["cli"][0].stdout
    assert "fatigue" in answer.lower()
    lead = answer.strip()[:150]  # its lead-in and the start of a quote: in no corpus file or index
    logs = [out[n][0].stderr for n in out] + [out["ingest"][0].stdout]
    for log in logs:
        assert "qzxv7731" not in log and lead not in log
    written = written_since(started, tmp, ROOT)
    assert written, "nothing at all was written: the search looked in the wrong place"
    for path in written:
        if path.suffix == ".strace":
            continue  # this test's own trace of the socket calls
        data = path.read_bytes()
        assert b"qzxv7731" not in data, path
        assert lead.encode() not in data, path


def test_the_trace_would_see_an_attempt(tmp_path):
    # The same isolation catches a connection that fails at once for want of a network.
    probe = "import socket\ntry: socket.create_connection(('192.0.2.1', 443), timeout=1)\nexcept OSError: pass"
    done = isolated([sys.executable, "-c", probe], tmp_path, tmp_path / "t.strace")
    assert done.returncode == 0, done.stderr
    assert [ADDRESS.search(line)[1] for line in outbound(tmp_path / "t.strace")] == ["192.0.2.1"]
