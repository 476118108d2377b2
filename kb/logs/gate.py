"""Tell on raw bytes whether a log line can matter to the analyzer (the prefilter's tests).

A CMTrace message can matter when it holds a signal or error word, a machine-name
word or a watched signature word (the gate terms), or a high-bit error code. These
tests run on lower-cased ASCII bytes, never on decoded text, and say "can matter"
for a superset of the lines that do: a line they let through is analyzed in full.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

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
# CODE_HINT's words alone, as a trie (see gate_pattern): "(8" to "(d" stand for eight hex
# digits in brackets. A line with a run of seven hex digits and none of these words,
# and no ten digits in a row (DIGIT_MAP, TEN), has no error code.
HINT_WORDS = (b"0x", b"(8", b"(9", b"(c", b"(d", b"err", b"code", b"return", b"result")
HINT_WORDS += (b"received", b"status", b"gle", b"hr")
DIGIT_MAP = bytes(ord("d") if chr(b).isdigit() else ord(".") for b in range(256))
TEN = b"d" * 10
_GATE = tuple(dict.fromkeys(k.encode() for k in (*PREFILTER_WORDS, *ERROR_KEYWORDS)))


def gate_terms(watch: Iterable[str]) -> tuple[bytes, ...]:
    """Return the lower-case words that send a line down the full path: signals, errors, watch terms.

    A watch term that holds a signal or error word needs no test of its own.
    """
    extra = [w.encode() for w in watch if w.isascii() and not any(g in w.encode() for g in _GATE)]
    return _GATE + tuple(dict.fromkeys(extra))


@lru_cache(maxsize=16)
def gate_pattern(terms: tuple[bytes, ...]) -> re.Pattern[bytes]:
    """Compile the terms into one regex shaped as a trie (shared prefixes written once).

    A plain alternation tries every word at every position; the trie tries one
    branch per first letter, several times faster on long logs.
    """
    tree: dict = {}
    for term in terms:
        node = tree
        for byte in term:
            node = node.setdefault(byte, {})
        node[None] = {}

    def emit(node: dict) -> bytes:
        if None in node:  # a shorter term ends here: it alone decides the match
            return b""
        parts = [re.escape(bytes([b])) + emit(sub) for b, sub in sorted(node.items())]
        return parts[0] if len(parts) == 1 else b"(?:" + b"|".join(parts) + b")"

    return re.compile(emit(tree))


# Letters from the rarest to the most common in log messages; anything else (spaces,
# digits, punctuation, common in paths and numbers) counts as more common still.
_RARITY = {c: i for i, c in enumerate(b"qxzjkvwybgfphumcdlrsnotiae")}
_QUICK = 10


def quick_terms(terms: tuple[bytes, ...]) -> tuple[bytes, ...]:
    """Return a piece of each term that starts with its rarest letter (a first, quick gate).

    The regex engine skips positions whose byte cannot start a term; pieces that
    start with rare letters let it skip most of a line. A line without any piece
    holds no term; a line with one is checked against the whole terms.
    """
    pieces = []
    for term in terms:
        # A piece keeps ten bytes of a long term (short pieces of it are common words), four of a short one.
        last = len(term) - min(len(term), _QUICK if len(term) >= 12 else 4)
        start = min(range(last + 1), key=lambda i: _RARITY.get(term[i], 99))
        pieces.append(term[start : start + _QUICK])
    return tuple(dict.fromkeys(pieces))


def error_code(message: bytes, low: bytes) -> bool:
    """Tell whether an ASCII line without error words is an error line through its codes alone.

    That is Analyzer.feed's decision: a high-bit code other than a restart code.
    """
    if CODE_HINT.search(low) is None:
        return False
    return any(c & 0x80000000 and c not in REBOOT_CODES for c in code_values(message.decode()))
