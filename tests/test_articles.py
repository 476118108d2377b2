"""The loader and `kb check`: the real corpus, and broken articles with exact messages."""

from __future__ import annotations

import pytest

from kb.corpus.articles import load_corpus
from tests.conftest import ARTICLES, article_text

EXPECTED_IDS = {
    "KB2508665", "KB977203", "KB978875", "KB974014", "osd-nic-driver-winpe",
    "win7-winpe2-boot-image", "secondary-site-stuck-upgrade", "client-approval-kerberos",
    "move-site-database", "ts-64bit-tsenv-com", "ts-no-policy-replicated-sql",
    "ts-hash-mismatch-extended-chars", "ts-4mb-size-limit", "ts-native-mode-crl",
    "ts-detect-failure-collect-logs", "smsts-log-locations", "native-mode-osd-certificates",
}  # fmt: skip


def test_corpus_has_the_seventeen_articles_and_no_problems():
    corpus = load_corpus([ARTICLES])
    assert {a.id for a in corpus.articles} == EXPECTED_IDS
    assert [str(p) for p in corpus.problems] == []


@pytest.mark.parametrize("article", load_corpus([ARTICLES]).articles, ids=lambda a: a.id)
def test_every_article_is_complete(article):
    for name in ("Symptoms", "Cause", "Resolution"):
        assert article.sections[name].strip(), name
    assert article.first_step
    assert article.examples
    assert article.sources
    assert not article.draft
    for line in article.signatures.lines:
        assert line == line.strip() and "\n" not in line


def test_check_on_corpus_exits_0_with_summary(run):
    result = run("check")
    assert (result.exit_code, result.stderr) == (0, "")
    n_examples = sum(len(a.examples) for a in load_corpus([ARTICLES]).articles)
    assert result.stdout.strip() == f"17 articles, {n_examples} examples: all find their article"


def test_check_strict_on_corpus_is_clean(run):
    result = run("check", "--strict")
    assert (result.exit_code, result.stderr) == (0, "")
    assert len(result.stdout.strip().splitlines()) == 1


def test_check_clean_tree(run, tree):
    folder = tree({"test-a.md": article_text()})
    result = run("check", str(folder))
    assert (result.exit_code, result.stdout.strip()) == (
        0,
        "1 article, 1 example: all find their article",
    )


BROKEN = [
    (
        "bad yaml",
        article_text(**{"kind: troubleshooting": "kind: [troubleshooting"}),
        "test-a.md:5: front matter is not valid YAML: did not find expected ',' or ']'",
    ),
    (
        "missing id",
        article_text(**{"id: test-a\n": ""}),
        "test-a.md:1: id: missing",
    ),
    (
        "unknown related",
        article_text(related="no-such-article"),
        "test-a.md:14: related: unknown id 'no-such-article'",
    ),
    (
        "unquoted code",
        article_text(**{'codes: ["0x80070002"]': "codes: [0x80070002]"}),
        "test-a.md:8: signatures.codes[0]: 0x80070002 is not a quoted string "
        '(YAML reads it as the number 2147942402); write it as "0x80070002"',
    ),
    (
        "not a code",
        article_text(**{'codes: ["0x80070002"]': 'codes: ["0xZZ"]'}),
        "test-a.md:8: signatures.codes[0]: '0xZZ' is not an error code: ",
    ),
    (
        "missing section",
        article_text(**{"## Cause\n\nA cause.\n\n": ""}),
        "test-a.md:24: missing section '## Cause'",
    ),
    (
        "no numbered step",
        article_text(**{"1. Fix it.": "Fix it."}),
        "test-a.md:28: section '## Resolution' has no numbered step",
    ),
    (
        "wrong kind",
        article_text(**{"kind: troubleshooting": "kind: recipe"}),
        "test-a.md:4: kind: 'recipe' is not one of troubleshooting, how-to, reference",
    ),
    (
        "no front matter",
        "# Just markdown\n",
        "test-a.md:1: no front matter: the file must start with a '---' line",
    ),
    (
        "empty signatures",
        article_text(
            **{
                'codes: ["0x80070002"]': "codes: []",
                'lines: ["Failed to do the test thing"]': "lines: []",
                'examples: ["Failed to do the test thing (0x80070002)"]': "examples: []",
            }
        ),
        "test-a.md:7: signatures: a troubleshooting article needs at least one code, line or "
        "example",
    ),
    (
        "pattern not shared by Python and JavaScript",
        article_text(
            **{"  components: [TSManager]": "  components: [TSManager]\n  patterns: ['\\d+ files']"}
        ),
        "test-a.md:12: signatures.patterns[0]: '\\d' is not allowed: use the syntax Python and "
        "JavaScript share (classes like [0-9], groups (?:...), lookahead (?=...))",
    ),
    (
        "pattern not a regular expression",
        article_text(
            **{"  components: [TSManager]": "  components: [TSManager]\n  patterns: ['(open']"}
        ),
        "test-a.md:12: signatures.patterns[0]: not a regular expression: "
        "missing ), unterminated subpattern at position 0",
    ),
    (
        "questions not a list",
        article_text(**{"tags: [test]": "tags: [test]\nquestions: Where is it?"}),
        "test-a.md:13: questions: must be a list, not 'Where is it?'",
    ),
    (
        "list not text",
        article_text(**{"tags: [test]": "tags: test"}),
        "test-a.md:12: tags: must be a list, not 'test'",
    ),
]


