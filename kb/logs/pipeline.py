"""Read a large log in a second process while this one analyzes it.

Reading and parsing a CMTrace log takes about as long as deciding what failed
in it; on a machine with two cores they can run side by side, the child
sending the parent batches of records. This is used only for large files, only
from a top-level process (daemonic workers, such as a triage pool's or Dask's,
cannot start children), and only where ``fork`` is available; everywhere else
the log is read in one process, with the same result.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterator
from os import PathLike

from kb.errors import LogError
from kb.logs.reader import CountedLines, LogRecord, iter_text_lines, parse_lines

PIPELINE_MIN_BYTES = 4 * 1024 * 1024  # below this, starting a process costs more than it saves
BATCH = 4096


def can_pipeline(path: str | PathLike[str]) -> bool:
    """Tell whether a log is worth, and allowed, reading in a second process."""
    if (os.cpu_count() or 1) < 2 or "fork" not in mp.get_all_start_methods():
        return False
    if mp.current_process().daemon:
        return False
    try:
        return os.path.getsize(path) >= PIPELINE_MIN_BYTES
    except OSError:
        return False


class PipelinedRecords:
    """The records of a log file, parsed in a child process; ``lines`` once exhausted."""

    def __init__(self, path: str | PathLike[str]) -> None:
        iter_text_lines(path)  # raise LogError here, before any process starts
        self.path = str(path)
        self.lines = 0

    def __iter__(self) -> Iterator[LogRecord]:
        ctx = mp.get_context("fork")
        receive, send = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_produce, args=(self.path, send), daemon=True)
        child.start()
        send.close()  # the child holds its own end
        try:
            while True:
                kind, payload = receive.recv()
                if kind == "records":
                    yield from payload
                elif kind == "end":
                    self.lines = payload
                    return
                else:
                    raise LogError(payload)
        except EOFError:
            raise LogError(f"cannot read {self.path}: the reader stopped") from None
        finally:
            receive.close()
            if child.is_alive():
                child.terminate()
            child.join()


def _produce(path: str, send) -> None:
    """Parse a log and send its records in batches (runs in the child process)."""
    try:
        counted = CountedLines(iter_text_lines(path))
        batch: list[LogRecord] = []
        for record in parse_lines(counted):
            batch.append(record)
            if len(batch) >= BATCH:
                send.send(("records", batch))
                batch = []
        send.send(("records", batch))
        send.send(("end", counted.n))
    except LogError as exc:
        send.send(("error", str(exc)))
    except Exception as exc:  # the parent reports it as one line; no traceback
        send.send(("error", f"cannot read {path}: {exc.__class__.__name__}: {exc}"))
    finally:
        send.close()
