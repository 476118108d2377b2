"""Fleet triage: many smsts.log files in, one report of causes, steps and new problems out.

Stages (see :mod:`kb.triage.run`): find the logs (:mod:`~kb.triage.walk`), reuse
cached results (:mod:`~kb.triage.cache`), analyze the rest with
:func:`kb.triage.work.triage_file` on a process pool or Dask
(:mod:`~kb.triage.execute`), aggregate (:mod:`~kb.triage.aggregate`), write
triage.json/.csv (:mod:`~kb.triage.report_data`) and triage.html
(:mod:`~kb.triage.report_html`).
"""

from kb.triage.cache import CACHE_NAME
from kb.triage.report_data import cluster_example
from kb.triage.run import FORMATS, TriageOptions, TriageResult, triage, write_reports
from kb.triage.work import DEFAULT_MAX_BYTES, triage_file

__all__ = [
    "CACHE_NAME",
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "TriageOptions",
    "TriageResult",
    "cluster_example",
    "triage",
    "triage_file",
    "write_reports",
]
