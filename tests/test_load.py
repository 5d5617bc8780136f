"""Loading corpus files: what goes in, and a clear named problem for what can't."""

import pytest

from ingest.load import load, load_file

GOOD = "---\ntitle: Good\npublisher: Somebody\nreviewed_on: 2024-06-03\n---\n\n## A\n\nSome text.\n"


@pytest.mark.parametrize(
    "name, data, title, meta",
    [
        ("a.md", GOOD, "Good", {"publisher": "Somebody", "reviewed_on": "2024-06-03"}),
        # no front matter: the level-1 heading is the title
        ("b.md", "# From Heading\n\nText.\n", "From Heading", {}),
        # no front matter, no heading: the file name is the title
        ("massage-notes.md", "Just text.\n", "massage notes", {}),
        # plain text: the first line is the title
        ("c.txt", "Plain Title\n\nBody text.\n", "Plain Title", {}),
        # a byte-order mark and Windows line endings are taken in stride
        ("d.md", "\ufeff---\r\ntitle: BOM\r\n---\r\nText.\r\n", "BOM", {}),
    ],
)
def test_loads(tmp_path, name, data, title, meta):
    (tmp_path / name).write_text(data, encoding="utf-8")
    doc = load_file(tmp_path / name)
    assert doc.title == title
    assert doc.meta == meta
    assert doc.source == name
    assert "\r" not in doc.text


def test_non_breaking_spaces_normalised(tmp_path):
    (tmp_path / "a.md").write_text("Massages\u00a0are known.\n", encoding="utf-8")
    assert "Massages are known." in load_file(tmp_path / "a.md").text


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("empty.md", b"", "is empty"),
        ("blank.md", b"  \n\n\t\n", "is empty"),
        ("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        ("latin1.md", "Caf\u00e9 massage".encode("latin-1"), "not UTF-8"),
        ("badyaml.md", b"---\ntitle: [unclosed\n---\nText\n", "not valid YAML"),
        ("listyaml.md", b"---\n- a\n- b\n---\nText\n", "key: value"),
        ("onlymeta.md", b"---\ntitle: X\n---\n\n", "no article text"),
    ],
)
def test_problems_name_the_file_and_the_rest_still_loads(tmp_path, name, data, reason):
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / name).write_bytes(data)
    docs, problems = load(tmp_path)
    assert [d.source for d in docs] == ["good.md"]
    assert len(problems) == 1
    assert problems[0].source == name and reason in problems[0].reason
    assert name in str(problems[0])


def test_other_files_are_left_out(tmp_path):
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / ".hidden.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text(GOOD, encoding="utf-8")
    docs, problems = load(tmp_path)
    assert [d.source for d in docs] == ["a.md"] and not problems


def test_missing_folder(tmp_path):
    docs, problems = load(tmp_path / "nope")
    assert docs == [] and "does not exist" in problems[0].reason
