"""The product's words (articles/scope.txt): what shows a paste is about ConfigMgr.

One entry a line: words that search reads as it reads a paste (the vocabulary
applied, endings removed, misspellings corrected), all of which must be in the
paste, or one word ending in ``*`` that any word of the paste may start with::

    # comment
    configmgr
    task sequence
    sms*

Search gives a strong answer from words alone only to a paste that says it is
about the product: one of these phrases, an error code, a log line written by
a ConfigMgr component, or one of the articles' KB numbers. A plain SQL Server
or Windows question that shares words with an article is "possibly related".
"""

from __future__ import annotations

import os

from kb.corpus.vocabulary import PHRASE_RE, read_word_list

FILE_NAME = "scope.txt"


def load_scope(folder: str | os.PathLike[str]) -> tuple[tuple[str, ...], list]:
    """Read ``scope.txt`` of an articles folder: (phrases, problems as (path, line, message)).

    A folder without the file has no product words: every paste is in scope.
    """
    text, name, problems = read_word_list(folder, FILE_NAME, "the product words")
    return parse_scope(text, name) if text is not None else ((), problems)


def parse_scope(text: str, name: str = FILE_NAME) -> tuple[tuple[str, ...], list]:
    """Parse scope text into its phrases, with the problems found."""
    phrases: dict[str, int] = {}
    problems: list[tuple[str, int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        phrase = " ".join(raw.split("#", 1)[0].split()).lower()
        if not phrase:
            continue
        if not PHRASE_RE.match(phrase.removesuffix("*")) or (
            phrase.endswith("*") and (" " in phrase or len(phrase) < 4)
        ):
            problems.append(
                (
                    name,
                    number,
                    f"{phrase!r}: use ASCII letters, digits, spaces, '.', '_', '-'; "
                    "a '*' ends one word of three letters or more",
                )
            )
        elif phrase in phrases:
            problems.append((name, number, f"{phrase!r} is already on line {phrases[phrase]}"))
        else:
            phrases[phrase] = number
    return tuple(phrases), problems
