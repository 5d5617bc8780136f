"""`python -m ingest`: build or update the index from the corpus folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

import bot  # noqa: F401  (switches model hubs and telemetry off first)
from bot.config import Settings
from bot.errors import GuideError


def run(
    settings: Settings, model=None, *, progress: bool = True, rebuild: bool = False, out: TextIO | None = None
) -> None:
    """Build or update the index, printing skipped files and a one-line summary
    (on `out`, standard error when None).

    `model` is an already loaded (embeddings, info) pair; it is loaded here if not.
    """
    from bot.embeddings import load_embeddings
    from ingest.index import build

    out = out or sys.stderr
    embeddings, info = model or load_embeddings(settings)
    report, problems = build(settings, embeddings, info, progress=progress, rebuild=rebuild, out=out)
    for problem in problems:
        print(f"Skipped {problem}", file=out)
    print(report.summary(), file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ingest", description="Build or update the MS Massage Guide index."
    )
    parser.add_argument("--corpus", type=Path, help="folder of articles (default: corpus/)")
    parser.add_argument("--store", type=Path, help="index folder (default: .index/)")
    parser.add_argument(
        "--chroma-url", help="a Chroma server to ingest into, e.g. http://127.0.0.1:8000 (default: the folder)"
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="embed every chunk anew (the old index answers until done)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)

    overrides = {}
    if args.corpus:
        overrides["corpus_dir"] = args.corpus
    if args.store:
        overrides["store_dir"] = args.store
    if args.chroma_url is not None:
        overrides["chroma_url"] = args.chroma_url
    settings = Settings(**overrides)

    try:
        run(settings, progress=not args.quiet, rebuild=args.rebuild)
        return 0
    except GuideError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
