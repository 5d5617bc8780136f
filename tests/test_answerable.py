"""The learned question check (bot/answerable.py): its table, its file, and what it refuses."""

import io
import json

import numpy as np
import pytest

from bot import lay_terms
from bot.answerable import TABLE_FILE, Answerable, table_digest
from bot.answerable_train import build, read_table, taught_on
from bot.errors import AnswerableMissing
from evals import blind_answers
from evals.cases import flat, load

SHIPPED = {"massage-and-ms.md", "massage-and-bodywork-for-ms.md"}


def test_the_table_has_both_kinds_of_question_and_cites_the_shipped_articles():
    rows = read_table()
    answerable = [q for q, cite in rows if cite]
    assert len(answerable) >= 250 and len(rows) - len(answerable) >= 200
    from bot.config import ROOT
    from ingest.load import load as load_corpus

    assert set(taught_on(rows, load_corpus(ROOT / "corpus")[0])) == SHIPPED


def test_no_question_of_the_table_is_a_gold_or_blind_one():
    """The gold set and the blind part measure what the check was not taught."""
    taught = {flat(q) for q, _ in read_table()}
    for case in load() + blind_answers.cases():
        assert not taught & {flat(t) for t in case.turns}, case.id


@pytest.mark.parametrize(
    "line, why",
    [
        ('{"turns": ["a", "b"], "routes": ["answer"], "cite": ["x"]}', "one question"),  # a conversation
        ('{"routes": ["answer"], "cite": ["x"]}', "one question"),
        ("not json", "one question"),
        ('{"turns": ["  "], "routes": ["answer"], "cite": ["x"]}', "empty"),
        ('{"turns": ["q"], "routes": ["answer"], "cite": []}', "words to cite"),  # nothing to cite
        ('{"turns": ["q"], "routes": ["out_of_scope"], "cite": ["x"]}', "words to cite"),
        ('{"turns": ["q"], "routes": ["emergency"], "cite": []}', "words to cite"),
    ],
)
def test_a_bad_line_is_refused_with_its_number(tmp_path, line, why):
    path = tmp_path / "t.jsonl"
    path.write_text('{"turns": ["ok?"], "routes": ["out_of_scope"]}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f"line 2: .*{why}"):
        read_table(path)


def test_a_table_of_one_kind_is_refused(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text('{"turns": ["ok?"], "routes": ["out_of_scope"]}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="both kinds"):
        read_table(path)


def _save(path, **changes):
    fields = dict(
        weights=np.array([1.0, 0.0], np.float32), bias=np.float32(0.0), refuse_at=np.float32(0.7),
        sources=np.array(sorted(SHIPPED)), model="m", table=table_digest(), format="2", lay=lay_terms.digest(),
    )
    fields.update(changes)
    np.savez(path, **fields)
    return path


@pytest.mark.parametrize(
    "vector, source, refused",
    [
        ([3.0, 0.0], "massage-and-ms.md", True),  # p = 0.95, over the line
        ([0.5, 9.0], "massage-and-ms.md", False),  # p = 0.62, under it
        # a clinic's leaflet may answer what the shipped articles do not: the check is silent
        ([3.0, 0.0], "our-leaflet.md", False),
    ],
)
def test_it_refuses_over_its_line_and_only_for_the_articles_it_was_taught_on(tmp_path, vector, source, refused):
    check = Answerable.load(_save(tmp_path / "a.npz"), "m")
    assert check.refuses(np.array(vector), source) is refused


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: None, "is not built yet"),
        (lambda p: _save(p, model="another"), "another model"),
        (lambda p: _save(p, table="0" * 64), "another table"),
        (lambda p: _save(p, format="1"), "old layout"),
        # it reads questions with the lay words added: a check built with others reads them otherwise
        (lambda p: _save(p, lay="0" * 64), "other lay words"),
        (lambda p: p.write_bytes(b"not a model"), "cannot be read"),
        (lambda p: np.savez(p, weights=np.zeros(2)), "cannot be read"),  # fields missing
    ],
)
def test_a_missing_or_stale_check_is_refused_with_the_fix(tmp_path, make, message):
    path = tmp_path / "a.npz"
    make(path)
    with pytest.raises(AnswerableMissing, match=message) as caught:
        Answerable.load(path, "m")
    assert "python -m bot.answerable_train" in str(caught.value)


@pytest.mark.slow
def test_building_it_again_gives_the_same_check(tmp_path, model):
    from bot.config import Settings

    built = []
    for n in range(2):
        settings = Settings(answerable=tmp_path / f"{n}.npz")
        build(settings, *model, out=io.StringIO())
        built.append(Answerable.load(settings.answerable, model[1].id))
    assert np.array_equal(built[0].weights, built[1].weights) and built[0].refuse_at == built[1].refuse_at
    assert built[0].sources == SHIPPED
    # its line lets through all but 1 in 200 of the answerable questions it was taught, unseen
    assert 0.5 < built[0].refuse_at < 1


@pytest.mark.slow
def test_it_refuses_no_answerable_gold_question(guide):
    """The gold set's answerable questions were never in its table; "what is <a
    kind of bodywork the articles only list>" among them is answered with the list."""
    from bot.lay_terms import expand

    asked = [c.turns[0] for c in load() if c.routes == ("answer",) and len(c.turns) == 1]
    vectors = guide.embeddings.embed_documents([expand(q) for q in asked])
    refused = [q for q, v in zip(asked, vectors) if guide.answerable.refuses(np.array(v), "massage-and-ms.md")]
    assert len(asked) >= 50 and refused == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "turns",
    [
        # questions of its table, near the articles' words, that the scope rules and the
        # relevance floor let through
        ["Does acupuncture itself work for MS?"],
        ["Is it okay to massage my elderly dog?"],
    ],
)
def test_the_check_refuses_what_the_rules_let_through(guide, turns):
    """The check is wired in: a question it refuses gets the out-of-scope reply
    (questions it was taught; what it makes of unseen ones is the blind part's figure)."""
    from tests.conftest import ask

    reply = ask(guide, *turns)
    assert reply.route == "out_of_scope"
    # and without the check, it would have been answered
    saved = guide.answerable
    try:
        object.__setattr__(guide, "answerable", Answerable(saved.weights, saved.bias, 2.0, saved.sources))
        assert ask(guide, *turns).route == "answer"
    finally:
        guide.answerable = saved


def test_the_table_is_packaged():
    import tomllib

    from bot.config import ROOT

    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert TABLE_FILE.name in data["tool"]["setuptools"]["package-data"]["bot"]
    assert len(read_table(TABLE_FILE)) == len(TABLE_FILE.read_text(encoding="utf-8").splitlines())
