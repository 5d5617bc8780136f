"""`python -m evals bench`: what the guide costs, each figure against its floor.

Every floor is measured in the same run, on the same machine, so the ratio
says what the guide adds to the work it cannot avoid:

    index build        ingest of the corpus (chunk, embed, write, record)
                       vs embedding the same chunks alone
    warm answer        p50/p95 of Bot.answer over the gold benefit and information questions
                       vs encoding the question plus one Chroma query
    cold one-shot      `python -m bot ask "…"`, process start to exit
                       vs importing sentence-transformers and loading the model
    safety check       the whole check of a conversation (the rules key, and the
                       learned key over the new message's vector, windows of a long one)
                       vs embedding that message alone; and the rules key alone
                       (the check before the learned key), against the same floor;
                       and the whole check of the safety set's messages that name a
                       condition (so the context reader reads them) vs embedding them;
                       and the check of a second turn (the first remembered; the whole
                       conversation is embedded too) vs embedding the new message alone
    peak memory        the app process (`python app.py`) after 20 questions over HTTP
                       vs a process that loads the model and encodes one sentence
    keys' memory       a process that loads the model, embeds the safety set's messages
                       and checks them with the rules key, then loads the learned key and
                       the context reader and checks them again
                       vs the same process before those were loaded
    growth             index time and answer latency with the corpus copied
                       10x, 100x, 1000x (the real chunks, new ids)

Answers are timed after one pass over the questions (the warm-up); that
first pass is reported too, as "first answers after start".
Peak memory is the kernel's high-water mark of resident memory (VmHWM on
Linux). `--quick` runs each timing once and grows the corpus to 10x only.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.config import ROOT, Settings
from evals.cases import load as load_cases
from evals.score import percentile

FACTORS = (1, 10, 100, 1000)
QUICK_FACTORS = (1, 10)
CLI_QUESTION = "Can massage help with MS fatigue?"
# VmHWM, not ru_maxrss: a child's ru_maxrss starts from its parent's peak on Linux.
MODEL_ALONE = """
import re, sys
from sentence_transformers import SentenceTransformer
SentenceTransformer(sys.argv[1], device="cpu", local_files_only=True).encode(["MS"])
print(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1))
"""
# What the learned key and the context reader add to memory: the model loaded, every
# message embedded and checked by the rules key alone (the floor), then both keys
# loaded and every message checked again with them.
SAFETY_MEMORY = """
import re
from bot.config import Settings
from bot.embeddings import load_embeddings, sentence_model
from bot.lay_terms import expand
from bot.safety import default
from bot.safety.learned import LearnedKey, windows
from bot.safety.reader import ContextReader
from evals.safety_set import ASK_DOCTOR, BENIGN

def peak():
    return int(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1))

settings = Settings()
embeddings, info = load_embeddings(settings)
turns = [t for case in ASK_DOCTOR for t in case[0]] + [t for case in BENIGN for t in case]
read = [embeddings.embed_documents([expand(w) for w in windows(t)]) for t in turns]
safety = default()
for turn in turns:
    safety.check([turn])
floor = peak()
learned = LearnedKey.load(settings.learned_key, info.id, safety.rules)
reader = ContextReader.load(settings.context_reader, info.id, sentence_model(embeddings))
for turn, vectors in zip(turns, read):
    safety.check([turn], [learned.find_in_turn(vectors, len(turn.split()))], reader.doubts)
