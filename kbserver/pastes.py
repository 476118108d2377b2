"""Long pastes (and analyses) kept in memory under a short key, so their page has a short URL.

A paste past ``SHORT_QUERY`` characters would make a URL that proxies reject
(a 95 KB paste gave a 127 KB address), so the search form posts it and the app
answers with a redirect to ``/search/<key>``. The key is the start of the
paste's SHA-256, so the same paste always gets the same link. Pastes are kept
while the app runs, the oldest dropped past a size budget; an unknown key gets
a page that asks for the paste again. An uploaded log's analysis is kept the
same way (as JSON), so ``/analyze/<key>`` can be reloaded and shared.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict

SHORT_QUERY = 2_000  # characters; a shorter query stays in the URL (/search?q=...)
KEY_RE = re.compile(r"^[0-9a-f]{16}$")


class PasteStore:
    """A thread-safe, size-bounded map from short keys to pastes, oldest dropped first."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self._pastes: OrderedDict[str, str] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def put(self, text: str) -> str:
        """Keep a paste and return its key."""
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        with self._lock:
            if key in self._pastes:
                self._pastes.move_to_end(key)
                return key
            self._pastes[key] = text
            self._chars += len(text)
            while self._chars > self.max_chars and len(self._pastes) > 1:
                _, old = self._pastes.popitem(last=False)
                self._chars -= len(old)
        return key

    def get(self, key: str) -> str | None:
        """Return the paste kept under a key, or None."""
        if not KEY_RE.match(key):
            return None
        with self._lock:
            text = self._pastes.get(key)
            if text is not None:
                self._pastes.move_to_end(key)
            return text
