"""Error responses: one JSON shape under /api/, a friendly HTML page elsewhere.

Clients never see a stack trace: an unexpected exception is logged and
answered with a generic 500.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

TITLES = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    413: "Upload too large",
    500: "Something went wrong",
}


def error_body(message: str, status: int) -> dict[str, Any]:
    """Return the JSON body of every API error."""
    return {"error": message, "status": status}


def wants_json() -> bool:
    """Return whether the request is for the JSON API (errors answer in JSON there)."""
    return request.path == "/api" or request.path.startswith("/api/")


def friendly_message(exc: HTTPException) -> str:
    """Return the exception's own description, or a plain-words one for its status."""
    status = exc.code or 500
    default = type(exc).description
    if exc.description and exc.description != default:
        return exc.description
    if status == 404:
        return "There is no page at this address."
    if status == 405:
        return f"This address does not accept {request.method} requests."
    if status == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
        length = request.content_length
        if length is not None and length <= limit:  # the form, not the body, is too big
            field = current_app.config.get("MAX_FORM_MEMORY_SIZE") or 0
            return (
                f"The form has too many parts, or a text field larger than {field / 1024 / 1024:g} "
                'MB. Upload one log file, or send a long paste as JSON {"q": "..."}.'
            )
        return (
            f"The upload is larger than the {limit / 1024 / 1024:g} MB limit. "
            "Upload only the log that shows the failure (smsts.log), or paste its red lines."
        )
    if status >= 500:
        return "The server could not answer this request. The error has been logged."
    return exc.description or TITLES.get(status, "Error")


def respond(status: int, message: str, headers: Any = None):
    """Answer an error as JSON under /api/, else as the HTML error page."""
    if wants_json():
        response = jsonify(error_body(message, status))
    else:
        title = TITLES.get(status, "Error")
        html = render_template("error.html", title=title, status=status, message=message)
        response = current_app.response_class(html, mimetype="text/html")
    response.status_code = status
    for name, value in headers or ():
        if name.lower() == "allow":
            response.headers[name] = value
    return response


def register(app: Flask) -> None:
    """Install the error handlers on the app."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code is None or exc.code < 400:  # redirects are not errors
            return exc
        return respond(exc.code, friendly_message(exc), exc.get_headers())

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if app.debug:  # flask run --debug: show the interactive traceback to the developer
            raise exc
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return respond(500, friendly_message(InternalServerError()))
