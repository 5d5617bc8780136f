"""`python -m ingest`: build or update the index from the corpus folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import bot  # noqa: F401  (switches model hubs and telemetry off first)
from bot.config import Settings
from bot.errors import GuideError


def build(settings: Settings, *, progress: bool = True, out=sys.stderr) -> int:
    """Load, chunk and index the corpus; print problems and a summary. Exit code."""
    from bot.embeddings import load_embeddings
    from ingest.chunk import chunk
    from ingest.index import index
    from ingest.load import load

    docs, problems = load(settings.corpus_dir)
    for problem in problems:
        print(f"Skipped {problem}", file=out)
    chunks = chunk(docs, settings.chunk_size)
    embeddings, info = load_embeddings(settings)
    report = index(chunks, len(docs), settings, embeddings, info, progress=progress)
    print(report.summary(), file=out)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ingest", description="Build or update the MS Massage Guide index."
    )
    parser.add_argument("--corpus", type=Path, help="folder of articles (default: corpus/)")
    parser.add_argument("--store", type=Path, help="index folder (default: .index/)")
    parser.add_argument("--rebuild", action="store_true", help="delete the index and build anew")
    parser.add_argument(
        "--if-missing", action="store_true", help="do nothing when an index already exists"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)

    overrides = {}
    if args.corpus:
        overrides["corpus_dir"] = args.corpus
    if args.store:
        overrides["store_dir"] = args.store
    settings = Settings(**overrides)

    from ingest.index import exists, wipe

    if args.rebuild:
        wipe(settings.store_dir)
    elif args.if_missing and exists(settings):
        print(f"Index found at {settings.store_dir}.", file=sys.stderr)
        return 0
    try:
        return build(settings, progress=not args.quiet)
    except GuideError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
