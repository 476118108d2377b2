"""Helpers for the web tests: one engine for the session, apps built on it, sample logs."""

from __future__ import annotations

import codecs
from functools import lru_cache
from typing import Any

import pytest
from flask import Flask

from tests.conftest import ARTICLES

HASH_LINE = "Hash could not be matched for the downloaded content."
CERT_LINE = "Failed to import the client certificate store (0x80092024)"

# A CMTrace smsts.log whose Capture User State step fails with 0x80092024 (KB977203).
FAILING_SMSTS = "\r\n".join(
    [
        '<![LOG[Executing command line: OSDSMPClient.exe /capture]LOG]!><time="14:17:05.123+000" date="03-02-2010" component="TSManager" context="" type="1" thread="2664" file="commandline.cpp:805">',
        f'<![LOG[{CERT_LINE}]LOG]!><time="14:17:09.123+000" date="03-02-2010" component="OSDSMPClient" context="" type="3" thread="2664" file="smpclient.cpp:120">',
        '<![LOG[Failed to run the action: Capture User State. \r\nUnknown error (Error: 80092024; Source: Unknown)]LOG]!><time="14:17:09.323+000" date="03-02-2010" component="TSManager" context="" type="3" thread="2664" file="instruction.cxx:3011">',
        '<![LOG[Execution engine result code: Failed (80092024)]LOG]!><time="14:17:09.423+000" date="03-02-2010" component="TSManager" context="" type="3" thread="2664" file="engine.cxx:300">',
        "",
    ]
)
SUCCESS_SMSTS = "\r\n".join(
    [
        '<![LOG[Running Task Sequence in standalone.]LOG]!><time="22:55:38.394+480" date="12-06-2019" component="TSMBootstrap" context="" type="0" thread="1876" file="tsmbootstrap.cpp:554">',
        '<![LOG[Execution engine result code: Success (0)]LOG]!><time="22:59:38.394+480" date="12-06-2019" component="TSManager" context="" type="1" thread="1876" file="engine.cxx:300">',
        "",
    ]
)


def utf16(text: str) -> bytes:
    """Encode as Notepad's "Unicode": UTF-16 LE with a BOM."""
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


@lru_cache(maxsize=1)
def shared_engine():
    """Load the bundled knowledge base once for every web test."""
    from kb.search.engine import Engine

    return Engine.load(ARTICLES)


def make_app(**config: Any) -> Flask:
    """Build a test app on the shared engine, with extra config."""
    from kbserver import create_app

    return create_app({"TESTING": True, "KB_ENGINE": shared_engine(), **config})


@pytest.fixture(scope="module")
def app():
    """A web app on the bundled articles, shared by a test module."""
    return make_app()


@pytest.fixture(scope="module")
def client(app):
    """A Flask test client for the module's app."""
    return app.test_client()
