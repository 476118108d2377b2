"""Build the static site, stage by stage (mkdocs' habit): each stage is one function.

load_articles -> load_engine -> render_pages -> write_search_data -> copy_assets
-> swap_in. Everything is written into a temporary folder next to the target,
which is swapped in at the end, so an interrupted build never leaves half a
site where the old one was.
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kb.errors import KbError

if TYPE_CHECKING:
    from kb.corpus import Corpus
    from kb.search import Engine
    from kb.site.pages import Renderer

T = TypeVar("T")
Progress = Callable[[str, Iterable[Any], int], Iterable[Any]]

KB_STATIC = Path(__file__).resolve().parent.parent / "static"
MARKER = "data/search-index.js"  # an existing folder holding this is a site we may replace
MANIFEST = ".kb-files"  # the files a build wrote: any other file in the folder was added


class SiteError(KbError):
    """The site cannot be built; ``problems`` lists the article problems, if any."""

    def __init__(self, message: str, problems: Iterable[object] = ()) -> None:
        super().__init__(message)
        self.problems = [str(p) for p in problems]


@dataclass(frozen=True)
class BuildOptions:
    """What ``python build.py`` / ``kb build`` was asked for."""

    out: Path = Path("site")
    articles_dir: Path | None = None
    base_url: str | None = None
    strict: bool = False


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    out: Path
    articles: int
    code_pages: int
    pages: int
    search_bytes: int
    codes_bytes: int
    seconds: float
    warnings: list[str]

    def summary(self) -> str:
        """Return the one-line summary printed after a build."""
        articles = f"{self.articles} article{'' if self.articles == 1 else 's'}"
        return (
            f"built {self.out}{os.sep}: {articles}, {self.code_pages} code pages, "
            f"search data {self.search_bytes / 1024:,.0f} KB in {self.seconds:.1f} s"
        )


def no_progress(label: str, items: Iterable[T], length: int) -> Iterable[T]:
    """Iterate without showing progress."""
    return items


def build_site(options: BuildOptions, progress: Progress = no_progress) -> BuildResult:
    """Build the whole site into ``options.out``; raise SiteError (old site left in place)."""
    started = time.perf_counter()
    target = options.out.resolve()
    check_target(target)
    corpus, warnings = load_articles(options.articles_dir, options.strict)
    if not options.base_url:
        from kb.site.pages import NOT_FOUND_WARNING

        warnings.append(NOT_FOUND_WARNING)
    engine = load_engine(corpus)
    code_values = sorted(code_page_values(engine))
    renderer = make_renderer(engine, code_values, options.base_url)
    tmp = make_folder_beside(target, "building")
    try:
        pages = render_pages(renderer, tmp, code_values, progress)
        search_bytes, codes_bytes = write_search_data(renderer, tmp, code_values)
        copy_assets(tmp)
        keep_added_files(target, tmp)
        swap_in(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BuildResult(
        out=options.out,
        articles=len(engine.articles),
        code_pages=len(code_values),
        pages=pages,
        search_bytes=search_bytes,
        codes_bytes=codes_bytes,
        seconds=time.perf_counter() - started,
        warnings=warnings,
    )


def check_target(target: Path) -> None:
    """Refuse to replace a folder that is not empty and holds no kb site."""
    if target.exists() and not target.is_dir():
        raise SiteError(f"{target}: exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise SiteError(
            f"{target}: the folder is not empty and holds no kb site; "
            "choose an empty or new folder with --out"
        )


def load_articles(articles_dir: Path | None, strict: bool) -> tuple[Corpus, list[str]]:
    """Stage 1: load and validate the articles; errors (and warnings with strict) fail."""
    from kb.corpus import default_dir, load_corpus

    folder = articles_dir or default_dir()
    if not folder.is_dir():
        raise SiteError(f"{folder}: no such articles folder (set --articles or KB_ARTICLES)")
    corpus = load_corpus([folder])
    errors = corpus.errors
    warnings = [p for p in corpus.problems if p.severity != "error"]
    failing = list(corpus.problems) if strict else errors
    if failing:
        what = ", ".join(
            f"{n} {word}{'' if n == 1 else 's'}"
            for n, word in ((len(errors), "error"), (len(warnings), "warning"))
        )
        raise SiteError(f"{what} in the articles: site not built", failing)
    if not corpus.articles:
        raise SiteError(f"{folder}: no articles to build a site from")
    return corpus, [str(w) for w in warnings]


def load_engine(corpus: Corpus) -> Engine:
    """Stage 2: build the search engine (Whoosh index in memory, line templates)."""
    from kb.search import Engine

    return Engine(corpus, in_memory=True)


def code_page_values(engine: Engine) -> set[int]:
    """Return the codes that get a page: every code the corpus cites, described or documented."""
    from kb.codes import code_descriptions, documented_codes

    return set(engine.code_articles) | set(code_descriptions()) | set(documented_codes())


def make_renderer(engine: Engine, code_values: list[int], base_url: str | None) -> Renderer:
    """Return the page renderer (the web app's templates, relative links)."""
    from kb.codes import format_hex
    from kb.site.pages import Renderer

    return Renderer(engine, frozenset(format_hex(v) for v in code_values), base_url)


def make_folder_beside(target: Path, what: str) -> Path:
    """Create a new hidden folder next to the target (same file system, so renames work)."""
    while True:
        folder = target.parent / f".{target.name}-{what}-{os.getpid()}-{secrets.token_hex(4)}"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            folder.mkdir()  # unlike mkdtemp, honours the umask: the site stays readable
            return folder
        except FileExistsError:
            if not target.parent.is_dir():
                raise SiteError(f"{target.parent}: not a folder; choose another --out") from None
        except OSError as exc:
            raise SiteError(
                f"{target.parent}: cannot write here ({exc.strerror or exc}); "
                "choose another folder with --out"
            ) from None


def render_pages(renderer: Renderer, out: Path, code_values: list[int], progress: Progress) -> int:
    """Stage 3: render home, 404, the articles index, every article and every code page."""
    engine = renderer.engine
    count = len(engine.articles) + len(code_values) + 3

    def pages() -> Iterator:
        yield renderer.home()
        yield renderer.not_found()
        yield renderer.articles_index()
        yield from renderer.articles()
        yield from renderer.codes(code_values)

    for page in progress("pages", pages(), count):
        path = out / page.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.html, encoding="utf-8")
    if renderer.base_url:
        from kb.site.pages import opensearch_xml

        (out / "opensearch.xml").write_text(opensearch_xml(renderer.base_url), encoding="utf-8")
    return count


