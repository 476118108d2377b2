"""The per-file work: one log in, one JSON-ready result out, never an exception.

``triage_file`` is a pure function of the file's content and the articles, so it
can run in a pool process or on a Dask worker; each process loads the search
engine once per articles folder and keeps it.
"""

from __future__ import annotations

import os
import re
from typing import Any

from kb.errors import KbError

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
# Bumped when a result's shape or meaning changes, so cached results are recomputed.
RESULT_VERSION = "2"
_TAIL_BYTES = 64 * 1024
_TRAILER_DONE = re.compile(r'\]LOG\]!><time="[^"]*"(?:\s+[\w-]+="[^"]*")*\s*>')

_ENGINES: dict[str | None, tuple[Any, str]] = {}


def engine_for(articles_dir: str | None, expected: str | None = None):
    """Return this process's engine for an articles folder, loading it on first use.

    A long-lived worker (a Dask worker, a test process) reloads the engine when the
    caller expects other articles than the ones it loaded, so edits are picked up.
    """
    cached = _ENGINES.get(articles_dir)
    if cached is None or (expected is not None and cached[1] != expected):
        from kb.search import Engine, content_hash

        engine = Engine.load(articles_dir)
        cached = _ENGINES[articles_dir] = (
            engine,
            content_hash(engine.articles, engine.corpus.vocabulary),
        )
    return cached[0]


def corpus_hash(articles_dir: str | None) -> str:
    """Return the content hash of the articles this process's engine searches."""
    engine_for(articles_dir)
    return _ENGINES[articles_dir][1]


def triage_chunk(
    paths: list[str],
    articles_dir: str | None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    corpus: str | None = None,
) -> dict[str, Any]:
    """Triage a list of files; return the corpus hash used and one result per file.

    ``corpus`` is the content hash the caller expects; a worker holding an engine
    of other articles reloads it first.
    """
    engine_for(articles_dir, corpus)
    return {
        "corpus": corpus_hash(articles_dir),
        "results": [triage_file(p, articles_dir, max_bytes) for p in paths],
    }


# Reasons that can change while size and mtime stay the same: never cached.
TRANSIENT = ("permission denied", "is a directory", "no such file")


def _unreadable(result: dict[str, Any], reason: str) -> dict[str, Any]:
    """Mark a result as not analyzable, with a one-line reason."""
    result.update(status="unreadable", reason=reason)
    if reason.startswith(TRANSIENT):
        result.pop("size", None)
        result.pop("mtime_ns", None)
    return result


def triage_file(
    path: str, articles_dir: str | None, max_bytes: int = DEFAULT_MAX_BYTES
) -> dict[str, Any]:
    """Analyze one log (or a machine's zip or folder) and match its failure; unreadable files get a reason."""
    result: dict[str, Any] = {"file": path, "status": "ok", "reason": None}
    from kb.triage.walk import is_machine_folder, path_stat

    try:
        size, mtime_ns = path_stat(path)
    except OSError as exc:
        return _unreadable(result, _os_reason(exc))
    result.update(size=size, mtime_ns=mtime_ns)
    if os.path.isdir(path) and not is_machine_folder(path):
        return _unreadable(result, "is a directory")
    if size == 0:
        return _unreadable(result, "empty file")
    if size > max_bytes:
        return _unreadable(
            result, f"too large: {_mb(size)} (the limit is {_mb(max_bytes)}; see --max-size)"
        )
    try:
        return _analyze(path, articles_dir, result)
    except KbError as exc:
        return _unreadable(result, _log_reason(str(exc), path))
    except OSError as exc:
        return _unreadable(result, _os_reason(exc))
    except Exception as exc:  # an analyzer bug on one odd file must not stop a fleet run
        return _unreadable(result, f"analyzer error: {exc.__class__.__name__}: {exc}"[:300])


def _analyze(path: str, articles_dir: str | None, result: dict[str, Any]) -> dict[str, Any]:
    """Run the analyzer and the engine on a readable file."""
    from kb.codes import format_hex
    from kb.logs import analyze_path

    engine = engine_for(articles_dir)
    analysis = analyze_path(path, watch=engine.watch_terms())
    if analysis.records == 0:
        return _unreadable(result, "no log records (blank file)")
    one_log = not analysis.logs  # a zip of a machine's logs lists them
    cut = truncated_at(path, analysis.lines) if analysis.format == "cmtrace" and one_log else None
    if not analysis.failed:
        if cut is not None:
            return _unreadable(
                result,
                f"truncated: the last record (line {cut}) is cut off and no failure precedes it",
            )
        if analysis.format == "plain":
            return _unreadable(result, "not a task sequence log (no CMTrace records)")
    root = analysis.errors[0] if analysis.errors else None
    if root is None and analysis.failed and analysis.failed_action:
        message = f"Failed to run the action: {analysis.failed_action}"
        root_error = {"line": analysis.failure_line, "component": "", "message": message}
    elif root is not None:
        root_error = {"line": root.line, "component": root.component, "message": root.message}
    else:
        root_error = None
    article = title = score = None
    if analysis.failed:
        found = engine.match_analysis(analysis, limit=1)["results"]
        if found:
            article, title, score = found[0]["id"], found[0]["title"], found[0]["score"]
    codes = (
        list(dict.fromkeys(c for e in analysis.errors for c in e.codes)) if analysis.failed else []
    )
    result.update(
        format=analysis.format,
        lines=analysis.lines,
        machine_name=analysis.machine,
        failed=analysis.failed,
        failed_action=analysis.failed_action,
        result=analysis.result,
        root_error=root_error,
        root_code=root_code(codes),
        codes=[format_hex(c) for c in codes],
        article=article,
        title=title,
        score=score,
        template=cluster_template(root_error["message"]) if root_error and not article else None,
        first_date=analysis.first_date,
        last_date=analysis.last_date,
        failure_date=analysis.failure_date,
        truncated=cut is not None,
    )
    return result


