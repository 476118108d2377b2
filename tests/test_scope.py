"""The product's words (articles/scope.txt): format, checks, and what they change."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.corpus import load_corpus
from kb.corpus.scope import load_scope, parse_scope
from kb.search.engine import Engine
from kb.search.ranking import own_component
from kb.search.scope import make_scope
from kb.search.vocabulary import make_rewrite
from tests.conftest import ARTICLES, article_text

ENGINE = Engine.load(in_memory=True)


def test_the_bundled_file_names_the_product_and_its_parts():
    phrases, problems = load_scope(ARTICLES)
    assert problems == []
    assert {"configmgr", "sccm", "task sequence", "winpe", "distribution point"} <= set(phrases)
    assert "sms*" in phrases


BAD = [
    ("café\n", "scope.txt:1: 'café': use ASCII letters, digits, spaces, '.', '_', '-'; "),
    ("sccm\n# note\nSCCM\n", "scope.txt:3: 'sccm' is already on line 1"),
    ("site *\n", "scope.txt:1: 'site *': use ASCII letters"),
    ("two words*\n", "scope.txt:1: 'two words*': use ASCII letters"),
    ("ab*\n", "scope.txt:1: 'ab*': use ASCII letters"),
    ("*\n", "scope.txt:1: '*': use ASCII letters"),
    ("config(mgr\n", "scope.txt:1: 'config(mgr': use ASCII letters"),  # no pattern syntax
    ("<script>alert(1)</script>\n", "scope.txt:1: '<script>alert(1)</script>': use ASCII"),
]


@pytest.mark.parametrize("text, message", BAD)
def test_kb_check_reports_scope_problems(run, tree, text, message):
    folder = tree({"test-a.md": article_text(), "scope.txt": text})
    result = run("check", str(folder))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[0].startswith(f"{folder}/{message}")


def test_comments_blank_lines_case_and_spaces_are_ignored():
    phrases, problems = parse_scope("# x\n\n  Task   Sequence  # the TS\nsms*\n")
    assert problems == [] and phrases == ("task sequence", "sms*")


def test_an_unreadable_file_is_one_problem(tree):
    folder = tree({"test-a.md": article_text()})
    (folder / "scope.txt").write_bytes(b"\xff\xfe\x00bad")
    phrases, problems = load_scope(folder)
    assert phrases == () and len(problems) == 1
    assert problems[0][2].startswith("cannot read the product words")


def test_an_empty_file_or_only_comments_is_no_product_words():
    assert parse_scope("") == ((), [])
    assert parse_scope("# nothing yet\n\n   \n") == ((), [])


def test_a_large_file_is_read_whole():
    text = "".join(f"product word {n}\n" for n in range(20_000))
    phrases, problems = parse_scope(text)
    assert problems == [] and len(phrases) == 20_000


def test_a_folder_without_the_file_counts_every_paste_in_scope(tree):
    folder = tree({"test-a.md": article_text()})
    corpus = load_corpus([folder])
    assert corpus.scope == ()
    # The engine passes every article id: a KB number alone must not become the only
    # product word, or every paste that does not name it would be out of scope.
    scope = make_scope(corpus.scope, ["KB974014", "test-a"], lambda text: text)
    assert scope.holds([]) and scope.holds(["anything"])


def test_a_copy_of_the_articles_without_the_file_keeps_its_strong_answers(tmp_path, run):
    import shutil

    from tests.conftest import ARTICLES

    for md in ARTICLES.glob("*.md"):
        if md.name != "README.md":
            shutil.copy(md, tmp_path / md.name)
    shutil.copy(ARTICLES / "vocabulary.txt", tmp_path / "vocabulary.txt")
    res = run("check", "--articles", str(tmp_path))
    assert res.exit_code == 0 and res.stdout.endswith("all find their article\n"), res.stdout


def test_entries_are_read_as_search_reads_a_paste():
    rewrite = make_rewrite((("task sequence", "ts"),))
    scope = make_scope(["task sequence", "sms*"], ["KB974014", "move-site-database"], rewrite)
    assert scope.entries == (("task", "sequenc"), ("kb974014",))
    assert scope.prefixes == ("sms",)
    assert scope.holds(["task", "sequenc"])  # "TS" and "task sequences" read alike
    assert scope.holds(["task", "x", "y", "sequenc"])  # a word's parts may sit between
    assert not scope.holds(["task"])  # every word of an entry
    assert not scope.holds(["sequenc", "task"])  # in their order
    assert not scope.holds(["task", "a", "b", "c", "sequenc"])  # close together
    assert scope.holds(["smsexec"]) and scope.holds(["kb974014"])


@pytest.mark.parametrize(
    "text",
    [
        "task sequnce fails after the reboot, what now?",  # a misspelling is corrected
        "the TS fails after the reboot",  # the vocabulary applies
        "smsexec keeps stopping on the primary",  # a prefix
        "where do I download KB 974014",  # an article's KB number
        "0x80070002 after the reboot",  # a code
        "Failed to open the file	FooBar	3/2/2010 2:17:09 PM	2664 (0x0A68)",  # a log line
    ],
)
def test_what_puts_a_paste_in_scope(text):
    assert ENGINE.in_scope(ENGINE.read(text))


@pytest.mark.parametrize(
    "text",
    [
        "how do I move the files of a SQL Server user database to another drive",
        "the site keeps showing an old page after we changed the web server",
    ],
)
def test_prose_that_never_names_configmgr_is_out_of_scope(text):
    assert not ENGINE.in_scope(ENGINE.read(text))


def test_out_of_scope_prose_is_at_most_possible_but_keeps_its_results():
    text = "how do I detach the database, copy the files to another drive and attach it again"
    got = ENGINE.search(text)
    assert got["results"] and got["strong"] is False
    said = text + " for the ConfigMgr 2007 site database"
    assert ENGINE.search(said)["strong"] is True


@pytest.mark.parametrize(
    "component, declared, own",
    [
        ("", frozenset({"osdsetuphook"}), True),  # the paste does not say who wrote it
        ("OSDSetupHook", frozenset(), True),  # the article lists no component
        ("OSDSetupHook", frozenset({"osdsetuphook"}), True),
        ("osdsetuphook", frozenset({"osdsetuphook"}), True),
        ("TSMBootstrap", frozenset({"osdsetuphook", "tsmanager"}), False),
    ],
)
def test_own_component(component, declared, own):
    assert own_component(component, declared) is own


def test_a_code_only_another_component_printed_is_not_solid():
    # 0x80072ee7 alone is strong for the NIC article; printed by the boot media's
    # TSMBootstrap, it is the same code from another failure.
    assert ENGINE.search("0x80072ee7")["strong"] is True
    line = "SendResourceRequest() failed with 0x80072ee7 TSMBootstrap"
    assert ENGINE.search(line)["strong"] is False
    assert ENGINE.search(line.replace("TSMBootstrap", "OSDSetupHook"))["strong"] is True


def _reference_holds(entries, prefixes, terms) -> bool:
    """The rule, spelled out: some positions of an entry's terms, in order, each gap 1..3."""
    from kb.search.scope import SCOPE_GAP

    def from_here(entry, k, at):
        if k == len(entry):
            return True
        return any(
            terms[n] == entry[k] and from_here(entry, k + 1, n)
            for n in range(at + 1, min(at + SCOPE_GAP, len(terms) - 1) + 1)
        )

    for entry in entries:
        if any(t == entry[0] and from_here(entry, 1, n) for n, t in enumerate(terms)):
            return True
    return any(t.startswith(p) for t in terms for p in prefixes)


_WORDS = st.sampled_from(["task", "sequenc", "sit", "server", "sms", "smsexec", "x", "y", "db"])


@settings(max_examples=300, deadline=None)
@given(terms=st.lists(_WORDS, max_size=12))
def test_holds_is_the_rule_spelled_out(terms):
    from kb.search.scope import Scope

    entries = (("task", "sequenc"), ("sit", "server"), ("sit", "db", "server"))
    scope = Scope(entries, ("smse",))
    assert scope.holds(terms) == _reference_holds(entries, ("smse",), terms)
