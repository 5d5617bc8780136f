"""Load corpus files into documents: front matter parsed, unicode normalised.

An article is a Markdown file (`.md`, `.markdown`) that opens with YAML front
matter giving at least its `title` (and the publisher and review, where the
article states them). A file that cannot be used becomes a `Problem` naming
it and saying why; the other files still load. Refused: an empty file, a
binary one, text not in UTF-8, no front matter, a file over MAX_BYTES, plain
`.txt`, and a second copy of an article already loaded. Leaves out, silently:
other formats, hidden files, sub-folders.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

SUFFIXES = (".md", ".markdown", ".txt")  # .txt is looked at only to say it must be Markdown
MAX_BYTES = 2_000_000  # an article is tens of kB; a file this big is not one
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)


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
    seen: dict[str, str] = {}  # the words of each article loaded -> its file
    for path in corpus_files(folder):
        try:
            doc = load_file(path)
        except ValueError as exc:
            problems.append(Problem(path.name, str(exc)))
            continue
        words = " ".join(doc.text[doc.body_start :].casefold().split())
        if words in seen:
            problems.append(Problem(path.name, f"has the same text as {seen[words]}, so only that one is used"))
            continue
        seen[words] = doc.source
        docs.append(doc)
    return docs, problems


def load_file(path: Path) -> Document:
    """One file as a Document; ValueError says why it cannot be used."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ValueError(
                f"is {size / 1e6:.1f} MB, too big for an article (at most {MAX_BYTES / 1e6:g} MB): "
                "is it the right file?"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot be read ({exc.strerror})") from exc
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError("is UTF-16 text; save it as UTF-8 and ingest again")
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
        raise ValueError(f"is plain text: save it as {path.stem}.md, with front matter (see README)")
    return _markdown(path.name, text)


def _markdown(source: str, text: str) -> Document:
    match = FRONT_MATTER.match(text)
    if not match:
        raise ValueError(
            "has no front matter: start it with a `---` block giving at least its `title:` "
            "(see README, “Adding an article”)"
        )
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
        raise ValueError("has front matter without a `title:`")
    return Document(source, title, text, body_start, meta)


def _as_text(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