def root_code(codes: list[int]) -> str | None:
    """Return the code that names a failure: the first specific one of its chain."""
    from kb.codes import format_hex
    from kb.logs import GENERIC_CODES

    specific = [c for c in codes if c not in GENERIC_CODES]
    chosen = specific or codes
    return format_hex(chosen[0]) if chosen else None


def cluster_template(message: str) -> str:
    """Return the masked template of a root error, with its codes written back in.

    Before kb.search.masking.mask, host names it keeps are masked too: dotted names
    (``dp01.corp.contoso.com``) and hyphenated names with a digit (``DP-LON-02``),
    so one problem on many servers stays one cluster.
    """
    from kb.codes import extract_codes, format_hex
    from kb.search import mask

    first = message.strip().split("\n", 1)[0][:400]
    first = _HYPHEN_NAME.sub(_masked_name, _FQDN.sub(_masked_host, first))
    text = mask(first).text
    # Two failures that differ only in their code are different problems: keep the codes.
    for code in (format_hex(f.value) for f in extract_codes(first)):
        if "<#>" not in text:
            break
        text = text.replace("<#>", code.lower(), 1)
    # mask() pads codes with spaces; put them back against their brackets and signs.
    text = _PAD_BEFORE.sub(r"\1\2", text)
    return _PAD_AFTER.sub(r"\1\2", text)


_PAD_BEFORE = re.compile(r"([=(\[:]) (0x[0-9a-f]{8})")
_PAD_AFTER = re.compile(r"(0x[0-9a-f]{8}) ([)\],.;])")


_FQDN = re.compile(r"\b(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){2,}([A-Za-z]{2,24})\b")
_HYPHEN_NAME = re.compile(r"(?<![\w.-])[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+\b")
_FILE_EXTS = frozenset(
    "exe dll sys config xml ini inf cat cab msi msu wim log txt cmd bat vbs wsf ps1 js htm html "
    "mof cpp h dat var sdi iso".split()
)


def _masked_host(m: re.Match[str]) -> str:
    """Mask a dotted host name, but not a file name such as OSDResults.exe.config."""
    labels = m.group(0).lower().split(".")
    return m.group(0) if _FILE_EXTS.intersection(labels) else "<*>"


def _masked_name(m: re.Match[str]) -> str:
    """Mask a hyphenated name that holds a digit (DP-LON-02, MININT-4F2A1B)."""
    return "<*>" if any(ch.isdigit() for ch in m.group(0)) else m.group(0)


def truncated_at(path: str, lines: int) -> int | None:
    """Return the line of a CMTrace record cut off at the end of the file, or None."""
    from kb.logs import sniff_encoding

    with open(path, "rb") as f:
        head = f.read(8)
        f.seek(0, os.SEEK_END)
        size = f.tell()
        encoding, skip = sniff_encoding(head)
        start = max(skip, size - _TAIL_BYTES)
        if encoding.startswith("utf-16") and (start - skip) % 2:
            start += 1  # stay on a UTF-16 code unit boundary
        f.seek(start)
        tail = f.read().decode("utf-8" if encoding == "utf-8" else encoding, errors="replace")
    tail = tail.replace("\x00", "").rstrip()
    opened = tail.rfind("<![LOG[")
    if opened < 0 or _TRAILER_DONE.search(tail, opened):
        return None
    return max(1, lines - tail[opened:].count("\n"))


def _mb(n: int) -> str:
    """Format a byte count in MB (in bytes below one MB)."""
    mb = 1024 * 1024
    if n < mb:
        return f"{n:,} bytes"
    return f"{n / mb:.1f} MB" if n % mb else f"{n // mb} MB"


def _log_reason(message: str, path: str) -> str:
    """Strip the 'cannot read PATH: ' prefix of a LogError; keep the reason."""
    prefix = f"cannot read {path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def _os_reason(exc: OSError) -> str:
    """Return a one-line reason for an OSError."""
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "no such file (removed during the run)"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return exc.strerror or str(exc)
