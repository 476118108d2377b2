"""Tell on raw bytes whether a log line can matter to the analyzer (the prefilter's tests).

A CMTrace message can matter when it holds a signal or error word, a machine-name
word or a watched signature word (the gate terms), or a high-bit error code. These
tests run on lower-cased ASCII bytes, never on decoded text, and say "can matter"
for a superset of the lines that do: a line they let through is analyzed in full.
The terms are found with an Aho-Corasick automaton, over a whole block at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ahocorasick_rs import BytesAhoCorasick

from kb.codes import code_values
from kb.logs.steps import ERROR_KEYWORDS, PREFILTER_WORDS, REBOOT_CODES

# steps.might_hold_code on bytes: hex digits become "x", the rest ".", then a substring test.
HEX_MAP = bytes(ord("x") if chr(b) in "0123456789abcdefABCDEF" else ord(".") for b in range(256))
SEVEN = b"xxxxxxx"
# What a high-bit code needs in a line without error words (kb.codes.extract): "0x",
# eight hex digits in brackets, ten digits, or a code word before the number.
CODE_HINT = re.compile(
    rb"0x|\([89cd][0-9a-f]{7}\)|[0-9]{10}|err|code|return|result|received|status|gle|hr"
)
# CODE_HINT's words alone (see word_pattern): "(8" to "(d" stand for eight hex
# digits in brackets. A line with a run of seven hex digits and none of these words,
# and no ten digits in a row (DIGIT_MAP, TEN), has no error code.
HINT_WORDS = (b"0x", b"(8", b"(9", b"(c", b"(d", b"err", b"code", b"return", b"result")
HINT_WORDS += (b"received", b"status", b"gle", b"hr")
DIGIT_MAP = bytes(ord("d") if chr(b) in "0123456789" else ord(".") for b in range(256))
TEN = b"d" * 10
_GATE = tuple(dict.fromkeys(k.encode() for k in (*PREFILTER_WORDS, *ERROR_KEYWORDS)))


def gate_terms(watch: Iterable[str]) -> tuple[bytes, ...]:
    """Return the lower-case words that send a line down the full path: signals, errors, watch terms.

    A watch term that holds a signal or error word needs no test of its own.
    """
    extra = [w.encode() for w in watch if w.isascii() and not any(g in w.encode() for g in _GATE)]
    return _GATE + tuple(dict.fromkeys(extra))


@lru_cache(maxsize=16)
def term_finder(terms: tuple[bytes, ...]) -> BytesAhoCorasick:
    """Return an automaton that finds all the terms in one pass over the bytes (Aho-Corasick).

    A regex alternation of forty words costs tens of nanoseconds a byte; the automaton
    costs about two, so a whole block of a log is searched at once.
    """
    return BytesAhoCorasick(list(terms))


def holds_term(finder: BytesAhoCorasick, low: bytes) -> bool:
    """Tell whether lower-cased bytes hold one of the finder's terms."""
    return bool(finder.find_matches_as_indexes(low))


@lru_cache(maxsize=4)
def word_pattern(words: tuple[bytes, ...]) -> re.Pattern[bytes]:
    """Compile a few words into one regex shaped as a trie (shared prefixes written once).

    A plain alternation tries every word at every position; the trie tries one
    branch per first letter.
    """
    tree: dict = {}
    for word in words:
        node = tree
        for byte in word:
            node = node.setdefault(byte, {})
        node[None] = {}

    def emit(node: dict) -> bytes:
        if None in node:  # a shorter word ends here: it alone decides the match
            return b""
        parts = [re.escape(bytes([b])) + emit(sub) for b, sub in sorted(node.items())]
        return parts[0] if len(parts) == 1 else b"(?:" + b"|".join(parts) + b")"

    return re.compile(emit(tree))


def error_code(message: bytes, low: bytes) -> bool:
    """Tell whether an ASCII line without error words is an error line through its codes alone.

    That is Analyzer.feed's decision: a high-bit code other than a restart code.
    """
    if CODE_HINT.search(low) is None:
        return False
    return any(c & 0x80000000 and c not in REBOOT_CODES for c in code_values(message.decode()))
