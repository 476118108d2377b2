"""Search terms: tokenising, noise removal and the light stemmer."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kb.search.textnorm import STOP_WORDS, keep, stem, terms


@pytest.mark.parametrize(
    "word, expected",
    [
        ("failed", "fail"), ("fails", "fail"), ("failing", "fail"), ("downloads", "download"),
        ("downloaded", "download"), ("stopped", "stop"), ("running", "run"), ("entries", "entry"),
        ("processes", "process"), ("process", "process"), ("matches", "match"), ("status", "status"),
        ("installed", "install"), ("configure", "configur"), ("configured", "configur"),
        ("images", "imag"), ("image", "imag"), ("analysis", "analysis"), ("use", "use"),
    ],
)  # fmt: skip
def test_stem(word, expected):
    assert stem(word) == expected


def test_terms_drop_noise_and_keep_words():
    text = "Failed to run the action: Apply Driver Package. Error 0x80070002 thread 1744 (0x06D0) P0100023 KB977203 x64 12345678"
    assert terms(text) == [
        "fail",
        "run",
        "action",
        "apply",
        "driver",
        "packag",
        "error",
        "thread",
        "kb977203",
        "x64",
    ]


def test_mixed_case_and_underscored_tokens_also_yield_their_parts():
    assert terms("%_SMSTSClientGuid%") == ["smstsclientguid", "smst", "client", "guid"]
    assert terms("OSDSetupHook WINHTTP_CALLBACK_STATUS") == [
        "osdsetuphook", "osd", "setup", "hook", "winhttp_callback_status", "winhttp", "callback", "status"]  # fmt: skip
    assert terms("x64 SP2 WinPE ConfigMgr") == ["x64", "sp2", "winp", "configmgr"]


def test_tokens_are_found_before_lowercasing():
    # The JavaScript port matches [A-Za-z0-9_] on the original text; so must we.
    assert terms("İstanbul Straße") == ["stanbul", "stra"]


def test_numbers_that_carry_meaning_are_kept():
    assert terms("download stops at 27% on x64, see 977203 and KB974014") == [
        "download", "stop", "27", "x64", "see", "kb977203", "kb974014"]  # fmt: skip


@pytest.mark.parametrize(
    "token", ["0x80070002", "80070002", "1744", "dp001", "2010", "_", "a", "5"]
)
def test_keep_drops_numbers_and_short_tokens(token):
    assert keep(token) is None


@given(st.text())
@example("NORE")  # stems to the stop word "nor"
def test_terms_never_raise_and_are_clean(text):
    for t in terms(text):
        assert t and t == t.lower() and t not in STOP_WORDS
        assert all(c.isascii() and (c.isalnum() or c == "_") for c in t)
