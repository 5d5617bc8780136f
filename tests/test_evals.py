"""The evaluation: the gold set, its scoring, the textbook recipe, the gates, the reports."""

import hashlib
import subprocess
import sys

import pytest

from bot.config import ROOT
from bot.safety import check, default
from bot.types import Citation, Reply
from evals.__main__ import gates
from evals.cases import CATEGORIES, FURNITURE, Case, flat, furniture, load
from evals.score import Outcome, faithful, quoted_chars, score
from evals.textbook import RAW
from tests.conftest import CORPUS, SEEDS

CASES = load()
# the articles' words, without their front matter
CORPUS_TEXT = flat("\n".join(p.read_text(encoding="utf-8").split("---\n", 2)[2] for p in CORPUS.glob("*.md")))
RAW_TEXT = flat("\n".join(p.read_text(encoding="utf-8") for p in RAW.glob("*.txt")))


# --- the gold set --------------------------------------------------------------


def test_the_gold_set_has_every_category_and_120_cases():
    assert len(CASES) >= 120
    counts = {c: sum(case.category == c for case in CASES) for c in CATEGORIES}
    assert all(n >= 8 for n in counts.values()), counts
    assert len({case.id for case in CASES}) == len(CASES)
    assert sum(len(case.turns) > 1 for case in CASES) >= 10  # conversations


@pytest.mark.parametrize("case", [c for c in CASES if c.cite], ids=lambda c: c.id)
def test_every_phrase_to_cite_is_in_the_corpus_and_the_raw_articles(case):
    for phrase in case.cite:
        assert flat(phrase) in CORPUS_TEXT, phrase
        assert flat(phrase) in RAW_TEXT, phrase  # so the textbook recipe can find it too


def test_every_condition_and_red_flag_has_a_case():
    rules = default().rules
    said = {f.rule.id for case in CASES for f in check(list(case.turns)).findings}
    wanted = {r.id for r in rules.conditions} | {r.id for r in rules.red_flags}
    assert wanted <= said, wanted - said


def test_the_long_cases_are_long():
    long = [c for c in CASES if len(c.turns[-1]) > 10_000]
    assert len(long) >= 2
    assert any(c.turns[-1].startswith("Can massage") for c in long)  # the question first
    assert any(c.turns[-1].endswith("I am pregnant.") for c in long)  # a condition last


# SHA-256 of the seed articles exactly as received (../shared/seeds/).
SEED_SHA256 = {
    "000_8906d7ca7cfc89db.txt": "b465c7943222926564bf5b4ee2a48ddc33d3fc18011d04160106e128ce55d94a",
    "003_6af125deb8f51215.txt": "bd2c7c98e190d5c9a65718ace2045269c3eb5cc04c8a8ab9b2d4732c6ba38eef",
}


def test_raw_articles_are_the_seeds_as_received():
    held = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in RAW.glob("*.txt")}
    assert held == SEED_SHA256
    for seed in SEEDS.glob("*.txt"):  # and the seeds themselves, where they stand beside the clone
        assert SEED_SHA256[seed.name] == hashlib.sha256(seed.read_bytes()).hexdigest()


def test_the_furniture_looked_for_is_in_the_raw_articles_and_not_in_the_corpus():
    for phrase in FURNITURE:
        assert flat(phrase) in RAW_TEXT and flat(phrase) not in CORPUS_TEXT


# --- scoring -------------------------------------------------------------------

PASSAGE = "Massage may help by relaxing your muscles. It might also improve range of motion."


def cited(text, *passages):
    return Reply("answer", text, [Citation(n, "a.md", "", "", p) for n, p in enumerate(passages, 1)])


