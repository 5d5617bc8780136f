"""Split documents into chunks: by heading, then by paragraph.

A chunk never crosses a heading. Within a section, paragraphs are merged up
to `size` characters (LangChain's RecursiveCharacterTextSplitter, with
paragraph, line, sentence and word breaks in that order), so a chunk is a
few sentences of one piece of guidance. Each chunk records where it stands:
`doc.text[chunk.start:chunk.end] == chunk.text`.

Worked example, for a body of

    ## Talk to your doctor first      <- section path ("Talk to your doctor first",)
    Talk to your doctor first if ...  <- chunk 0
    ### Osteoporosis                  <- path (..., "Osteoporosis")
    This condition causes ...         <- chunk 1 (both paragraphs, under `size`)
    If your doctor tells you ...

A level-1 heading is the article's title and is left out of the path.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator

from langchain_text_splitters import RecursiveCharacterTextSplitter

from bot.types import Chunk
from ingest.load import Document

HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)


def chunk_id(source: str, text: str) -> str:
    return hashlib.sha256(f"{source}\n{text}".encode()).hexdigest()[:16]


def chunk(docs: Iterable[Document], size: int = 700) -> list[Chunk]:
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=size,
        chunk_overlap=0,
        separators=["\n\n", "\n", ". ", " ", ""],
        keep_separator="end",
        add_start_index=True,
    )
    out: list[Chunk] = []
    for doc in docs:
        index = 0
        for headings, start, end in sections(doc):
            for piece in splitter.create_documents([doc.text[start:end]]):
                text = piece.page_content
                at = start + piece.metadata["start_index"]
                if doc.text[at : at + len(text)] != text:  # never expected; never silent
                    raise AssertionError(f"{doc.source}: chunk offset lost at {at}")
                out.append(
                    Chunk(
                        id=chunk_id(doc.source, text),
                        source=doc.source,
                        title=doc.title,
                        section=headings[-1] if headings else "",
                        headings=headings,
                        index=index,
                        start=at,
                        end=at + len(text),
                        text=text,
                        publisher=doc.meta.get("publisher", ""),
                        reviewed_by=doc.meta.get("reviewed_by", ""),
                        reviewed_on=doc.meta.get("reviewed_on", ""),
                    )
                )
                index += 1
    return out


def sections(doc: Document) -> Iterator[tuple[tuple[str, ...], int, int]]:
    """(heading path, start, end) of each stretch of body text between headings."""
    path: list[tuple[int, str]] = []
    start = doc.body_start
    for match in HEADING.finditer(doc.text, doc.body_start):
        if doc.text[start : match.start()].strip():
            yield tuple(name for _, name in path), start, match.start()
        level, name = len(match.group(1)), match.group(2)
        path = [(lvl, n) for lvl, n in path if lvl < level]
        if level > 1:
            path.append((level, name))
        start = match.end()
    if doc.text[start:].strip():
        yield tuple(name for _, name in path), start, len(doc.text)
