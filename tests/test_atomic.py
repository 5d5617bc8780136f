"""Ingest is atomic: killed at random moments, the index in use still answers
as before; two ingests at once never interleave.

The kill test alternates two corpora (the shipped one, and the shipped one
with extra articles), so every run changes the index, and kills a real
`python -m ingest` with SIGKILL at seeded random moments: half anywhere in a
run, half while it writes. After each kill the index must be exactly one of
the two corpora, whole, and answer exactly as a clean build of it does.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock

from bot.chat import Bot
from bot.config import ROOT, Settings
from bot.errors import IngestBusy
from bot.store import current, open_store
from ingest.publish import lock_path
from ingest.index import build
from tests.conftest import CORPUS, variants

pytestmark = pytest.mark.slow

KILLS = 22
SEED = 20261121
QUESTIONS = (
    "Can massage help with MS fatigue?",
    "What is Swedish massage?",
    "My mother has osteoporosis. Is massage safe for her?",
    "Does craniosacral therapy work?",
)


def ingest(corpus: Path, store: Path, *extra: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "ingest", "--quiet", "--corpus", str(corpus), "--store", str(store), *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, **env},
    )


def ids(settings: Settings, model) -> frozenset[str]:
    return frozenset(open_store(settings, *model).collection.get(include=[])["ids"])


def replies(settings: Settings, model) -> list[dict]:
    guide = Bot(settings, *model)
    return [guide.answer([{"role": "user", "content": q}]).to_dict() for q in QUESTIONS]


def generations(store: Path) -> set[str]:
    return {p.name for p in store.iterdir() if p.is_dir()} if store.is_dir() else set()


@pytest.fixture(scope="module")
def states(tmp_path_factory, model):
    """The two corpora, each built cleanly once: its ids and its replies."""
    root = tmp_path_factory.mktemp("atomic")
    out = {}
    for name, corpus in (("small", CORPUS), ("large", variants(root / "large", 3))):
        settings = Settings(corpus_dir=corpus, store_dir=root / f"clean-{name}")
        build(settings, *model, progress=False)
        out[name] = (corpus, ids(settings, model), replies(settings, model))
    assert len(out["large"][1]) > 3 * len(out["small"][1])
    return out


def test_killed_at_random_moments_the_index_in_use_still_answers(states, model, tmp_path):
    store = tmp_path / "index"
    settings = Settings(corpus_dir=CORPUS, store_dir=store)
    build(settings, *model, progress=False)
    state = {ids_: (name, answers) for name, (_, ids_, answers) in states.items()}

    # One clean run to time it, and when it starts writing (a new generation appears).
    began, started, writing = time.monotonic(), generations(store), None
    proc = ingest(states["large"][0], store)
    while proc.poll() is None:
        if writing is None and generations(store) - started:
            writing = time.monotonic() - began
        time.sleep(0.02)
    whole = time.monotonic() - began
    assert proc.returncode == 0, proc.stderr.read()
    assert writing is not None and ids(settings, model) == states["large"][1]

    rng, seen = random.Random(SEED), {"before writing": 0, "while writing": 0, "after publishing": 0}
    expected = "large"
    for n in range(KILLS):
        target = "small" if expected == "large" else "large"  # every run changes the index
        before, gens = current(settings), generations(store)
        proc = ingest(states[target][0], store, *(["--rebuild"] if n % 4 < 2 else []))
        if n % 2:  # anywhere in the run
            time.sleep(rng.uniform(0, whole))
        else:  # while it writes: soon after its new generation appears
            while not generations(store) - gens and proc.poll() is None:
                time.sleep(0.01)
            time.sleep(rng.uniform(0, 1.0))
        new = generations(store) - gens
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        now = current(settings)
        seen["after publishing" if now != before else "while writing" if new else "before writing"] += 1
        # Whichever generation is current is one corpus, whole, and answers as a clean build does.
        held = ids(settings, model)
        assert held in state, f"kill {n} left a mixed index"
        name, answers = state[held]
        expected = target if now != before else expected
        assert name == expected, f"kill {n}"
        assert replies(settings, model) == answers, f"kill {n}"

    # The next run completes, and clears what killed runs left behind.
    done = ingest(states["small"][0], store)
    assert done.wait(timeout=300) == 0, done.stderr.read()
    assert ids(settings, model) == states["small"][1]
    assert len(generations(store)) <= 2
    assert not [p for p in store.iterdir() if p.name.startswith(".current-")]
    print(f"\n{KILLS} kills (seed {SEED}, a clean run {whole:.1f} s, writing from {writing:.1f} s): {seen}")
    assert seen["while writing"] >= 5  # the kills did land while a generation was half-written


def test_two_ingests_at_once_run_one_after_the_other(states, model, tmp_path):
    store = tmp_path / "index"
    first = ingest(states["large"][0], store)
    time.sleep(0.5)
    second = ingest(states["small"][0], store)
    outs = [p.communicate(timeout=600) + (p.returncode,) for p in (first, second)]
    assert [rc for _, _, rc in outs] == [0, 0], outs
    waited = [err for _, err, _ in outs if "Another ingest is updating the index" in err]
    assert len(waited) == 1 and "Traceback" not in waited[0]
    # The one that waited went on from the other's index: it reused its vectors.
    assert " 0 unchanged" not in waited[0].splitlines()[-1]
    last = states["large" if waited[0] == outs[0][1] else "small"][1]
    assert ids(Settings(store_dir=store), model) == last


def test_an_ingest_that_cannot_get_the_lock_refuses_and_changes_nothing(model, tmp_path, capsys):
    settings = Settings(corpus_dir=CORPUS, store_dir=tmp_path / "index", ingest_wait_seconds=0.5)
    build(settings, *model, progress=False)
    before = current(settings)
    with FileLock(lock_path(settings)):
        with pytest.raises(IngestBusy, match=r"still updating the index at .* after 0.5 s.*changed nothing"):
            build(settings, *model, progress=False, rebuild=True, out=sys.stdout)
    assert "waiting for it to finish" in capsys.readouterr().out
    assert current(settings) == before