def write_search_data(renderer: Renderer, out: Path, code_values: list[int]) -> tuple[int, int]:
    """Stage 4: write data/search-index.js and data/codes.js; return their sizes in bytes."""
    from kb.search import search_data, write_script
    from kb.site.codedata import code_data
    from kb.site.links import article_path
    from kb.site.pages import CODES_SCRIPT, INDEX_SCRIPT

    data = search_data(renderer.engine, article_path, renderer.first_step_html, set(code_values))
    (out / "data").mkdir(exist_ok=True)
    index_bytes = write_script(out / INDEX_SCRIPT, "KB_INDEX", data)
    codes_bytes = write_script(out / CODES_SCRIPT, "KB_CODES", code_data())
    return index_bytes, codes_bytes


def engine_parts() -> list[Path]:
    """Return the browser search engine's source files in load order (kb/static/engine/ORDER)."""
    folder = KB_STATIC / "engine"
    lines = (folder / "ORDER").read_text(encoding="utf-8").splitlines()
    return [folder / name for line in lines if (name := line.strip()) and not name.startswith("#")]


def engine_script() -> bytes:
    """Return the site's static/search.js: the engine's parts, concatenated in load order."""
    banner = b"/* static/search.js: built by kb/site/build.py from kb/static/engine/ (ORDER). */\n"
    return banner + b"\n".join(part.read_bytes() for part in engine_parts())


def copy_assets(out: Path) -> None:
    """Stage 5: copy the web app's CSS, script and icon and the page script; write search.js."""
    import kbserver

    static = out / "static"
    static.mkdir(exist_ok=True)
    web_static = Path(kbserver.__file__).resolve().parent / "static"
    for folder in (web_static, KB_STATIC):
        for src in sorted(folder.iterdir()):
            if src.is_file() and src.suffix in (".css", ".js", ".svg", ".png", ".ico"):
                shutil.copyfile(src, static / src.name)
    (static / "search.js").write_bytes(engine_script())


def keep_added_files(target: Path, tmp: Path) -> None:
    """Stage 5b: list what kb wrote, and carry over what someone added to the old site.

    A web.config or a robots.txt put beside the pages must survive a rebuild. The
    files kb wrote are listed in MANIFEST; a site built before the list existed
    keeps its top-level files that are not pages.
    """
    written = sorted(p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file())
    (tmp / MANIFEST).write_text("\n".join(written) + "\n", encoding="utf-8")
    if not target.is_dir():
        return
    listed = target / MANIFEST
    if listed.is_file():
        ours = set(listed.read_text(encoding="utf-8").split("\n"))
        old = (p for p in target.rglob("*") if p.is_file() and not p.is_symlink())
    else:
        ours = set()
        old = (p for p in target.iterdir() if p.is_file() and p.suffix != ".html")
    for path in old:
        rel = path.relative_to(target).as_posix()
        if rel in ours or rel == MANIFEST or (tmp / rel).exists():
            continue
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, tmp / rel)


def swap_in(tmp: Path, target: Path) -> None:
    """Stage 6: put the new site in place: old out of the way, new in, old removed."""
    old = None
    if target.exists():
        old = make_folder_beside(target, "old")
        os.rename(target, old / target.name)
    try:
        os.rename(tmp, target)
    except OSError:
        if old is not None:  # put the old site back
            os.rename(old / target.name, target)
            shutil.rmtree(old, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
