"""The log record type and recognisers for each line shape admins paste or collect.

Shapes: CMTrace/Trace32 (``<![LOG[...]LOG]!><time=... >``), the text CMTrace copies to
the clipboard (tab- or space-separated), Panther setupact/setuperr (also CBS and DISM),
IIS W3C, ``bitsadmin /list /verbose`` output, and plain text.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import NamedTuple


class LogRecord(NamedTuple):
    """One log entry: a single line, or a multi-line CMTrace/setupact message.

    A NamedTuple rather than a frozen dataclass: a log holds hundreds of
    thousands of records, and a tuple is several times cheaper to build.
    """

    line: int
    message: str
    component: str = ""
    time: str = ""
    date: str = ""
    severity: int | None = None
    thread: int | None = None
    format: str = "plain"


FORMATS = ("cmtrace", "cmtrace-copy", "setupact", "iis", "bitsadmin", "plain")

# Components that blog posts append to a copied line ("message text TSManager").
# Only these exact words are split off, so an ordinary last word never is.
KNOWN_COMPONENTS = frozenset(
    [
        "TSManager",
        "TSMBootstrap",
        "TSBootShell",
        "TSPxe",
        "TsProgressUI",
        "TSProgressUI",
        "TsProgressUI.exe",
        "TSProgressUI.exe",
        "InstallSoftware",
        "InstallApplication",
        "InstallUpdate",
        "OSDSetupHook",
        "OSDDriverClient",
        "OSDSetupWindows",
        "OSDSMPClient",
        "OSDUserStateCapture",
        "OSDUserStateRestore",
        "OSDApplyOS",
        "ApplyOperatingSystem",
        "OSDPrepareOS",
        "OSDPrepareSmpClient",
        "OSDWinSettings",
        "OSDNetSettings",
        "OSDDiskPart",
        "OSDCaptureSystemImage",
        "OSDDownloadContent",
        "OSDOfflineBitlocker",
        "OSDBitLocker",
        "OSDJoin",
        "OSDSetDynamicVariables",
        "OSDRunPowerShellScript",
        "RunPowerShellScript",
        "OSDConvertDisk",
        "OSDPartition",
        "OSDAutoApplyDrivers",
        "ApplyDriverPackage",
        "SMSTSRebootReason",
        "DCMAgent",
        "LocationServices",
        "ClientLocation",
        "CcmExec",
        "execmgr",
        "ContentAccess",
        "DataTransferService",
        "ContentTransferManager",
        "PolicyAgent",
        "AppEnforce",
        "AppDiscovery",
        "CcmEval",
        "StateMessage",
        "UpdatesDeployment",
        "UpdatesHandler",
        "UpdatesStore",
        "WUAHandler",
        "ScanAgent",
        "SCClient",
        "PeerDPAgent",
        "CAS",
        "LiteTouch",
        "ZTIGather",
        "ZTIDrivers",
        "ZTIApplications",
        "ZTIDiskpart",
        "LTIApply",
    ]
)

CMTRACE_OPEN = "<![LOG["
_TRAILER_AT = TRAILER_AT = "]LOG]!><time="
_TRAILER_END = re.compile(r'<time="[^"]*"(?:\s+[\w-]+="[^"]*")*\s*>?')
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')
# The attribute order CMTrace writers use: parsed by one match, the rest by _ATTR.
_STANDARD = re.compile(
    r'time="([^"]*)"\s+date="([^"]*)"\s+component="([^"]*)"\s+context="[^"]*"\s+'
    r'type="([^"]*)"\s+thread="([^"]*)"'
)
_CM_TIME = re.compile(r"(\d{1,2}:\d{2}:\d{2})(?:\.(\d+))?([+-]\d+)?")
_CM_DATE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})$")


def iso_date(year: int, month: int, day: int) -> str:
    """Return YYYY-MM-DD, or "" when the day does not exist."""
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return ""


def find_trailer(text: str) -> tuple[int, int] | None:
    """Return (start, end) of the ``]LOG]!><time=...>`` trailer in text, or None."""
    start = text.find(_TRAILER_AT)
    if start < 0:
        return None
    m = _TRAILER_END.match(text, start + 7)
    return start, (m.end() if m else len(text))


def cmtrace_fields(trailer: str) -> dict[str, object]:
    """Return the LogRecord fields held in a CMTrace trailer's attributes."""
    m = _STANDARD.search(trailer)
    if m:
        time, date, component, sev, thread = m.groups()
    else:
        attrs = dict(_ATTR.findall(trailer))
        time, date = attrs.get("time", ""), attrs.get("date", "")
        component, sev, thread = (
            attrs.get("component", ""),
            attrs.get("type", ""),
            attrs.get("thread", ""),
        )
    return {
        "time": cmtrace_time(time),
        "date": cmtrace_date(date),
        "component": component,
        "severity": int(sev) if sev in ("0", "1", "2", "3") else None,
        "thread": int(thread) if thread.isdigit() else None,
    }