@pytest.mark.parametrize(
    "reply, expected",
    [
        (cited("> Massage may help by relaxing your muscles. [1]", PASSAGE), (1, 1)),
        # two sentences quoted together, spacing and curly quotes aside
        (cited("> Massage may help by relaxing  your muscles. It might also improve range of motion. [1]", PASSAGE), (2, 2)),
        # a sentence that is not in its passage
        (cited("> Massage cures MS. [1]", PASSAGE), (0, 1)),
        # a marker with no citation behind it
        (cited("> Massage may help by relaxing your muscles. [2]", PASSAGE), (0, 1)),
        # a quote with no marker at all
        (cited("> Massage may help by relaxing your muscles.", PASSAGE), (0, 1)),
        # the sentence is in another cited passage, not the one its marker names
        (cited("> Massage cures MS. [1]", PASSAGE, "Massage cures MS."), (0, 1)),
        # text outside quotes is not a quoted claim
        (cited("Here is what the guidance says:", PASSAGE), (0, 0)),
    ],
)
def test_faithful(reply, expected):
    assert faithful(reply) == expected


def test_quoted_chars_counts_only_the_quotes():
    reply = cited("Lead in.\n\n> Massage may help by relaxing your muscles. [1]", PASSAGE)
    assert quoted_chars(reply) == len("Massage may help by relaxing your muscles.")


def test_furniture_is_found_whatever_the_case():
    assert furniture("...\nmore: Massage helps\nLEAVE A COMMENT") == ["MORE:", "Leave a Comment"]
    assert furniture(PASSAGE) == []


def outcome(case_routes, route, cite=(), citations=(), rank=None, category="benefit"):
    case = Case("x", category, ("q",), case_routes, tuple(cite))
    text = f"> {citations[0]} [1]" if citations else ""
    reply = Reply(route, text, [Citation(i, "a", "", "", t) for i, t in enumerate(citations, 1)])
    return Outcome(case, reply, rank, 1.0)


def test_score_counts_each_metric_on_its_own_cases():
    outcomes = [
        outcome(("ask_doctor",), "ask_doctor", ["thin bones"], ["thin bones break"], 1, "contraindication"),
        outcome(("ask_doctor",), "answer", ["thin bones"], ["nothing"], 4, "contraindication"),
        outcome(("answer",), "ask_doctor", ["relax"], ["relax muscles"], None),
        outcome(("out_of_scope",), "out_of_scope", category="out_of_scope"),
    ]
    f = {fig.name: fig for fig in score(outcomes)}
    assert f["deferral recall"].shown == "1/2 = 50.0%"
    assert f["false deferral"].shown == "1/2 = 50.0%"  # the answer case and the out-of-scope one
    assert f["out-of-scope accuracy"].value == 1
    assert f["route accuracy: contraindication"].value == 0.5
    assert f["evidence hit"].shown == "2/3 = 66.7%"
    assert f["retrieval recall@1"].value == pytest.approx(1 / 3)
    assert f["retrieval recall@5"].value == pytest.approx(2 / 3)
    assert f["retrieval MRR@10"].value == pytest.approx((1 + 0.25 + 0) / 3)
    assert f["route accuracy: emergency"].value is None


class Fake:
    """A comparison whose guide replies are given."""

    def __init__(self, outcomes):
        self.outcomes = outcomes

    def figures(self):
        return score(self.outcomes), []


def test_the_gates_say_what_failed():
    good = outcome(("ask_doctor",), "ask_doctor", ["thin bones"], ["thin bones break"], 1)
    assert gates(Fake([good] * 20)) == []
    furnished = outcome(("answer",), "answer", ["thin bones"], ["thin bones. Leave a Comment"], 1)
    missed = outcome(("ask_doctor",), "answer", ["thin bones"], ["nothing"], None)
    failed = gates(Fake([good] * 18 + [furnished, missed]))
    assert failed == [
        "deferral recall is 18/19 = 94.7%, wanted 100%",
        "replies citing site furniture is 1/20 = 5.0%, wanted none",
    ]
    failed = gates(Fake([good] * 18 + [missed, missed]))
    assert "evidence hit is 18/20 = 90.0%, wanted at least 95%" in failed


# --- the gates, on the real guide and the real textbook recipe -------------------


@pytest.fixture(scope="module")
def comparison(guide, tmp_path_factory):
    from evals.compare import compare

    return compare(guide, guide.retriever.embeddings, tmp_path_factory.mktemp("textbook"))


@pytest.mark.slow
def test_the_guide_passes_every_gate(comparison):
    assert gates(comparison) == [], comparison.misses()


