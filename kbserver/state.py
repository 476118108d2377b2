"""The knowledge base a running app holds, and the request helpers that read it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import abort, current_app

if TYPE_CHECKING:
    from kb.corpus import Article
    from kb.search import Engine

log = logging.getLogger("kbserver")


def load_engine(articles_dir: Any = None) -> Engine:
    """Load the corpus and open its search index; log article problems."""
    from kb.search import Engine

    engine = Engine.load(articles_dir)
    for problem in engine.corpus.problems:
        log.warning("%s", problem)
    return engine


def get_engine() -> Engine:
    """Return the knowledge base loaded by create_app."""
    return current_app.extensions["kb"]


def get_article(article_id: str) -> Article:
    """Return the article with this id, or abort with 404 (the id is validated first)."""
    from kb.corpus import ID_RE

    found = get_engine().corpus.by_id.get(article_id) if ID_RE.match(article_id) else None
    if found is None:
        abort(404, description=f"There is no article with the id {article_id!r}.")
    return found


def get_search() -> Callable[[str, int], dict[str, Any]]:
    """Return the app's search function (engine.search behind the answer cache)."""
    return current_app.extensions["kb_search"]


def get_pastes() -> Any:
    """Return the app's store of long pastes (kbserver.pastes.PasteStore)."""
    return current_app.extensions["kb_pastes"]


def get_reports() -> Any:
    """Return the app's store of analyses, as JSON (kbserver.pastes.PasteStore)."""
    return current_app.extensions["kb_reports"]
