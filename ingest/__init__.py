"""Ingest: corpus files -> documents -> chunks -> embeddings in Chroma.

    python -m ingest            # build or update the index
    python -m ingest --rebuild  # start from an empty index
"""