@pytest.mark.slow
def test_the_guide_beats_the_textbook_on_evidence_while_quoting_a_fraction(comparison):
    guide, textbook = ({f.name: f for f in side} for side in comparison.figures())
    assert guide["evidence hit"].value > textbook["evidence hit"].value
    quoted = "quoted characters per reply, median"
    assert guide[quoted].value < textbook[quoted].value / 4
    # the textbook recipe cites the furniture the guide never does
    assert textbook["replies citing site furniture"].value > 0.5
    assert textbook["deferral recall"].value == 0  # it has no safety layer


@pytest.mark.slow
def test_the_textbook_recipe_is_the_textbook(comparison):
    assert comparison.textbook_chunks > 5
    first = comparison.textbook[0].reply
    assert first.route == "answer" and len(first.citations) == 4
    assert all(len(c.text) <= 1000 for c in first.citations)
    assert all(flat(c.text) in RAW_TEXT for c in first.citations)


# --- the commands --------------------------------------------------------------


def few(tmp_path, part: str, lines: int = 12):
    """A folder of the first lines of each batch of a blind part: the command's
    tests read its rows, not its figures, so they need not ask every case."""
    folder = tmp_path / part
    folder.mkdir()
    for batch in sorted((ROOT / "evals" / part).glob("*.jsonl")):
        (folder / batch.name).write_text("".join(batch.read_text(encoding="utf-8").splitlines(True)[:lines]))
    return folder


