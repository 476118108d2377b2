"""The OpenAPI 3.1 description of the JSON API, written by hand to match kbserver.api.

tests/test_web_api.py checks that every API route is described here and that
every described path is a route.
"""

from __future__ import annotations

from typing import Any

from kb import __version__
from kb.logs import KINDS
from kb.search import MAX_QUERY_CHARS


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    return {str(s): {"$ref": f"#/components/responses/E{s}"} for s in statuses}


_STRINGS = {"type": "array", "items": {"type": "string"}}
_QUERY = {
    "type": "string",
    "description": f"A paste, error code or question (up to {MAX_QUERY_CHARS:,} characters).",
}
_LIMIT = {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error", "status"],
        "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
    },
    "ArticleRef": {
        "type": "object",
        "required": ["id", "title", "summary"],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "summary": {"type": "string"},
        },
    },
    "ArticleSummary": {
        "allOf": [
            _ref("ArticleRef"),
            {"type": "object", "properties": {"kind": {"type": "string"}, "tags": _STRINGS}},
        ]
    },
    "Lookup": {
        "type": "object",
        "properties": {
            "input": {"type": "string"},
            "hex": {"type": "string", "examples": ["0x80070002"]},
            "unsigned": {"type": "integer"},
            "signed": {"type": "integer"},
            "kind": {"enum": ["hresult", "hresult-win32", "ntstatus", "win32"]},
            "severity": {"enum": ["error", "warning", "success", "informational"]},
            "facility": {
                "type": ["object", "null"],
                "properties": {"code": {"type": "integer"}, "name": {"type": "string"}},
            },
            "win32": {"type": ["integer", "null"]},
            "names": _STRINGS,
            "description": {"type": "string"},
            "hint": {"type": ["string", "null"]},
            "generic": {"type": "boolean"},
            "process_exit": {
                "type": "boolean",
                "description": "the text gives the value only as a process's decimal exit code",
            },
            "message": {
                "type": ["string", "null"],
                "description": "the message Microsoft documents for the code, quoted, or null",
            },
            "source": {
                "type": "object",
                "description": "where the description comes from",
                "properties": {
                    "kind": {"enum": ["configmgr", "kb", "headers"]},
                    "name": {"type": "string"},
                    "url": {"type": ["string", "null"]},
                },
            },
            "readings": {
                "type": "array",
                "description": "other codes the same number may stand for",
                "items": {
                    "type": "object",
                    "properties": {
                        "hex": {"type": "string", "examples": ["0x80004005"]},
                        "names": _STRINGS,
                        "why": {"type": "string"},
                    },
                },
            },
            "articles": {"type": "array", "items": _ref("ArticleRef")},
        },
    },
    "Reason": {
        "type": "object",
        "required": ["type", "reason", "weight"],
        "properties": {
            "type": {
                "enum": [
                    "code",
                    "line",
                    "pattern",
                    "question",
                    "text",
                    "penalty",
                    "component",
                    "scope",
                ]
            },
            "reason": {"type": "string"},
            "weight": {"type": "number"},
            "code": {"type": "string", "description": "type code: the matched code"},
            "names": _STRINGS,
            "line": {"type": "integer", "description": "type line: 1-based line of the query"},
            "text": {"type": "string", "description": "type line: the pasted line"},
            "matched": {"type": "string", "description": "type line: the article's line"},
            "similarity": {"type": "number"},
            "pattern": {"type": "string", "description": "type pattern: the article's pattern"},
            "question": {"type": "string", "description": "type question: the declared question"},
            "terms": _STRINGS,
            "words": _STRINGS,
            "codes": _STRINGS,
        },
    },
    "Result": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "score": {"type": "number"},
            "confidence": {
                "enum": ["strong", "possible"],
                "description": "strong: the article explains the paste; possible: related",
            },
            "parts": {
                "type": "object",
                "properties": {k: {"type": "number"} for k in ("codes", "lines", "text")},
            },
            "summary": {"type": "string"},
            "first_step": {"type": "string"},
            "reasons": {"type": "array", "items": _ref("Reason")},
            "draft": {"type": "boolean", "description": "present and true for a draft article"},
        },
    },
    "Search": {
        "type": "object",
        "required": ["query", "codes", "results", "strong"],
        "properties": {
            "query": {"type": "string"},
            "codes": {"type": "array", "items": _ref("Lookup")},
            "strong": {"type": "boolean", "description": "whether any result is strong"},
            "results": {
                "type": "array",
                "items": _ref("Result"),
                "description": "strong results first, then possible ones, each by score",
            },
        },
    },
    "ErrorLine": {
        "type": "object",
        "properties": {
            "line": {"type": "integer", "description": "1-based line in the log"},
            "component": {"type": "string"},
            "message": {"type": "string"},
            "codes": _STRINGS,
            "file": {"type": "string", "description": "the log the line is in"},
        },
    },
    "LogSummary": {
        "type": "object",
        "properties": {
            "file": {"type": "string"},
            "kind": {"enum": list(KINDS)},
            "format": {"type": "string"},
            "lines": {"type": "integer"},
            "failed": {"type": "boolean"},
        },
    },
    "Analysis": {
        "type": "object",
        "properties": {
            "file": {"type": "string"},
            "kind": {"enum": list(KINDS), "description": "what log it is (see the README)"},
            "format": {"type": "string"},
            "lines": {"type": "integer"},
            "records": {"type": "integer"},
            "failed": {"type": "boolean"},
            "headline": {"type": "string", "description": "what the run came to, in one sentence"},
            "failed_action": {"type": ["string", "null"]},
            "code": {"type": ["string", "null"], "description": "the code that names the failure"},
            "errors": {
                "type": "array",
                "items": _ref("ErrorLine"),
                "description": "the root error chain: first errors of the failing step",
            },
            "codes": _STRINGS,
            "result": {"type": ["string", "null"], "description": "the engine's result line"},
            "machine": {"type": ["string", "null"]},
            "first_date": {"type": "string"},
            "last_date": {"type": "string"},
            "failure_date": {"type": "string"},
            "failure_line": {"type": ["integer", "null"]},
            "reboot": {"type": "boolean"},
            "error_count": {"type": "integer"},
            "other_errors": {"type": "array", "items": _ref("ErrorLine")},
            "signatures": {"type": "array", "items": _ref("ErrorLine")},
            "evidence": {
                "type": "array",
                "items": _ref("ErrorLine"),
                "description": "when the run did not fail: the lines that match the results",
            },
            "logs": {"type": "array", "items": _ref("LogSummary")},
            "context": {"type": "array", "items": _ref("ErrorLine")},
            "skipped": {"type": "array", "items": {"type": "object"}},
            "strong": {"type": "boolean"},
            "results": {"type": "array", "items": _ref("Result")},
        },
    },
    "Article": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "kind": {"enum": ["troubleshooting", "how-to", "reference"]},
            "summary": {"type": "string"},
            "applies_to": _STRINGS,
            "signatures": {
                "type": "object",
                "properties": {k: _STRINGS for k in ("codes", "lines", "logs", "components")},
            },
            "tags": _STRINGS,
            "sources": _STRINGS,
            "related": _STRINGS,
            "examples": _STRINGS,
            "status": {"enum": ["published", "draft"]},
            "codes": {**_STRINGS, "description": "every code the article cites, as hex"},
            "first_step": {"type": "string"},
            "body": {"type": "string", "description": "Markdown"},
            "html": {"type": "string", "description": "the body rendered (raw HTML escaped)"},
        },
    },
}

