"""The error types the core raises; shells turn them into one-line messages."""

from __future__ import annotations


class KbError(Exception):
    """Base of every error the core raises on bad input or bad data."""


class CodeError(KbError):
    """The text is not an error code (or holds more than one)."""


class ArticleError(KbError):
    """An article or the article corpus cannot be loaded."""


class LogError(KbError):
    """A log file cannot be read."""


class QueryError(KbError):
    """A search query is empty or too large."""