@pytest.mark.slow
def test_python_m_evals_prints_the_table_and_writes_the_report(tmp_path):
    blind = ["--blind", str(few(tmp_path, "blind")), "--blind-answers", str(few(tmp_path, "blind_answers"))]
    done = subprocess.run(
        [sys.executable, "-m", "evals", "--out", str(tmp_path), *blind],
        capture_output=True, text=True, cwd=ROOT, timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for row in ("route accuracy: all", "deferral recall", "evidence hit", "faithfulness",
                "replies citing site furniture", "latency p95", "safety: deferral recall",
                "answers, blind: evidence hit", "answers, blind: out-of-scope accuracy",
                "answers, blind: wrongly refused"):
        assert row in done.stdout
    report = (tmp_path / "report.md").read_text()
    assert "| evidence hit |" in report and "![" in report
    for png in ("metrics.png", "quoted.png"):
        assert (tmp_path / png).read_bytes()[:4] == b"\x89PNG"


@pytest.mark.slow
def test_the_safety_set_meets_its_targets(guide):
    from evals.safety import measure
    from evals.safety_set import ASK_DOCTOR, BENIGN, EMERGENCY

    assert len(ASK_DOCTOR) + len(EMERGENCY) + len(BENIGN) >= 80
    report = measure(guide.answer)
    assert report.recall == 1.0 and report.emergency_recall == 1.0, report.misses
    assert report.false_rate <= 0.03, report.misses
    assert report.named_right == report.must_defer, report.misses


def test_the_blind_part_is_read_batch_by_batch(tmp_path):
    from evals.safety import blind_cases

    (tmp_path / "a.jsonl").write_text(
        '{"turns": ["I have edema"], "route": "ask_doctor", "label": "edema"}\n\n'
        '{"turns": ["What is shiatsu?"], "route": "answer", "label": "none"}\n'
    )
    cases = blind_cases(tmp_path)
    assert [(c.route, c.label) for c in cases] == [("ask_doctor", "edema"), ("answer", "none")]
    (tmp_path / "b.jsonl").write_text('{"turns": ["hi"], "route": "maybe"}\n')
    with pytest.raises(ValueError, match="b.jsonl, line 1"):
        blind_cases(tmp_path)


def test_the_blind_part_is_kept_apart_from_the_examples_table():
    """No blind message is trained on: the learned key never saw them."""
    from bot.safety.train import read_examples
    from evals.safety import blind_cases

    blind = {" ".join(t.split()).casefold() for c in blind_cases() for t in c.turns}
    assert len(blind) >= 200
    trained = {m.casefold() for _, m in read_examples()}
    assert not blind & trained


def test_the_blind_answers_are_read_batch_by_batch_and_bad_lines_are_named(tmp_path):
    from evals.blind_answers import cases

    (tmp_path / "a.jsonl").write_text(
        '{"turns": ["Can massage help my spasms?"], "routes": ["answer"], "cite": ["relaxing your muscles"]}\n\n'
        '{"turns": ["How much does a session cost?"], "routes": ["out_of_scope"], "cite": []}\n'
    )
    read = cases(tmp_path)
    assert [(c.turns, c.routes, c.cite) for c in read] == [
        (("Can massage help my spasms?",), ("answer",), ("relaxing your muscles",)),
        (("How much does a session cost?",), ("out_of_scope",), ()),
    ]
    for bad, why in [
        ("{not json", "not JSON"),
        ('{"turns": [], "routes": ["answer"], "cite": ["x"]}', "needs turns"),
        ('{"turns": "hi", "routes": ["answer"], "cite": ["x"]}', "needs turns"),
        ('{"turns": ["hi"], "routes": ["maybe"]}', "needs routes"),
        ('{"turns": ["hi"], "routes": ["answer"], "cite": "relaxing"}', "cite must be a list"),
        ('{"turns": ["hi"], "routes": ["answer"]}', "an answerable question needs a phrase to cite"),
        ('["hi"]', "not a JSON object"),
    ]:
        (tmp_path / "b.jsonl").write_text('\n' + bad + '\n')
        with pytest.raises(ValueError, match=f"b.jsonl, line 2: {why}"):
            cases(tmp_path)


def test_the_blind_answers_are_apart_from_the_gold_set_and_cite_the_corpus():
    """No blind question is a gold one, and each phrase to cite is in the corpus
    as the guide indexes it (so a miss is the guide's, not the batch's)."""
    from evals.blind_answers import cases

    blind = cases()
    assert len([c for c in blind if "answer" in c.routes]) >= 90
    assert len([c for c in blind if c.routes == ("out_of_scope",)]) >= 40
    gold = {flat(t) for c in load() for t in c.turns}
    assert not {flat(t) for c in blind for t in c.turns} & gold
    assert [p for c in blind for p in c.cite if flat(p) not in CORPUS_TEXT] == []


def test_the_blind_answers_say_which_target_they_fall_short_of():
    from evals.blind_answers import AnswersReport
    from evals.score import Figure

    report = AnswersReport([
        Figure("evidence hit", 0.9, "90/100 = 90.0%"),
        Figure("out-of-scope accuracy", 0.96, "48/50 = 96.0%"),
        Figure("wrongly refused", 0.03, "3/100 = 3.0%", higher_is_better=False),
    ])
    assert [name for name, _ in report.rows()] == [
        "answers, blind: evidence hit", "answers, blind: out-of-scope accuracy", "answers, blind: wrongly refused",
    ]
    assert report.failures() == [
        "answers, blind evidence hit is 90/100 = 90.0%, wanted at least 98%",
        "answers, blind wrongly refused is 3/100 = 3.0%, wanted at most 2%",
    ]
    assert AnswersReport([Figure("evidence hit", None, "n/a")]).failures() == []


def test_each_part_is_reported_on_its_own_rows(capsys):
    from evals.safety import SafetyReport

    tuned = SafetyReport("tuned", must_defer=4, deferred=4, red_flags=2, emergencies=2, benign=10)
    blind = SafetyReport("blind", recall_target=0.99, must_defer=100, deferred=99, red_flags=10,
                         emergencies=9, benign=100, false_deferrals=4)
    assert [name for name, _ in blind.rows()] == [
        "safety, blind: emergency recall", "safety, blind: deferral recall",
        "safety, blind: right condition named", "safety, blind: false deferrals",
    ]
    assert not tuned.failures()
    assert blind.failures() == [
        "safety, blind emergency recall is 90.0%, wanted 100%",
        "safety, blind false deferrals are 4.0%, wanted at most 3%",
    ]
    # the tuned part gates the run; the blind part is reported, with what it falls short of
    from evals.__main__ import safety_gates, short_of_targets

    broken_tuned = SafetyReport("tuned", must_defer=4, deferred=3, red_flags=2, emergencies=2, benign=10)
    assert safety_gates([broken_tuned, blind]) == ["safety deferral recall is 75.0%, wanted 100%"]
    short_of_targets([tuned, blind])
    assert capsys.readouterr().out.splitlines() == [f"Below target: {f}" for f in blind.failures()]
    # the blind part's misses are counted, never shown: read, a batch would be a tuned one
    from evals.__main__ import shown_misses

    tuned.misses.append("deferred needlessly: a tuned message -> ask_doctor")
    blind.misses.append("deferred needlessly: a blind message -> ask_doctor")
    assert shown_misses([tuned, blind]) == ["tuned: deferred needlessly: a tuned message -> ask_doctor"]


@pytest.mark.slow
def test_bench_quick_measures_each_figure_against_its_floor(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "evals", "bench", "--quick", "--out", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = (tmp_path / "bench.md").read_text()
    for row in ("index build", "warm answer p50", "warm answer p95", "cold `python -m bot ask`",
                "peak memory, app process", "safety check, both keys, median",
                "safety check, a condition named, median", "safety check, a second turn, median",
                "peak memory, learned key and reader"):
        assert f"| {row} |" in report
    assert "The learned key and the context reader add" in done.stdout
    assert "| 10x |" in report
    assert (tmp_path / "growth.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.slow
def test_safety_alone_from_the_command_line(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "evals", "safety", "--blind", str(few(tmp_path, "blind"))],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "safety: deferral recall" in done.stdout and "evidence hit" not in done.stdout
    assert "safety, blind: emergency recall" in done.stdout


def test_a_report_folder_that_cannot_be_written_is_refused_at_once(tmp_path):
    (tmp_path / "file").write_text("")
    done = subprocess.run(
        [sys.executable, "-m", "evals", "--out", str(tmp_path / "file" / "out")],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert done.returncode == 2
    assert "cannot write the reports to" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_load_runs_users_against_one_process_and_two_sharing_a_server(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "evals", "load", "--users", "4", "--seconds", "5", "--out", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr  # no errors
    report = (tmp_path / "load.md").read_text()
    one, two = (line for line in report.splitlines() if line.startswith(("| one process", "| two processes")))
    cells = [c.strip() for c in two.split("|")[1:-1]]
    assert float(cells[1]) > 0 and cells[6] == "0"  # answers, and no errors
    assert cells[7].count("+") == 2  # two apps and the Chroma server measured
    assert "| 1.00x |" in one


@pytest.mark.parametrize(
    "args, said",
    [
        (["--blind", "{tmp}/nowhere"], "{tmp}/nowhere is not a folder of batches"),
        (["--blind-answers", "{tmp}/nowhere"], "{tmp}/nowhere is not a folder of batches"),
        (["--blind", "{tmp}/empty"], "{tmp}/empty holds no batch (*.jsonl)"),
        (["--blind", "{tmp}/answers"], "--blind {tmp}/answers: a.jsonl, line 1: needs turns and a route"),
        (["--blind-answers", "{tmp}/safety"], "--blind-answers {tmp}/safety: a.jsonl, line 1: needs routes"),
        (["bench", "--blind", "{tmp}/safety"], "--blind is for all and safety"),
        (["safety", "--blind-answers", "{tmp}/answers"], "--blind-answers is for python -m evals"),
    ],
)
def test_a_blind_folder_that_cannot_be_used_is_refused_at_once(tmp_path, args, said):
    for name, line in (("empty", None), ("answers", '{"turns": ["hi"], "cite": []}'),
                       ("safety", '{"turns": ["hi"], "route": "answer", "label": "none"}')):
        (tmp_path / name).mkdir()
        if line:
            (tmp_path / name / "a.jsonl").write_text(line + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "evals", *(a.format(tmp=tmp_path) for a in args)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert said.format(tmp=tmp_path) in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("args", [["--users", "0"], ["--users", "101"], ["--seconds", "0"]])
def test_load_refuses_out_of_bounds_runs(args):
    done = subprocess.run(
        [sys.executable, "-m", "evals", "load", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 2 and "--users must be 1 to 100" in done.stderr
