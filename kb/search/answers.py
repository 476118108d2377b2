"""Build the plain dicts that every shell prints: the CLI, the JSON API and the pages.

One function per answer, so ``kb lookup --json``, ``/api/lookup`` and the
``/codes/<code>`` page cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from kb.corpus import Article, Corpus


def article_ref(article: Article) -> dict[str, str]:
    """Return the short form of an article used in lists."""
    return {"id": article.id, "title": article.title, "summary": article.summary}


def code_answer(corpus: Corpus, value: int, text: str | None = None) -> dict[str, Any]:
    """Return the lookup object for a code value: its decoding and the articles citing it."""
    from kb.codes import decode, format_hex

    info = decode(value)
    answer: dict[str, Any] = {"input": text if text is not None else format_hex(value)}
    answer.update(info.to_dict())
    answer["articles"] = [article_ref(a) for a in corpus.citing(value)]
    return answer


def lookup_answer(corpus: Corpus, text: str) -> dict[str, Any]:
    """Parse one code from user text and return its lookup object (raises CodeError)."""
    from kb.codes import parse_code

    return code_answer(corpus, parse_code(text), text)