# One complete record on one line, attributes in the usual order, nothing after it.
WHOLE_CMTRACE = re.compile(
    r'\s*<!\[LOG\[(.*?)\]LOG\]!><time="([^"]*)"\s+date="([^"]*)"\s+component="([^"]*)"'
    r'\s+context="[^"]*"\s+type="([^"]*)"\s+thread="([^"]*)"(?:\s+[\w-]+="[^"]*")*\s*>\Z'
)


def whole_cmtrace_record(m: re.Match[str], n: int):
    """Return the LogRecord of a WHOLE_CMTRACE match (the same as the general path)."""
    message, time, date, component, sev, thread = m.groups()
    return LogRecord(
        n,
        message.rstrip(),
        component,
        time=cmtrace_time(time),
        date=cmtrace_date(date),
        severity=int(sev) if sev in ("0", "1", "2", "3") else None,
        thread=int(thread) if thread.isdigit() else None,
        format="cmtrace",
    )


def cmtrace_time(raw: str) -> str:
    """Return a CMTrace time without its bias: "10:35:33.039-60" -> "10:35:33.039"."""
    if (
        len(raw) > 12
        and raw[2] == ":"
        and raw[8] == "."
        and raw[12] in "+-"
        and raw[9:12].isdigit()
    ):
        return raw[:12]  # the usual "HH:MM:SS.mmm+BIAS": no regex needed
    m = _CM_TIME.match(raw.strip())
    if not m:
        return ""
    hms, frac, bias = m.groups()
    if frac is None:
        return hms
    if bias is None and len(frac) > 3 and len(frac) != 7:
        # PowerShell log writers glue the bias to the milliseconds ("03.91660" = .916, 60);
        # 7 digits are .NET ticks (SCClient) and are kept as written.
        frac = frac[:3]
    return f"{hms}.{frac}"


@lru_cache(maxsize=4096)  # a log has few distinct dates and many lines
def cmtrace_date(raw: str) -> str:
    """Return a CMTrace date (always month-day-year, maybe unpadded) as ISO."""
    m = _CM_DATE.match(raw.strip())
    if not m:
        return ""
    month, day, year = (int(g) for g in m.groups())
    return iso_date(year, month, day)


# -- the text CMTrace copies: message, component, date time, thread (0xhex) ---------------

_COPY = re.compile(
    r"^(?P<rest>.*?)[\t ]+(?P<date>\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4})[\t ]+"
    r"(?P<time>\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?)(?:[\t ]*(?P<ampm>[AaPp]\.?[Mm]\.?))?"
    r"[\t ]+(?P<thread>\d+)[\t ]*\((?P<hex>0x[0-9A-Fa-f]+)\)$"
)
_LAST_WORD = re.compile(r"^(.*?)[\t ]+(\S+)$")


