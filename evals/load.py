"""`python -m evals load`: many chat users at once, through the app's real HTTP API.

Each simulated user is a thread with its own `gradio_client.Client` (its own
session, so its own conversation) that asks gold questions one after another
for the whole run, as fast as answers come. Two set-ups, the same load:

    one process     `python app.py` on the embedded store (the baseline)
    two processes   two `python app.py` sharing one `chroma run` server;
                    users are dealt to them in turn

Reported per set-up: answers per second, latency p50/p95/p99, errors (must
be 0) and the peak resident memory of every process (VmHWM). Loopback only;
bounded by time and by users.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from evals.cases import load as load_cases
from evals.procs import App, ChromaServer
from evals.score import percentile

USERS = 20
SECONDS = 60.0


@dataclass
class Run:
    name: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # ms, answered requests
    errors: list[str] = field(default_factory=list)
    memory_mib: dict[str, float] = field(default_factory=dict)  # process -> peak

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def p(self, q: float) -> float:
        return percentile(self.latencies, q) if self.latencies else float("nan")


def questions() -> list[str]:
    return [c.turns[0] for c in load_cases() if len(c.turns) == 1 and len(c.turns[0]) < 500]


def hammer(urls: list[str], users: int, seconds: float, run: Run) -> None:
    """`users` threads asking until `seconds` have passed; each finishes its last question."""
    from gradio_client import Client

    asked = questions()
    lock = threading.Lock()
    clock = [0.0, 0.0]  # start, deadline: set once every user has connected

    def start_clock() -> None:
        clock[0] = time.monotonic()
        clock[1] = clock[0] + seconds

    ready = threading.Barrier(users + 1, action=start_clock)

    def user(i: int) -> None:
        try:
            client = Client(urls[i % len(urls)], verbose=False)
        except Exception as exc:  # noqa: BLE001  (counted, never raised)
            with lock:
                run.errors.append(f"user {i} could not connect: {exc}")
            ready.wait()
            return
        ready.wait()
        for q in itertools.cycle(asked[i::users] or asked):
            if time.monotonic() >= clock[1]:
                return
            started = time.perf_counter()
            try:
                result = client.predict(message=q, api_name="/ask")
                chat, _box, status = result
                ok = bool(chat) and chat[-1]["role"] == "assistant" and not status
                why = "" if ok else f"no answer shown; status {status!r}"
            except Exception as exc:  # noqa: BLE001
                ok, why = False, f"{type(exc).__name__}: {exc}"
            with lock:
                if ok:
                    run.latencies.append((time.perf_counter() - started) * 1000)
                else:
                    run.errors.append(why)

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    for t in threads:
        t.start()
    ready.wait()  # every user connected: the clock starts
    for t in threads:
        t.join(seconds + 300)
    run.seconds = time.monotonic() - clock[0]


def one_process(env: dict[str, str], users: int, seconds: float) -> Run:
    run = Run("one process, embedded store")
    with App(env) as app:
        hammer([app.url], users, seconds, run)
        run.memory_mib["app"] = app.peak_kib() / 1024
    return run


def two_processes(env: dict[str, str], folder: Path, users: int, seconds: float, say=print) -> Run:
    from ingest.__main__ import main as ingest

    run = Run("two processes, one Chroma server")
    with ChromaServer(folder / "chroma").start() as server:
        say(f"ingesting into {server.url}…")
        if ingest(["--chroma-url", server.url, "--quiet"]):
            raise RuntimeError("ingest into the Chroma server failed")
        shared = {**env, "MSGUIDE_CHROMA_URL": server.url}
        with App(shared) as first, App(shared) as second:
            hammer([first.url, second.url], users, seconds, run)
            run.memory_mib["app 1"] = first.peak_kib() / 1024
            run.memory_mib["app 2"] = second.peak_kib() / 1024
        run.memory_mib["chroma run"] = server.peak_kib() / 1024
    return run


def measure(folder: Path, users: int = USERS, seconds: float = SECONDS, say=print) -> list[Run]:
    """Build an embedded index in `folder`, then load one process and two."""
    env = {
        "MSGUIDE_STORE_DIR": str(folder / "index"),
        "MSGUIDE_FEEDBACK_FILE": str(folder / "feedback.jsonl"),
        "GRADIO_TEMP_DIR": str(folder / "gradio"),
    }
    say(f"one process, {users} users for {seconds:.0f} s…")
    runs = [one_process(env, users, seconds)]  # builds the index on its first start
    say(f"two processes, {users} users for {seconds:.0f} s…")
    runs.append(two_processes(env, folder, users, seconds, say))
    return runs


def rows(runs: list[Run]) -> list[tuple[str, ...]]:
    base = runs[0]
    out = [("set-up", "answers/s", "vs one", "p50 ms", "p95 ms", "p99 ms", "errors", "peak MiB")]
    for r in runs:
        memory = " + ".join(f"{v:,.0f}" for v in r.memory_mib.values())
        out.append((
            r.name, f"{r.throughput:.1f}", f"{r.throughput / base.throughput:.2f}x" if base.throughput else "n/a",
            f"{r.p(0.5):.0f}", f"{r.p(0.95):.0f}", f"{r.p(0.99):.0f}", str(len(r.errors)), memory,
        ))
    return out
