"""Feedback on answers, kept only when the user opts in.

    log = FeedbackLog(Path(".feedback/feedback.jsonl"))
    log.add(Feedback(helpful=False, reason="Hard to understand", route="answer",
                     sources=["massage-and-ms.md: Pain"]))

One JSON object per line. The question is written only when the user has
agreed to share it (`question` is None otherwise). Nothing else about the
user is kept: no address, no name, no time finer than the minute.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

# The reasons a user can give for "not helpful", in the order offered.
REASONS = (
    "Did not answer my question",
    "Wrong or unsafe",
    "Hard to understand",
    "Too long",
)


@dataclass(frozen=True)
class Feedback:
    helpful: bool
    reason: str | None  # one of REASONS, or None
    route: str  # the answer's route
    sources: list[str]  # "file: section" of each cited passage
    question: str | None = None  # only when the user agreed to share it
    at: str = field(
        default_factory=lambda: datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%MZ")
    )


class FeedbackLog:
    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()

    def add(self, item: Feedback) -> None:
        """Append one line; the folder is made on first use."""
        if item.reason is not None and item.reason not in REASONS:
            raise ValueError(f"Unknown reason {item.reason!r}; choose from {REASONS}.")
        line = json.dumps(asdict(item), ensure_ascii=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                f.write(line)

    def read(self) -> list[dict]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines()]
