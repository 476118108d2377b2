"""The kb web app: the knowledge base behind a search box, pages and a JSON API.

``create_app`` loads the knowledge base once (articles, code table, search
index) and keeps it on the app; every request reads it and nothing writes it,
so the app runs read-only and its pages can be served by many threads.

- ``app``: the factory, configuration and safety headers
- ``state``: the loaded knowledge base and the helpers requests use to read it
- ``pages`` and ``api``: the HTML pages and the JSON API (one blueprint each)
- ``views``: one function per result, shared by pages, API and the static site
- ``templating``, ``errors``, ``openapi``: Jinja setup, error pages, the API description
- ``serving``: waitress, with bodies over the limit answered by the app's 413
"""

from kbserver.app import DEFAULTS, create_app
from kbserver.serving import CEILING, make_server

__all__ = ["CEILING", "DEFAULTS", "create_app", "make_server"]
