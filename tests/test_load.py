"""Loading corpus files: what goes in, and a clear named problem for what can't."""

from pathlib import Path

import pytest

from ingest.load import load, load_file

GOOD = "---\ntitle: Good\npublisher: Somebody\nreviewed_on: 2024-06-03\n---\n\n## A\n\nSome text.\n"


@pytest.mark.parametrize(
    "name, data, title, meta",
    [
        ("a.md", GOOD, "Good", {"publisher": "Somebody", "reviewed_on": "2024-06-03"}),
        # a .markdown file, and a date read as text
        ("b.markdown", "---\ntitle: B\nreviewed_on: 2020-01-02\n---\n# B\n\nText.\n", "B", {"reviewed_on": "2020-01-02"}),
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
    (tmp_path / "a.md").write_text("---\ntitle: A\n---\nMassages\u00a0are known.\n", encoding="utf-8")
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
        ("utf16.md", GOOD.encode("utf-16"), "is UTF-16 text; save it as UTF-8"),
        ("nofront.md", b"# A Title\n\nText.\n", "has no front matter"),
        ("notitle.md", b"---\npublisher: X\n---\nText.\n", "without a `title:`"),
        ("plain.txt", b"Title line\n\nText.\n", "save it as plain.md"),
        ("same.md", GOOD.replace("## A", "## A ").encode(), "has the same text as good.md"),
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


def test_a_file_over_the_limit_is_refused_unread(tmp_path, monkeypatch):
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    with open(tmp_path / "huge.md", "wb") as f:  # 50 MB, mostly a hole on disk
        f.write(GOOD.encode())
        f.truncate(50_000_000)
    read, read_bytes = [], Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or read_bytes(self))
    docs, problems = load(tmp_path)
    assert [d.source for d in docs] == ["good.md"] and read == ["good.md"]  # huge.md was never read
    assert str(problems[0]) == "huge.md: is 50.0 MB, too big for an article (at most 2 MB): is it the right file?"


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