def match_copy(line: str) -> re.Match[str] | None:
    """Match a CMTrace-copy line (tabs or spaces) by its trailing date, time and thread."""
    if not line.endswith(")") or "(0x" not in line:
        return None
    return _COPY.match(line)


def copy_parts(rest: str) -> tuple[str, str]:
    """Split the part before the date into (message, component)."""
    if "\t" in rest:
        message, _, component = rest.rpartition("\t")
        return message.rstrip(), component.strip()
    m = _LAST_WORD.match(rest)
    if m:
        return m.group(1).rstrip(), m.group(2)
    return "", rest.strip()


def copy_date(raw: str, has_ampm: bool, order: str | None) -> tuple[str, str | None]:
    """Return (ISO date or "", "dmy"/"mdy" when this date proves the locale's order)."""
    # CMTrace copies dates in the viewer's locale: 8/4/2020 is 4 August in the US and
    # 8 April in the UK. A date is read only when unambiguous: year first, dotted (day
    # first wherever dots are used), a part above 12, the order an earlier line of the
    # same text proved, or an AM/PM time, taken as US order (en-US is the 12-hour
    # locale nearly all such pastes come from; en-AU/en-NZ would be misread).
    a, b, c = re.split(r"[/.-]", raw)
    if len(a) == 4:
        return iso_date(int(a), int(b), int(c)), None
    if len(c) != 4:
        return "", None
    first, second, year = int(a), int(b), int(c)
    proved = None
    if "." in raw:
        use = "dmy"
    elif first > 12 >= second:
        use = proved = "dmy"
    elif second > 12 >= first:
        use = proved = "mdy"
    elif order:
        use = order
    elif has_ampm:
        use = "mdy"
    else:
        return "", None
    day, month = (first, second) if use == "dmy" else (second, first)
    return iso_date(year, month, day), proved


def copy_time(raw: str, ampm: str | None) -> str:
    """Return a copied time as 24-hour HH:MM:SS[.fff]."""
    hms, _, frac = raw.replace(",", ".").partition(".")
    h, m, s = hms.split(":")
    hour = int(h)
    if ampm:
        hour = hour % 12 + (12 if ampm[0] in "Pp" else 0)
    return f"{hour:02d}:{m}:{s}" + (f".{frac}" if frac else "")


# -- Windows Setup (setupact/setuperr), CBS and DISM -------------------------------------

_SETUPACT = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2}|(?i:<[^<>]*date[^<>]*>)) "
    r"(?P<time>\d{2}:\d{2}:\d{2}|(?i:<[^<>]*time[^<>]*>)), "
    r"(?P<level>[A-Za-z]+)\b[\t ]*(?:\[0x[0-9A-Fa-f]+\][\t ]*)?(?P<rest>.*)$"
)
_SETUP_COMPONENT = re.compile(r"^(?:([A-Z][A-Z0-9]{1,9})|\[([\w.-]+)\])[\t ]+(.*)$")
_SETUP_LEVELS = {
    "info": 1,
    "perf": 1,
    "warning": 2,
    "error": 3,
    "fatalerror": 3,
    "fatal": 3,
    "trace": 0,
    "debug": 0,
    "verbose": 0,
}


def match_setupact(line: str) -> dict[str, object] | None:
    """Return the fields of a setupact-style header line, or None."""
    m = _SETUPACT.match(line)
    if not m:
        return None
    rest = m.group("rest")
    c = _SETUP_COMPONENT.match(rest)
    component, message = (c.group(1) or c.group(2), c.group(3)) if c else ("", rest)
    date = m.group("date")
    return {
        "message": message,
        "component": component,
        "date": date if date[0].isdigit() else "",
        "time": m.group("time") if m.group("time")[0].isdigit() else "",
        "severity": _SETUP_LEVELS.get(m.group("level").lower()),
    }


# -- IIS W3C --------------------------------------------------------------------------