print(floor, peak())
"""
IMPORT_AND_LOAD = """
import sys
from sentence_transformers import SentenceTransformer
SentenceTransformer(sys.argv[1], device="cpu", local_files_only=True)
"""


@dataclass(frozen=True)
class Row:
    name: str
    measured: float
    floor: float
    unit: str

    @property
    def ratio(self) -> float:
        return self.measured / self.floor


@dataclass(frozen=True)
class Growth:
    factor: int
    chunks: int
    index_s: float
    open_s: float  # opening the Bot on that store (loads every chunk, builds BM25)
    p50_ms: float
    p95_ms: float


@dataclass
class Bench:
    rows: list[Row] = field(default_factory=list)
    growth: list[Growth] = field(default_factory=list)
    chunks: int = 0


def questions() -> list[str]:
    """The gold questions that are searched and answered (benefits and information).

    Deferred and refused questions never reach the model or the store, so they
    would flatter the answer against its floor.
    """
    return [c.turns[0] for c in load_cases() if c.category in ("benefit", "information")]


def timed(guide, questions: list[str]) -> list[float]:
    """Milliseconds to answer each question, asked alone, in order.

    The first pass over questions is also the warm-up: the composer embeds a
    passage's sentences the first time it quotes from it and keeps them, as
    a server that has been up a while has them all.
    """
    times = []
    for q in questions:
        guide.forget()  # each question is new to it, as a user's is
        started = time.perf_counter()
        guide.answer([{"role": "user", "content": q}])
        times.append((time.perf_counter() - started) * 1000)
    return times


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(folder: Path, *, quick: bool = False, say=print) -> Bench:
    from bot.chat import Bot
    from bot.embeddings import load_embeddings, model_folder
    from ingest.chunk import chunk
    from ingest.index import build, index
    from ingest.load import load

    repeats = 1 if quick else 3
    bench = Bench()
    settings = Settings(store_dir=folder / "build0")  # the first build, opened below
    embeddings, info = load_embeddings(settings)
    docs, _ = load(settings.corpus_dir)
    chunks = chunk(docs, settings.chunk_size)
    bench.chunks = len(chunks)

    say("index build…")
    builds = iter(range(repeats))

    def fresh_build():  # a new folder each time: Chroma keeps a client per path open
        build(Settings(store_dir=folder / f"build{next(builds)}"), embeddings, info, progress=False)

    built = median_time(fresh_build, repeats)
    alone = median_time(lambda: embeddings.embed_documents([c.embed_text for c in chunks]), repeats)
    bench.rows.append(Row("index build", built, alone, "s"))

    say("warm answers…")
    guide = Bot(settings, embeddings=embeddings, info=info)
    asked = questions()
    first = timed(guide, asked)  # the warm-up, reported as the first answers
    answers, floors = [], []
    for _ in range(repeats):
        for q in asked:
            guide.forget()
            started = time.perf_counter()
            guide.answer([{"role": "user", "content": q}])
            answers.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            guide.store.search(embeddings.embed_query(q), settings.candidates)
            floors.append((time.perf_counter() - started) * 1000)
    for q in (0.5, 0.95):
        bench.rows.append(
            Row(f"warm answer p{q * 100:.0f}", percentile(answers, q), percentile(floors, q), "ms")
        )
    bench.rows.append(Row("first answers after start, p95", percentile(first, 0.95), percentile(floors, 0.95), "ms"))

    say("safety check…")
    bench.rows += safety_rows(guide, embeddings, asked, repeats)

    say("cold one-shot…")
    env = {**os.environ, "MSGUIDE_STORE_DIR": str(settings.store_dir)}
    model = str(model_folder(settings))
    cold = median_time(lambda: _run([sys.executable, "-m", "bot", "ask", CLI_QUESTION], env), repeats)
    load_only = median_time(lambda: _run([sys.executable, "-c", IMPORT_AND_LOAD, model], env), repeats)
    bench.rows.append(Row("cold `python -m bot ask`", cold, load_only, "s"))

    say("peak memory…")
    model_kib = int(_run([sys.executable, "-c", MODEL_ALONE, model], env).split()[-1])
    app_kib = app_peak_kib(env, asked[:20])
    bench.rows.append(Row("peak memory, app process", app_kib / 1024, model_kib / 1024, "MiB"))
    floor_kib, safety_kib = map(int, _run([sys.executable, "-c", SAFETY_MEMORY], env).split()[-2:])
    bench.rows.append(Row("peak memory, learned key and reader", safety_kib / 1024, floor_kib / 1024, "MiB"))

    for factor in QUICK_FACTORS if quick else FACTORS:
        say(f"{factor}x corpus ({factor * len(chunks):,} chunks)…")
        scaled = Settings(store_dir=folder / f"x{factor}")
        copies = [replace(c, id=f"{c.id}~{i}") if i else c for i in range(factor) for c in chunks]
        started = time.perf_counter()
        index(copies, len(docs) * factor, scaled, embeddings, info, progress=False)
        index_s = time.perf_counter() - started
        started = time.perf_counter()
        big = Bot(scaled, embeddings=embeddings, info=info)
        open_s = time.perf_counter() - started
        timed(big, asked)  # warm-up
        times = timed(big, asked)
        bench.growth.append(
            Growth(factor, len(copies), index_s, open_s, percentile(times, 0.5), percentile(times, 0.95))
        )
        del big
        shutil.rmtree(scaled.store_dir, ignore_errors=True)
    return bench


def safety_rows(guide, embeddings, asked: list[str], repeats: int) -> list[Row]:
    """Median ms of the safety check per question against embedding it alone.

    The remembered vectors are forgotten before each check, so every check
    embeds its message, as a new message in a conversation does.
    """
    from bot.lay_terms import expand
    from evals.safety_set import ASK_DOCTOR

    named = [turn for turns, _ in ASK_DOCTOR for turn in turns]  # the context reader reads these
    whole, rules, floor, reading, reading_floor = [], [], [], [], []
    for _ in range(repeats):
        for q, times, floors in [(q, whole, floor) for q in asked] + [(q, reading, reading_floor) for q in named]:
            guide.forget()
            started = time.perf_counter()
            guide.check([q])
            times.append((time.perf_counter() - started) * 1000)
            if times is whole:
                started = time.perf_counter()
                guide.safety.check([q])
                rules.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            embeddings.embed_documents([expand(q)])
            floors.append((time.perf_counter() - started) * 1000)
    # A second turn: the first is remembered, the new message and the whole
    # conversation (read for a red flag said across the turns) are embedded.
    later, later_floor = [], []
    first = "Can massage help with MS fatigue?"
    for _ in range(repeats):
        for q in asked:
            guide.forget()
            guide.check([first])
            started = time.perf_counter()
            guide.check([first, q])
            later.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            embeddings.embed_documents([expand(q)])
            later_floor.append((time.perf_counter() - started) * 1000)
    base = statistics.median(floor)
    return [
        Row("safety check, both keys, median", statistics.median(whole), base, "ms"),
        Row("safety check, rules key alone, median", statistics.median(rules), base, "ms"),
        Row("safety check, a condition named, median", statistics.median(reading),
            statistics.median(reading_floor), "ms"),
        Row("safety check, a second turn, median", statistics.median(later),
            statistics.median(later_floor), "ms"),
    ]


def _run(command: list[str], env: dict) -> str:
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    if done.returncode:
        raise RuntimeError(f"{command[:3]} failed: {done.stderr[-2000:]}")
    return done.stdout


def app_peak_kib(env: dict, asked: list[str]) -> int:
    """VmHWM of `python app.py` after it has answered `asked` over HTTP."""
    from gradio_client import Client

    from evals.procs import App

    with App(env) as app:
        client = Client(app.url, verbose=False)
        for q in asked:
            client.predict(message=q, api_name="/ask")
        return app.peak_kib()