@pytest.mark.parametrize("text, message", [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_check_reports_exact_problem(run, tree, text, message):
    folder = tree({"test-a.md": text})
    result = run("check", str(folder))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    expected = f"{folder}/{message}"
    if message.endswith(": "):  # the reason after it comes from the code parser
        assert len(lines) == 1 and lines[0].startswith(expected), lines
    else:
        assert lines == [expected]


def test_duplicate_id_and_non_utf8_are_both_reported(run, tree):
    folder = tree(
        {
            "test-a.md": article_text(),
            "test-b.md": article_text(),  # same id as test-a
            "test-c.md": article_text("test-c")
            .encode("utf-8")
            .replace(b"A cause.", b"A caus\xe9."),
        }
    )
    result = run("check", str(folder))
    assert result.exit_code == 1
    err = result.stderr
    assert (
        f"{folder / 'test-b.md'}:2: duplicate id 'test-a' (also in {folder / 'test-a.md'})" in err
    )
    assert (
        f"{folder / 'test-b.md'}:2: warning: id 'test-a' differs from the file name 'test-b'.md"
        in result.stdout
    )
    assert f"{folder / 'test-c.md'}:26: not UTF-8 text (byte 0xE9)" in err
    assert result.stdout.endswith(
        "2 articles, 1 example: 1 does not find their article first as a strong answer; 3 errors, 1 warning\n"
    )


def test_one_broken_file_does_not_hide_others(tree):
    folder = tree({"a.md": "---\nid: [\n---\n", "test-a.md": article_text(related="ghost")})
    corpus = load_corpus([folder])
    messages = [str(p) for p in corpus.problems]
    assert len(messages) == 2
    assert "front matter is not valid YAML" in messages[0]
    assert "related: unknown id 'ghost'" in messages[1]


def test_check_missing_path(run, tmp_path):
    result = run("check", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"kb: error: {tmp_path / 'nope'}: no such file or folder"


def test_new_writes_a_valid_template_and_refuses_overwrite(run, tree):
    folder = tree({"test-a.md": article_text()})
    result = run("new", "my-issue", "--title", 'Setup "fails"', "--articles", str(folder))
    assert result.exit_code == 0, result.stderr
    path = folder / "my-issue.md"
    text = path.read_text(encoding="utf-8")
    assert 'title: "Setup \\"fails\\""' in text
    again = run("new", "my-issue", "--title", "x", "--articles", str(folder))
    assert again.exit_code == 2
    assert again.stderr.strip() == f"kb: error: {path} already exists"
    clash = run("new", "TEST-A", "--title", "x", "--articles", str(folder))
    assert clash.exit_code == 2 and "already exists" in clash.stderr
    bad = run("new", "../evil", "--title", "x", "--articles", str(folder))
    assert bad.exit_code == 2
    assert (
        bad.stderr.strip()
        == "kb: error: '../evil' is not a valid id: use letters, digits, '-' and '_'"
    )
    # The template itself validates apart from the placeholders it asks the author to fill.
    corpus = load_corpus([path])
    assert [a.id for a in corpus.articles] == ["my-issue"]