PATHS: dict[str, Any] = {
    "/api/lookup/{code}": {
        "get": {
            "summary": "Decode an error code and list the articles citing it",
            "parameters": [
                {
                    "name": "code",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                    "examples": {
                        "hex": {"value": "0x80070002"},
                        "decimal": {"value": "2147942402"},
                        "configmgr": {"value": "0x87D00324"},
                        "status-message low word": {"value": "16389"},
                    },
                }
            ],
            "responses": {"200": _json(_ref("Lookup"), "The lookup object"), **_errors(404, 405)},
        }
    },
    "/api/search": {
        "get": {
            "summary": "Rank the articles that explain a paste, a code or a question",
            "parameters": [
                {"name": "q", "in": "query", "required": True, "schema": _QUERY},
                {"name": "limit", "in": "query", "schema": _LIMIT},
            ],
            "responses": {"200": _json(_ref("Search"), "The search object"), **_errors(400, 405)},
        },
        "post": {
            "summary": "Same as GET, for pastes too long for a URL",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["q"],
                            "properties": {"q": _QUERY, "limit": _LIMIT},
                        }
                    },
                    "application/x-www-form-urlencoded": {
                        "schema": {
                            "type": "object",
                            "required": ["q"],
                            "properties": {"q": _QUERY, "limit": _LIMIT},
                        }
                    },
                },
            },
            "responses": {
                "200": _json(_ref("Search"), "The search object"),
                **_errors(400, 413, 415),
            },
        },
    },
    "/api/analyze": {
        "post": {
            "summary": "Analyze a log, or a zip of a machine's logs: failure, error chain, articles",
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "required": ["file"],
                            "properties": {"file": {"type": "string", "format": "binary"}},
                        }
                    }
                },
            },
            "responses": {
                "200": _json(_ref("Analysis"), "The analysis"),
                **_errors(400, 405, 413),
            },
        }
    },
    "/api/articles": {
        "get": {
            "summary": "List every article",
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {
                            "articles": {"type": "array", "items": _ref("ArticleSummary")}
                        },
                    },
                    "The articles, in corpus order",
                ),
            },
        }
    },
    "/api/articles/{id}": {
        "get": {
            "summary": "One article: metadata, Markdown body and rendered HTML",
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {"200": _json(_ref("Article"), "The article"), **_errors(404)},
        }
    },
    "/api/openapi.json": {
        "get": {
            "summary": "This description",
            "responses": {"200": {"description": "OpenAPI 3.1 document"}},
        }
    },
}


def spec() -> dict[str, Any]:
    """Return the OpenAPI document."""
    responses = {
        f"E{status}": _json(_ref("Error"), text)
        for status, text in (
            (400, "Bad input: missing, empty or too long query, bad JSON, bad limit, empty file"),
            (404, "Unknown article, or the text is not an error code"),
            (405, "Wrong method"),
            (413, "Body larger than the upload limit (20 MB by default)"),
            (415, "A body that is neither JSON nor a form"),
        )
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "kb: ConfigMgr 2007 OSD troubleshooting",
            "version": __version__,
            "description": "Errors are JSON objects {error, status}.",
        },
        "paths": PATHS,
        "components": {"schemas": SCHEMAS, "responses": responses},
    }
