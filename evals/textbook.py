"""The textbook recipe, as a user would copy it, to measure the guide against.

    the articles as received (evals/raw/, site furniture and all)
      -> RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
      -> the same embedding model -> Chroma (its defaults) -> the top 4 chunks

The answer is the four chunks, each quoted whole with its marker, on the
last user message alone: no safety layer, no out-of-scope rule, no memory of
earlier turns. It answers in the same Reply shape as the guide, so both are
scored by the same code.
"""

from __future__ import annotations

from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from bot.compose import blockquote
from bot.types import Citation, Reply

RAW = Path(__file__).parent / "raw"
TOP_K = 4


class Textbook:
    def __init__(self, embeddings: Embeddings, folder: Path, raw: Path = RAW):
        docs = [
            Document(page_content=p.read_text(encoding="utf-8"), metadata={"source": p.name})
            for p in sorted(raw.glob("*.txt"))
        ]
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        self.chunks = splitter.split_documents(docs)
        client = chromadb.PersistentClient(
            path=str(folder), settings=ChromaSettings(anonymized_telemetry=False)
        )
        self.store = Chroma.from_documents(
            self.chunks, embeddings, client=client, collection_name="textbook"
        )

    def search(self, messages: list[dict], k: int) -> list[Document]:
        """The k nearest chunks to the last user message, best first."""
        question = [m["content"] for m in messages if m["role"] == "user"][-1]
        return self.store.similarity_search(question, k=k)

    def ranked(self, messages: list[dict], k: int) -> list[str]:
        return [d.page_content for d in self.search(messages, k)]

    def answer(self, messages: list[dict]) -> Reply:
        citations = [
            Citation(n, d.metadata["source"], "", "", d.page_content)
            for n, d in enumerate(self.search(messages, TOP_K), start=1)
        ]
        body = "\n\n".join(blockquote(c.text, c.n) for c in citations)
        return Reply("answer", body, citations)
