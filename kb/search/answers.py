"""Build the plain dicts that every shell prints: the CLI, the JSON API and the pages.

One function per answer, so ``kb lookup --json``, ``/api/lookup`` and the
``/codes/<code>`` page cannot drift apart.
"""

from __future__ import annotations

import re
from typing import Any

from kb.corpus import Article, Corpus
from kb.errors import CodeError

# "exit code 2", "return code 5", "errorlevel 1", "exited with 3": a program's own number.
_EXIT_WORDS = re.compile(r"\b(?:exit|return)[ _-]?code\b|\berrorlevel\b|\bexited with\b", re.I)
_KB_NUMBER = re.compile(r"KB[0-9]{6,7}", re.I)


def article_ref(article: Article) -> dict[str, str]:
    """Return the short form of an article used in lists."""
    return {"id": article.id, "title": article.title, "summary": article.summary}


def code_answer(
    corpus: Corpus, value: int, text: str | None = None, process_exit: bool = False
) -> dict[str, Any]:
    """Return the lookup object for a code value: its decoding and the articles citing it.

    ``process_exit`` says the text gives the value only as a process's exit code
    ("exit code 31"): the Win32 reading is then offered, not asserted.
    """
    from kb.codes import decode, format_hex

    info = decode(value)
    answer: dict[str, Any] = {"input": text if text is not None else format_hex(value)}
    answer.update(info.to_dict())
    answer["process_exit"] = process_exit
    if process_exit:
        answer["description"] = exit_code_reading(value, answer["description"])
        if answer["hint"]:
            answer["hint"] = "If it is a Win32 error: " + answer["hint"]
    answer["articles"] = [article_ref(a) for a in corpus.citing(value)]
    return answer


def exit_code_reading(value: int, description: str) -> str:
    """Return how a process exit code reads: the program's own number, maybe a Win32 error."""
    return (
        f"Process exit code {value}: the program that exited chose this number. "
        f"If it is a Win32 error: {description}"
    )


def lookup_answer(corpus: Corpus, text: str) -> dict[str, Any]:
    """Parse one code from user text and return its lookup object (raises CodeError)."""
    from kb.codes import parse_code

    try:
        value = parse_code(text)
    except CodeError:
        _refuse_article_id(corpus, text)
        raise
    # A process exit code is whatever number the program chose: say so first,
    # then give the Win32 meaning as the likely one.
    exit_code = 0 < value <= 0xFFFF and bool(_EXIT_WORDS.search(text))
    return code_answer(corpus, value, text, exit_code)


def article_named(corpus: Corpus, text: str):
    """Return the article whose id the text is (any case), or None."""
    word = text.strip()
    return corpus.by_id.get(word) or next(
        (a for a in corpus.articles if a.id.lower() == word.lower()), None
    )


def _refuse_article_id(corpus: Corpus, text: str) -> None:
    """Raise a CodeError that names the article when the text is an article id."""
    word = text.strip()
    article = article_named(corpus, word)
    if article is not None:
        raise CodeError(f"{word} is an article id, not an error code: {article.title}")
    if _KB_NUMBER.fullmatch(word):
        raise CodeError(
            f"{word} is a Knowledge Base article id, not an error code; no article has that id"
        )
