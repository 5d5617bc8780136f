"""The small values that flow through the pipeline: Chunk, Hit, Citation, Reply."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Route = Literal["answer", "ask_doctor", "emergency", "out_of_scope"]
# The banner over a reply of each route but `answer`, in the CLI and the app alike.
BANNERS: dict[str, str] = {
    "ask_doctor": "Check with your doctor first",
    "emergency": "Get help now",
    "out_of_scope": "Not covered by this guide",
}


@dataclass(frozen=True)
class Chunk:
    """One coherent piece of guidance, with the provenance to find it again.

    `text` is exactly `file_text[start:end]` of the corpus file `source`
    (after NFKC normalisation, a no-op for the shipped corpus).
    """

    id: str  # stable: hash of source and text
    source: str  # corpus file name, e.g. "massage-and-ms.md"
    title: str  # the article's title
    section: str  # innermost heading ("" before the first heading)
    headings: tuple[str, ...]  # heading path below the title, outermost first
    index: int  # position of the chunk in its file, from 0
    start: int  # character offsets into the file's text
    end: int
    text: str
    publisher: str = ""
    reviewed_by: str = ""
    reviewed_on: str = ""  # ISO date, "" when the article states none

    @property
    def embed_text(self) -> str:
        """What is embedded and stored: the heading path, a blank line, the text.

        The headings give a paragraph its topic ("Osteoporosis") when its
        own words do not name it ("This condition causes thinning bones").
        """
        if not self.headings:
            return self.text
        return " > ".join(self.headings) + "\n\n" + self.text

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata for the vector store (everything but the text)."""
        return {
            "chunk_id": self.id,
            "source": self.source,
            "title": self.title,
            "section": self.section,
            "headings": " > ".join(self.headings),
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "publisher": self.publisher,
            "reviewed_by": self.reviewed_by,
            "reviewed_on": self.reviewed_on,
        }

    @classmethod
    def from_stored(cls, page_content: str, meta: dict) -> Chunk:
        """Rebuild a chunk from what `embed_text` and `metadata` stored.

        The text is the last `end - start` characters of the stored content.
        """
        start, end = int(meta["start"]), int(meta["end"])
        headings = str(meta.get("headings") or "")
        return cls(
            id=str(meta["chunk_id"]),
            source=str(meta["source"]),
            title=str(meta["title"]),
            section=str(meta.get("section") or ""),
            headings=tuple(headings.split(" > ")) if headings else (),
            index=int(meta["index"]),
            start=start,
            end=end,
            text=page_content[len(page_content) - (end - start) :],
            publisher=str(meta.get("publisher") or ""),
            reviewed_by=str(meta.get("reviewed_by") or ""),
            reviewed_on=str(meta.get("reviewed_on") or ""),
        )


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with the evidence for it."""

    chunk: Chunk
    score: float  # fused rank score (reciprocal rank fusion); higher is better
    similarities: tuple[float, ...]  # cosine similarity to each query searched, in order
    lexical: float = 0.0  # BM25 score, 0 when no query word occurs in it

    @property
    def similarity(self) -> float:
        """The chunk's best cosine similarity to any of the queries."""
        return max(self.similarities)


@dataclass(frozen=True)
class Citation:
    """A cited passage. `n` is the marker `[n]` used in the reply text."""

    n: int
    source: str
    title: str
    section: str
    text: str  # the passage verbatim as it stands in the corpus
    start: int = 0  # its character offsets in the corpus file
    end: int = 0
    publisher: str = ""  # as the article's front matter states them, "" when it does not
    reviewed_by: str = ""
    reviewed_on: str = ""  # ISO date

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Reply:
    route: Route
    text: str  # Markdown for a person
    citations: list[Citation] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "route": self.route,
            "answer": self.text,
            "citations": [c.to_dict() for c in self.citations],
        }
