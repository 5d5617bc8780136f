"""Chunking: by heading then paragraph, with provenance that rebuilds the source."""

import pytest

from bot.config import Settings
from bot.types import Chunk
from ingest.chunk import chunk
from ingest.load import load, load_file
from tests.conftest import CORPUS

DOCS, _ = load(CORPUS)
CHUNKS = chunk(DOCS, Settings().chunk_size)


def test_every_chunk_is_verbatim_at_its_offsets():
    for c in CHUNKS:
        text = (CORPUS / c.source).read_text(encoding="utf-8")
        assert text[c.start : c.end] == c.text


def test_chunks_never_cross_a_heading_or_hold_front_matter():
    for c in CHUNKS:
        assert "\n#" not in c.text and not c.text.startswith("#")
        assert "title:" not in c.text and "---" not in c.text


def test_chunks_are_short_and_ids_stable_and_unique():
    assert all(len(c.text) <= Settings().chunk_size for c in CHUNKS)
    assert len({c.id for c in CHUNKS}) == len(CHUNKS)
    assert [c.id for c in chunk(DOCS)] == [c.id for c in CHUNKS]


def test_indexes_count_up_within_each_file():
    for doc in DOCS:
        mine = [c for c in CHUNKS if c.source == doc.source]
        assert [c.index for c in mine] == list(range(len(mine)))
        assert all(a.end <= b.start for a, b in zip(mine, mine[1:]))


@pytest.mark.parametrize(
    "phrase, section, headings",
    [
        ("thinning bones", "Osteoporosis", ("Talk to your doctor first", "Osteoporosis")),
        ("don't get massages unless", "Osteoporosis", ("Talk to your doctor first", "Osteoporosis")),
        ("- Are pregnant", "Other conditions (National Multiple Sclerosis Society)", None),
        ("gentle but vigorous strokes", "Fatigue", ("Symptoms massage may ease", "Fatigue")),
        ("vibration, kneading", "Swedish massage", ("Types of massage", "Swedish massage")),
        # text before any level-2 heading would have section ""; the title is not a section
        ("A great massage can help", "Massage and MS", ("Massage and MS",)),
    ],
)
def test_provenance(phrase, section, headings):
    (c,) = [c for c in CHUNKS if phrase in c.text]
    assert c.section == section
    if headings:
        assert c.headings == headings
    assert c.title in c.embed_text or c.section in c.embed_text


def test_a_list_stays_with_its_lead_in():
    (c,) = [c for c in CHUNKS if "Are pregnant" in c.text]
    assert c.text.startswith("The National Multiple Sclerosis Society also says")


def test_long_paragraph_is_split_at_sentences(tmp_path):
    sentence = "Massage may help people with MS feel calmer. "
    (tmp_path / "long.md").write_text("---\ntitle: L\n---\n## Long\n\n" + sentence * 40, encoding="utf-8")
    doc = load_file(tmp_path / "long.md")
    parts = chunk([doc], size=300)
    assert len(parts) > 1
    for c in parts:
        assert doc.text[c.start : c.end] == c.text
        assert c.text.endswith(".") and len(c.text) <= 300


def test_text_before_any_heading_has_no_sections(tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: T\n---\nOne paragraph.\n\nAnother one.\n", encoding="utf-8")
    (c,) = chunk([load_file(tmp_path / "a.md")])
    assert c.section == "" and c.headings == () and c.text == "One paragraph.\n\nAnother one."


def test_a_chunk_survives_the_round_trip_through_the_store():
    for c in CHUNKS:
        assert Chunk.from_stored(c.embed_text, c.metadata()) == c
