"""The static site build: stages, pages, relative links, the swap-in, errors and the CLI."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from kb.site import BuildOptions, SiteError, build_site
from kb.site.build import MANIFEST, MARKER, load_articles
from kb.site.links import make_link
from tests.conftest import ARTICLES, REPO, article_text


def article_count() -> int:
    """Return how many articles the bundled folder holds."""
    from kb.corpus.articles import load_corpus

    return len(load_corpus([ARTICLES]).articles)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The bundled articles built once for this module."""
    out = tmp_path_factory.mktemp("built") / "site"
    build_site(BuildOptions(out=out, articles_dir=ARTICLES))
    return out


class _Refs(HTMLParser):
    """Collect every href and src of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.refs.append((tag, name, value))


def refs(page: Path) -> list[tuple[str, str, str]]:
    parser = _Refs()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.refs


def test_the_site_has_every_page(site):
    assert (site / "index.html").is_file()
    assert (site / "404.html").is_file()
    assert (site / "articles" / "index.html").is_file()
    assert len(list((site / "articles").glob("*.html"))) == article_count() + 1
    assert (site / "articles" / "KB977203.html").is_file()
    assert (site / "codes" / "0x80092024.html").is_file()
    assert (site / "codes" / "0x80070002.html").is_file()  # described, maybe not cited
    for name in (
        "kb.css",
        "kb.js",
        "favicon.svg",
        "search.js",
        "site.js",
        "site-results.js",
        "site.css",
    ):
        assert (site / "static" / name).is_file(), name
    assert (site / MARKER).is_file()
    assert (site / "data" / "codes.js").is_file()


def test_every_internal_link_resolves_and_nothing_comes_from_the_internet(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        for tag, attr, value in refs(page):
            parts = urlsplit(value)
            if parts.scheme in ("http", "https"):
                assert tag == "a", f"{page}: {tag} {attr}={value} loads from the network"
                continue
            assert not parts.scheme and not value.startswith("/"), (
                f"{page}: {value} is not relative"
            )
            if not parts.path:
                continue  # #q=..., #tag-...
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{page.relative_to(site)}: broken link {value}"
            assert site.resolve() in target.parents


def test_links_are_relative_to_the_page(site):
    article = (site / "articles" / "KB977203.html").read_text(encoding="utf-8")
    assert 'href="../codes/0x80092024.html"' in article
    assert 'href="../static/kb.css"' in article
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="static/kb.css"' in home
    assert 'href="index.html#q=0x80070002"' in home
    assert '<script src="data/search-index.js" defer>' in home
    assert 'id="static-results"' in home
    assert "search.js" not in article  # only the home page loads the engine and its data


def test_the_link_function_gives_paths_from_the_page():
    link = make_link("../", {"0x80092024"})
    assert link("code", "0x80092024") == "../codes/0x80092024.html"
    assert link("code", "0x80070490") == "../index.html#q=0x80070490"  # no page: search it
    assert link("static", "kb.css") == "../static/kb.css"
    assert link("search", "a b/c") == "../index.html#q=a%20b%2Fc"
    assert link("search") == "../index.html"
    assert link("article", "KB977203") == "../articles/KB977203.html"
    assert make_link("", set())("home") == "index.html"
    with pytest.raises(ValueError):
        link("analyze")


def test_pages_use_the_web_app_templates(site):
    article = (site / "articles" / "KB977203.html").read_text(encoding="utf-8")
    assert 'class="article-layout"' in article and 'class="fact-codes"' in article
    code = (site / "codes" / "0x80092024.html").read_text(encoding="utf-8")
    assert "CRYPT_E_NOT_CHAR_STRING" in code and 'class="decoding"' in code
    index = (site / "articles" / "index.html").read_text(encoding="utf-8")
    assert 'id="tag-usmt"' in index
    assert "upload" not in (site / "index.html").read_text(encoding="utf-8").lower()


def test_base_url_feeds_only_absolute_urls_that_need_it(tmp_path):
    out = tmp_path / "site"
    build_site(
        BuildOptions(out=out, articles_dir=ARTICLES, base_url="https://intranet.example/kb/")
    )
    xml = (out / "opensearch.xml").read_text(encoding="utf-8")
    assert 'template="https://intranet.example/kb/index.html#q={searchTerms}"' in xml
    article = (out / "articles" / "KB977203.html").read_text(encoding="utf-8")
    assert (
        '<link rel="canonical" href="https://intranet.example/kb/articles/KB977203.html">'
        in article
    )
    assert 'href="../codes/0x80092024.html"' in article  # links stay relative
    not_found = (out / "404.html").read_text(encoding="utf-8")
    assert 'href="https://intranet.example/kb/static/kb.css"' in not_found  # served at any depth


def test_a_rebuild_swaps_the_new_site_in_and_leaves_nothing_behind(tmp_path):
    out = tmp_path / "site"
    build_site(BuildOptions(out=out, articles_dir=ARTICLES))
    # A page an older build wrote (an article since deleted) is listed as kb's.
    (out / "articles" / "gone.html").write_text("old")
    with open(out / MANIFEST, "a", encoding="utf-8") as f:
        f.write("articles/gone.html\n")
    build_site(BuildOptions(out=out, articles_dir=ARTICLES))
    assert not (out / "articles" / "gone.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_rebuild_keeps_the_files_someone_added_to_the_site(tmp_path):
    out = tmp_path / "site"
    build_site(BuildOptions(out=out, articles_dir=ARTICLES))
    (out / "web.config").write_text("<configuration/>")
    (out / "extra").mkdir()
    (out / "extra" / "notes.html").write_text("ours")
    build_site(BuildOptions(out=out, articles_dir=ARTICLES))
    assert (out / "web.config").read_text() == "<configuration/>"
    assert (out / "extra" / "notes.html").read_text() == "ours"
    listed = (out / MANIFEST).read_text(encoding="utf-8").split()
    assert "index.html" in listed and "web.config" not in listed


def test_a_site_built_before_the_file_list_keeps_its_top_level_extras(tmp_path):
    out = tmp_path / "site"
    build_site(BuildOptions(out=out, articles_dir=ARTICLES))
    (out / MANIFEST).unlink()
    (out / "web.config").write_text("<configuration/>")
    (out / "stale.html").write_text("a page: kb's, from before the list")
    build_site(BuildOptions(out=out, articles_dir=ARTICLES))
    assert (out / "web.config").exists() and not (out / "stale.html").exists()


def test_a_failed_build_keeps_the_old_site(tmp_path, monkeypatch):
    out = tmp_path / "site"
    build_site(BuildOptions(out=out, articles_dir=ARTICLES))
    before = (out / "index.html").read_text()

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr("kb.site.build.copy_assets", broken)
    with pytest.raises(OSError):
        build_site(BuildOptions(out=out, articles_dir=ARTICLES))
    assert (out / "index.html").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_it_refuses_to_replace_a_folder_that_is_not_a_site(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(SiteError, match="holds no kb site"):
        build_site(BuildOptions(out=tmp_path, articles_dir=ARTICLES))
    assert (tmp_path / "mine.txt").read_text() == "keep me"


def test_article_errors_fail_with_path_line_messages(tree):
    folder = tree({"bad.md": article_text("bad", **{"kind: troubleshooting": "kind: nonsense"})})
    with pytest.raises(SiteError) as info:
        load_articles(folder, strict=False)
    assert re.match(r".*bad\.md:\d+: ", info.value.problems[0])


def test_strict_fails_on_warnings(tree):
    folder = tree({"other-name.md": article_text("test-a")})  # id differs from the file name
    corpus, warnings = load_articles(folder, strict=False)
    assert len(corpus.articles) == 1 and warnings
    with pytest.raises(SiteError) as info:
        load_articles(folder, strict=True)
    assert "warning" in info.value.problems[0]


def test_kb_build_prints_one_summary_line(run, tmp_path):
    result = run("build", "--out", str(tmp_path / "out"), "--articles", str(ARTICLES))
    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(
        rf"built .*out/: {article_count()} articles, \d+ code pages, search data \d+ KB in [\d.]+ s\n",
        result.stdout,
    )


def test_kb_build_reports_problems_and_exits_2(run, tree, tmp_path):
    folder = tree({"bad.md": article_text("bad", **{"kind: troubleshooting": "kind: nonsense"})})
    result = run("build", "--out", str(tmp_path / "out"), "--articles", str(folder))
    assert result.exit_code == 2
    assert "bad.md:" in result.stderr and "site not built" in result.stderr
    assert not (tmp_path / "out").exists()


def test_build_py_is_the_same_command(tmp_path):
    out = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--out", str(out), "--strict"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"built {out}/: {article_count()} articles")
    assert (out / "index.html").is_file()


def test_a_404_built_without_a_base_url_is_styled_inline_and_the_build_warns(tmp_path):
    from kb.site.pages import NOT_FOUND_WARNING

    result = build_site(BuildOptions(out=tmp_path / "site", articles_dir=ARTICLES))
    assert NOT_FOUND_WARNING in result.warnings
    not_found = (tmp_path / "site" / "404.html").read_text(encoding="utf-8")
    assert "<style>" in not_found and ".topbar" in not_found and "</style>" in not_found
    with_base = build_site(
        BuildOptions(out=tmp_path / "b", articles_dir=ARTICLES, base_url="https://kb.example")
    )
    assert NOT_FOUND_WARNING not in with_base.warnings


def test_kb_build_prints_the_404_warning_on_stderr(run, tmp_path):
    result = run("build", "--out", str(tmp_path / "out"), "--articles", str(ARTICLES))
    assert result.exit_code == 0
    assert "404.html: built without --base-url" in result.stderr
