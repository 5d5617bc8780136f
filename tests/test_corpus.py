"""The corpus: exact words of the seed articles, front matter, no site furniture."""

import re
import unicodedata

import pytest
import yaml

from evals.cases import FURNITURE  # the seeds' site furniture: never guidance
from tests.conftest import CORPUS, SEEDS

FILES = sorted(CORPUS.glob("*.md"))



def test_two_articles():
    assert [f.name for f in FILES] == ["massage-and-bodywork-for-ms.md", "massage-and-ms.md"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_files_are_already_normalised(path):
    # Chunk offsets index the NFKC text; for shipped files that is the file itself.
    text = path.read_text(encoding="utf-8")
    assert unicodedata.normalize("NFKC", text) == text
    assert "\u00a0" not in text and "\r" not in text


@pytest.mark.parametrize(
    "name, expected",
    [
        (
            "massage-and-ms.md",
            {
                "title": "Massage and Multiple Sclerosis (MS)",
                "reviewed_by": "Christopher Melinosky, MD",
                "reviewed_on": "2024-06-03",
            },
        ),
        (
            "massage-and-bodywork-for-ms.md",
            {
                "title": "How Massage and Bodywork Is Used to Treat MS Patients",
                "publisher": "Multiple Sclerosis News Today",
            },
        ),
    ],
)
def test_front_matter(name, expected):
    text = (CORPUS / name).read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    for key, value in expected.items():
        assert str(meta[key]) == value
    assert meta["source_note"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("phrase", FURNITURE)
def test_no_furniture(path, phrase):
    assert phrase.lower() not in path.read_text(encoding="utf-8").lower()


@pytest.mark.parametrize(
    "heading",
    [
        # first article: symptom paragraphs, conditions, the NMSS list, the rest
        "Spasticity", "Pain", "Fatigue", "Sleep woes", "Pressure sores", "Poor circulation",
        "Talk to your doctor first", "Edema", "Osteoporosis",
        "Other conditions (National Multiple Sclerosis Society)", "MS flare-up",
        "Side effects", "Heat and cold", "Muscle tone",
        # second article: massage types, other bodywork, benefits, who should not
        "Swedish massage", "German massage", "Acupressure", "Shiatsu",
        "Other types of bodywork", "How massage and bodywork may help",
        "Who should check with a doctor first",
    ],
)
def test_sections_are_headings(heading):
    corpus = "\n".join(f.read_text(encoding="utf-8") for f in FILES)
    assert re.search(rf"^#+ {re.escape(heading)}$", corpus, re.MULTILINE)


def _seed_sentences():
    """Every sentence of guidance in the seeds, normalised as the corpus is."""
    if not SEEDS.is_dir():
        return []
    out = []
    for seed in sorted(SEEDS.glob("*.txt")):
        text = unicodedata.normalize("NFKC", seed.read_text(encoding="utf-8"))
        text = text.translate({0x2019: "'", 0x2018: "'", 0x201C: '"', 0x201D: '"'})
        text = re.sub(r"[ \t]+", " ", text)
        for para in text.split("\n\n"):
            para = para.strip().lstrip("\u2022 ").strip()
            if not para or any(f.lower() in para.lower() for f in FURNITURE):
                continue
            if "Medically Reviewed" in para or para.startswith("1. My patient"):
                continue
            for sentence in re.split(r"(?<=[.?!])\s+", para):
                out.append((seed.name, sentence.strip()))
    return out


SEED_SENTENCES = _seed_sentences()


@pytest.mark.skipif(not SEED_SENTENCES, reason="../shared/seeds is not beside this clone")
@pytest.mark.parametrize("seed, sentence", SEED_SENTENCES, ids=lambda v: v[:40])
def test_every_seed_sentence_kept_word_for_word(seed, sentence):
    corpus = "\n".join(f.read_text(encoding="utf-8") for f in FILES)
    corpus = re.sub(r"\s*\n- ", "\n", corpus)  # list items, as bullets in the seed
    # A paragraph label ("Spasticity. This ...") became its heading.
    label = re.match(r"^(Spasticity|Pain|Fatigue|Sleep woes|Pressure sores|Poor circulation|Edema|Osteoporosis|MS flare-up)\.$", sentence)
    if label:
        assert re.search(rf"^#+ {label.group(1)}$", corpus, re.MULTILINE)
        return
    sentence = re.sub(r"^(Spasticity|Pain|Fatigue|Sleep woes|Pressure sores|Poor circulation|Edema|Osteoporosis|MS flare-up)\. ", "", sentence)
    for line in sentence.split("\n"):
        assert line.strip().lstrip("\u2022 ").strip() in corpus
