"""Load corpus files into documents: front matter parsed, unicode normalised.

Reads Markdown (`.md`, `.markdown`) with optional YAML front matter, and plain
`.txt` (first line is the title). A file that cannot be read becomes a
`Problem` naming it; the other files still load. Leaves out: other formats,
hidden files, sub-folders.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

SUFFIXES = (".md", ".markdown", ".txt")
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Document:
    source: str  # file name, the citation's `source`
    title: str
    text: str  # the whole file, normalised; chunk offsets index into it
    body_start: int  # where the text after the front matter begins
    meta: dict[str, str] = field(default_factory=dict)  # publisher, reviewed_by, ...


@dataclass(frozen=True)
class Problem:
    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def normalise(text: str) -> str:
    """NFKC (non-breaking spaces become spaces) and Unix line endings."""
    return unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")


def corpus_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
    )


def load(folder: Path) -> tuple[list[Document], list[Problem]]:
    """Every readable article in `folder`, and a Problem for each that is not."""
    if not folder.is_dir():
        return [], [Problem(str(folder), "the corpus folder does not exist")]
    docs, problems = [], []
    for path in corpus_files(folder):
        try:
            docs.append(load_file(path))
        except ValueError as exc:
            problems.append(Problem(path.name, str(exc)))
    return docs, problems


def load_file(path: Path) -> Document:
    """One file as a Document; ValueError says why it cannot be used."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot be read ({exc.strerror})") from exc
    if b"\x00" in raw:
        raise ValueError("looks like a binary file, not text")
    try:
        text = normalise(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"is not UTF-8 text (byte {exc.start}); save it as UTF-8 and ingest again"
        ) from exc
    if not text.strip():
        raise ValueError("is empty")
    if path.suffix.lower() == ".txt":
        return _plain(path.name, text)
    return _markdown(path.name, text)


def _plain(source: str, text: str) -> Document:
    first = text.lstrip("\n").split("\n", 1)[0]
    body_start = text.index(first) + len(first)
    return Document(source, first.strip(), text, body_start)


def _markdown(source: str, text: str) -> Document:
    meta: dict[str, str] = {}
    body_start = 0
    match = FRONT_MATTER.match(text)
    if match:
        try:
            data = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as exc:
            raise ValueError(f"has front matter that is not valid YAML ({exc})") from exc
        if not isinstance(data, dict):
            raise ValueError("has front matter that is not a list of `key: value` lines")
        meta = {str(k): _as_text(v) for k, v in data.items() if v is not None}
        body_start = match.end()
    if not text[body_start:].strip():
        raise ValueError("has front matter but no article text")
    title = meta.pop("title", "")
    if not title:
        h1 = H1.search(text, body_start)
        title = h1.group(1) if h1 else Path(source).stem.replace("-", " ").replace("_", " ")
    return Document(source, title, text, body_start, meta)


def _as_text(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
