"""The search engine: a paste, a question or a log in; ranked articles with reasons out."""

from __future__ import annotations

import contextlib
import threading
from collections import defaultdict
from os import PathLike
from pathlib import Path
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from kb.corpus import Article, Corpus, load_corpus
from kb.search import ranking
from kb.search.declared import Declared
from kb.search.lines import LineIndex
from kb.search.ranking import PARAMS
from kb.search.results import Context, build_result
from kb.search.scope import make_scope
from kb.search.signals import Signals, read_signals
from kb.search.textnorm import COMMON_TERMS
from kb.search.vocabulary import make_rewrite

MAX_CODES_SHOWN = 20
CURATED_FIELDS = ("title", "summary")


class Engine:
    """The knowledge base, loaded once: articles, code citations, line templates, index."""

    def __init__(self, corpus: Corpus, index_folder: Path | None = None, in_memory: bool = False):
        from kb.search.index import build_in_memory, drop_index, open_index

        self.corpus = corpus
        self.articles: tuple[Article, ...] = corpus.articles
        self.vocabulary_groups = corpus.vocabulary
        self.rewrite = make_rewrite(corpus.vocabulary)
        self.scope = make_scope(corpus.scope, (a.id for a in corpus.articles), self.rewrite)
        self._local = threading.local()
        self._coverage: dict[str, dict[int, float]] = {}  # term -> article -> coverage
        self._corrections: dict[str, str | None] = {}  # unknown term -> known term
        if in_memory:
            self.ix = build_in_memory(self.articles, corpus.vocabulary)
            self._read_index()
        else:
            try:
                self.ix = open_index(self.articles, index_folder, corpus.vocabulary)
                self._read_index()  # reads every term and posting: a damaged file shows here
            except Exception:  # whoosh raises many kinds (EOFError, IndexError, struct.error)
                # A cached index damaged on disk: drop it and build the index afresh.
                drop_index(self.articles, index_folder, corpus.vocabulary)
                self.ix = build_in_memory(self.articles, corpus.vocabulary)
                self._read_index()
        self.vocabulary = sorted(self.total_df)
        # Terms of the fields an author curates to say what the article is (title, questions, summary).
        self.curated = {t for f in CURATED_FIELDS for t in self.df[f]}
        self._build_codes()
        self._build_lines()
        self.declared = Declared(self.articles, self.rewrite)

    def _read_index(self) -> None:
        """Read the index's statistics: document frequencies, documents, postings."""
        from kb.search.index import FIELDS

        reader = self.ix.reader()
        try:
            self.doc_count = max(reader.doc_count_all(), 1)
            self.df: dict[str, dict[str, int]] = {
                f: {t: reader.doc_frequency(f, t) for t in reader.field_terms(f)} for f in FIELDS
            }
            self.docnum_to_article = {}
            by_id = {a.id: i for i, a in enumerate(self.articles)}
            for docnum, stored in reader.iter_docs():
                self.docnum_to_article[docnum] = by_id[stored["id"]]
        finally:
            reader.close()
        self.total_df: dict[str, int] = defaultdict(int)
        for f in FIELDS:
            for t, n in self.df[f].items():
                self.total_df[t] += n
        reader = self.ix.reader()
        try:
            holders: dict[str, set[int]] = defaultdict(set)
            for f in FIELDS:
                for t in self.df[f]:
                    holders[t].update(reader.postings(f, t).all_ids())
            self.df_any = {t: len(docs) for t, docs in holders.items()}
        finally:
            reader.close()

    @classmethod
    def load(cls, articles_dir: str | PathLike[str] | None = None, **kwargs: Any) -> Engine:
        """Load the corpus from a folder (default: the bundled articles) and open its index."""
        corpus = load_corpus(None if articles_dir is None else [articles_dir])
        return cls(corpus, **kwargs)

    # -- building -----------------------------------------------------------------

    def _build_codes(self) -> None:
        """Map each cited code to the articles citing it, and whether in signatures."""
        from kb.codes import decode, parse_code
        from kb.errors import CodeError

        self.code_articles: dict[int, list[tuple[int, bool]]] = defaultdict(list)
        # The codes each article cites in its signatures (kb check reports the others).
        self.signature_codes: list[frozenset[int]] = []
        for i, a in enumerate(self.articles):
            in_sig = set()
            for text in a.signatures.codes:
                with contextlib.suppress(CodeError):
                    in_sig.add(parse_code(text))
            self.signature_codes.append(frozenset(in_sig))
            for value in a.codes:
                self.code_articles[value].append((i, value in in_sig))
        self.code_kind = {}
        for v in self.code_articles:
            info = decode(v)
            self.code_kind[v] = ranking.code_class(info.generic, info.win32)
        self.article_codes = [frozenset(a.codes) for a in self.articles]

    def _build_lines(self) -> None:
        """Index the articles' signature and failure lines (see kb.search.lines)."""
        self.lines = LineIndex(self.articles)
        self.sig_lines = self.lines.sig_lines
        self.anchor_index = self.lines.anchor_index

    # -- searching ----------------------------------------------------------------

    def clear_caches(self) -> None:
        """Forget the per-term coverage and typo corrections computed so far."""
        self._coverage.clear()
        self._corrections.clear()

    def _searcher(self):
        """Return this thread's Whoosh searcher (searchers are not shared across threads)."""
        s = getattr(self._local, "searcher", None)
        if s is None:
            from whoosh.scoring import BM25F

            s = self.ix.searcher(weighting=BM25F(B=PARAMS["bm25_B"], K1=PARAMS["bm25_K1"]))
            self._local.searcher = s
        return s

    def query_terms(self, terms: list[str]) -> tuple[dict[str, tuple[float, float]], float]:
        """Correct typos and keep the rarest known terms.

        Returns each kept term's (idf scale for saturation, importance) and the
        query's total importance, which also counts the terms the corpus does
        not know (up to ``max_terms``): unknown words lower the share covered.
        """
        from kb.search.index import FIELDS

        chosen: dict[str, None] = {}
        unknown = 0
        for t in terms:
            t = self.known(t)
            if t in self.total_df:
                chosen.setdefault(t, None)
            else:
                unknown += 1
        known = sorted(chosen, key=lambda t: (self.total_df[t], t))[: PARAMS["max_terms"]]
        stats = {
            t: (
                ranking.term_weight(self.doc_count, [self.df[f].get(t, 0) for f in FIELDS]),
                ranking.term_importance(self.doc_count, self.df_any[t], t in COMMON_TERMS),
            )
            for t in known
        }
        unseen = ranking.term_importance(self.doc_count, 0)
        total = sum(imp for _, imp in stats.values()) + min(unknown, PARAMS["max_terms"]) * unseen
        return stats, total

    def known(self, term: str) -> str:
        """Return a term as the corpus knows it: corrected when it is a typo of a known one."""
        if term not in self.total_df and len(term) >= PARAMS["typo_min_len"]:
            return self._correct(term) or term
        return term

    def _correct(self, term: str) -> str | None:
        """Return the known term one edit away (most frequent, then first by name).

        The first letter must agree: typos rarely change it, and without this
        rule "reader" would become "header".
        """
        if term in self._corrections:
            return self._corrections[term]
        matches = process.extract(
            term, self.vocabulary, scorer=OSA.distance, score_cutoff=1, limit=None
        )
        best = [m[0] for m in matches if len(m[0]) >= 4 and m[0][0] == term[0]]
        found = min(best, key=lambda t: (-self.total_df[t], t)) if best else None
        if len(self._corrections) < 100_000:  # bounded: pastes can hold endless junk words
            self._corrections[term] = found
        return found

    def _bm25(self, stats: dict[str, tuple[float, float]]) -> dict[int, dict[str, float]]:
        """Return each article's coverage of each term (see _term_coverage)."""
        covered: dict[int, dict[str, float]] = defaultdict(dict)
        for t, (scale, _importance) in stats.items():
            for i, c in self._term_coverage(t, scale).items():
                covered[i][t] = c
        return covered

    def _term_coverage(self, term: str, scale: float) -> dict[int, float]:
        """Return how fully each article covers one term, from its Whoosh BM25F score.

        The score of one term does not depend on the rest of the query, so it
        is computed once per term: the sum over fields of the boosted BM25F
        scores Whoosh's own scorer gives each posting.
        """
        cached = self._coverage.get(term)
        if cached is not None:
            return cached
        searcher = self._searcher()
        scores: dict[int, float] = defaultdict(float)
        for f, boost in PARAMS["field_boosts"].items():
            if not self.df[f].get(term):
                continue
            m = searcher.postings(f, term)
            while m.is_active():
                scores[self.docnum_to_article[m.id()]] += boost * m.score()
                m.next()
        cached = {i: ranking.term_coverage(v, scale) for i, v in scores.items()}
        self._coverage[term] = cached
        return cached

    def search(self, text: str, limit: int = 10) -> dict[str, Any]:
        """Return the search answer for a paste: codes found and ranked articles with reasons."""
        sig = self.read(text)
        scored = [r for r in self.rank(sig) if r["score"] >= PARAMS["threshold"]]
        results = scored[: max(limit, 0)]
        return {
            "query": text,
            "codes": self.code_objects(sig.codes, text),
            "results": results,
            "strong": any(r["confidence"] == "strong" for r in results),
        }

    def read(self, text: str) -> Signals:
        """Read a paste's signals, with this corpus's vocabulary (raises QueryError)."""
        return read_signals(text, self.rewrite)

    def code_objects(self, codes: list[int], text: str = "") -> list[dict[str, Any]]:
        """Return lookup objects for the codes found in a paste (exit codes labelled)."""
        from kb.codes import exit_code_values
        from kb.search.answers import code_answer

        exits = exit_code_values(text)
        return [
            code_answer(self.corpus, v, process_exit=v in exits) for v in codes[:MAX_CODES_SHOWN]
        ]

    def rank(self, sig: Signals) -> list[dict[str, Any]]:
        """Score every article with any evidence; strong first, then by score; unfiltered."""
        evidence: dict[int, dict[str, list]] = defaultdict(
            lambda: {"code": [], "line": {}, "text": []}
        )
        for value in sig.codes:
            cited = self.code_articles.get(value, ())
            for i, in_sig in cited:
                kind = self.code_kind[value]
                w = ranking.code_weight(len(cited), kind, in_sig)
                evidence[i]["code"].append((w, value))
                if ranking.solid_code(len(cited), kind, in_sig) and not self._elsewhere(
                    sig, value, i
                ):
                    evidence[i]["solid"] = True
        self._match_lines(sig, evidence)
        for i, found in self.declared.match(sig).items():
            evidence[i]["declared"] = found
        stats, total = self.query_terms(sig.terms)
        for i, cover in self._bm25(stats).items():
            covered = sum(stats[t][1] * c for t, c in cover.items())
            rare = sum(
                1
                for t, c in cover.items()
                if ranking.rare_term(self.df_any[t], t in COMMON_TERMS, c, t in self.curated)
            )
            part = ranking.combine(
                [ranking.text_part(covered, total, self.doc_count), ranking.rare_part(rare)]
            )
            evidence[i]["text"] = [(part, sorted(cover))]
            evidence[i]["share"] = covered / total if total > 0.0 else 1.0
        errors = [line for line in sig.lines if line.error and line.template.codes]
        log_like = is_log_like(sig)
        specific = {v for v in sig.codes if self.code_kind_of(v) == "specific"}
        # A question in words (no code, not a log) prefers how-to and reference articles.
        question = sig.question and not log_like and not sig.codes
        ctx = Context(
            log_like,
            specific,
            sig.words,
            errors,
            bool(stats),
            question,
            self.in_scope(sig),
            tuple(sig.components),
        )
        built = [build_result(self, i, ev, ctx) for i, ev in evidence.items()]
        raws = sorted((raw for _r, raw, _t in built), reverse=True)
        results = []
        for result, raw, tier in built:
            result["confidence"] = tier(ranking.margin(raw, raws))
            if result["confidence"] == "strong":
                # Evidence strong enough shows the paste is ConfigMgr's: no scope caveat.
                result["reasons"] = [r for r in result["reasons"] if r["type"] != "scope"]
            results.append(result)
        return sorted(results, key=ranking.tier_order)

    def in_scope(self, sig: Signals) -> bool:
        """Tell whether a paste shows it is about ConfigMgr (see kb.corpus.scope).

        An error code, a log, a line a ConfigMgr component wrote or one of the
        product's words does; prose that says none of these may share words with
        an article but is never explained by it for sure.
        """
        if sig.codes or sig.components or is_log_like(sig):
            return True
        return self.scope.holds([self.known(t) for t in sig.sequence])

    def _elsewhere(self, sig: Signals, value: int, article: int) -> bool:
        """Tell whether every pasted line with this code was written by a component
        the article does not list: then the code shows another failure (ranking.own_component)."""
        holders = [line for line in sig.lines if value in line.template.codes]
        return bool(holders) and not any(
            self.lines.own(line.component, article) for line in holders
        )

    def code_kind_of(self, value: int) -> str:
        """Classify any code, cited or not (see ranking.code_class)."""
        kind = self.code_kind.get(value)
        if kind is None:
            from kb.codes import decode

            info = decode(value)
            kind = ranking.code_class(info.generic, info.win32)
        return kind

    def decisive(self, sl: Any, line: Any) -> bool:
        """Tell whether a signature line matched by a pasted line can decide alone.

        It cannot when it only spells out a common code (ranking.line_decides) or
        when another component than the article's wrote the pasted line.
        """
        if not self.lines.own(line.component, sl.article):
            return False
        return ranking.line_decides([self.code_kind_of(v) for v in sl.template.codes], sl.text)

    def _match_lines(self, sig: Signals, evidence: dict) -> None:
        """Add each article's line evidence (see kb.search.lines.LineIndex.match)."""
        for article, si, found in self.lines.match(sig, self.article_codes):
            best = evidence[article]["line"].get(si)
            if best is None or found[0] > best[0]:
                evidence[article]["line"][si] = found

    # -- whole logs ---------------------------------------------------------------

    def analyze(self, path: str | PathLike[str], limit: int = 5) -> dict[str, Any]:
        """Analyze a log file, a folder of a machine's logs or a zip of them, and match the articles."""
        from kb.logs import analyze_path

        return self.match_analysis(analyze_path(str(path), watch=self.watch_terms()), limit)

    def analyze_text(self, text: str, name: str = "<paste>", limit: int = 5) -> dict[str, Any]:
        """Analyze log text and match the articles."""
        from kb.logs import analyze_text

        return self.match_analysis(analyze_text(text, name=name, watch=self.watch_terms()), limit)

    def analyze_upload(self, name: str, data: bytes, limit: int = 5) -> dict[str, Any]:
        """Analyze an uploaded log or zip of logs and match the articles."""
        from kb.logs import analyze_upload

        return self.match_analysis(analyze_upload(name, data, watch=self.watch_terms()), limit)

    def watch_terms(self) -> tuple[str, ...]:
        """Return the signature words the analyzer keeps lines for (kb.search.logreport)."""
        from kb.search.logreport import watch_terms

        cached = getattr(self, "_watch", None)
        if cached is None:
            cached = self._watch = watch_terms(self.articles)
        return cached

    def match_analysis(self, analysis: Any, limit: int = 5) -> dict[str, Any]:
        """Return an analysis as JSON-ready data, with the articles that match it."""
        from kb.search.logreport import analysis_report

        return analysis_report(self, analysis, limit)


def is_log_like(sig: Signals) -> bool:
    """Tell whether a paste is clearly a log rather than a question."""
    if sig.failed_action or sig.format != "plain":
        return True
    return sum(1 for line in sig.lines if line.template.codes) >= 2