_IIS_DIRECTIVE = re.compile(r"^#(?:Fields|Software|Version|Date|Remark|Start-Date|End-Date):")
_IIS = re.compile(
    r"^(?:\d{4}-\d{2}-\d{2}|<[^<>\s]+>) (?:\d{2}:\d{2}:\d{2}(?:\.\d+)?|<[^<>\s]+>) "
    r"(?:\S+ )*?[A-Z][A-Z_]{2,19} /\S*"
)


def is_iis_directive(line: str) -> bool:
    """Tell whether a line is a W3C header such as ``#Fields:``."""
    return bool(_IIS_DIRECTIVE.match(line))


def iis_fields(line: str) -> list[str]:
    """Return the field names of a ``#Fields:`` header."""
    return line.split(":", 1)[1].split()


def match_iis(line: str, fields: list[str] | None) -> dict[str, object] | None:
    """Return the fields of an IIS W3C request line, or None."""
    if not _IIS.match(line):
        return None
    tokens = line.split(" ")
    status = None
    if fields and len(tokens) == len(fields) and "sc-status" in fields:
        status = tokens[fields.index("sc-status")]
    else:
        # Default W3C fields end "sc-status sc-substatus sc-win32-status [time-taken]".
        for back in (4, 3):
            tail = tokens[-back:]
            if len(tokens) > back and all(t.isdigit() for t in tail) and 100 <= int(tail[0]) <= 599:
                status = tail[0]
                break
    code = int(status) if status and status.isdigit() else None
    severity = None if code is None else 3 if code >= 400 else 1
    date = tokens[0] if tokens[0][0].isdigit() else ""
    time = tokens[1] if tokens[1][0].isdigit() else ""
    return {"date": date, "time": time, "severity": severity}


# -- bitsadmin /list /verbose ----------------------------------------------------------

_BITS = re.compile(
    r"^(?:GUID: \{[0-9A-Fa-f-]+\}|DISPLAY: |TYPE: (?:DOWNLOAD|UPLOAD|UPLOAD[-_]REPLY)\b"
    r"|STATE: [A-Z_]+\b|PRIORITY: [A-Z]+\b|FILES: \d|BYTES: \d|(?:CREATION|MODIFICATION"
    r"|COMPLETION) TIME: |ACL FLAGS:|NOTIFY INTERFACE: |NOTIFICATION FLAGS: |RETRY DELAY: \d"
    r"|NO PROGRESS TIMEOUT: \d|ERROR COUNT: \d|PROXY (?:USAGE|LIST|BYPASS LIST): "
    r"|ERROR (?:FILE|CODE|CONTEXT):|DESCRIPTION:|JOB FILES:|NOTIFICATION COMMAND LINE:"
    r"|PEERCACHING FLAGS:|OWNER MIC INTEGRITY LEVEL:|OWNER ELEVATED \?|CUSTOM HEADERS:"
    r"|Listed \d+ job\(s\)\.|BITSADMIN version |BITS administration utility"
    r"|\{[0-9A-Fa-f-]{36}\} '.*' [A-Z_]+ \d+ / )"
)


def match_bitsadmin(line: str) -> dict[str, object] | None:
    """Return the severity of a bitsadmin output line (3 for ERROR CODE), or None."""
    text = line.lstrip()
    if not _BITS.match(text):
        return None
    if text.startswith("ERROR CODE:"):
        return {"severity": 3}
    if re.search(r"\bSTATE: (?:TRANSIENT_)?ERROR\b", text) or re.search(
        r"' (?:TRANSIENT_)?ERROR ", text
    ):
        return {"severity": 2}
    return {"severity": None}


def split_component(text: str) -> tuple[str, str]:
    """Split a known component name off the end of a pasted line: (message, component)."""
    cut = max(text.rfind(" "), text.rfind("\t"))
    if cut > 0 and text[cut + 1 :] in KNOWN_COMPONENTS and text[:cut].strip():
        return text[:cut].rstrip(), text[cut + 1 :]
    return text, ""
