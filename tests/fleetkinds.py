"""The failures a generated fleet shows: one per smsts.log excerpt of the corpus, plus NOVEL.

A troubleshooting article gives one failure kind per fenced block of its Symptoms
that quotes smsts.log: a block whose lines end in an smsts component (as articles
print CMTrace lines), or a block the text introduces as smsts.log. NOVEL holds
failures no article covers, so the expected result is "unexplained, one cluster each".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SMSTS_COMPONENTS = frozenset(
    "TSManager TSMBootstrap TSPxe InstallSoftware OSDSetupWindows OSDSetupHook OSDDriverClient "
    "OSDSMPClient ApplyOperatingSystem OSDApplyOS OSDDiskPart OSDNetSettings OSDWinSettings "
    "OSDUserStateCapture OSDUserStateRestore SMSTSRebootAction OSDJoin ApplyDriverPackage".split()
)
OTHER_COMPONENTS = frozenset("execmgr DataTransferService CAS IBS PANTHR CBS CSI DIAG".split())
WINDOWS_TEXT = {
    0x80004005: ("Unspecified error", "Windows"),
    0x80070002: ("The system cannot find the file specified.", "Windows"),
    0x80092024: ("The string contains a non-printable character.", "Windows"),
    0x8007000D: ("The data is invalid.", "Windows"),
    0x80070013: ("The media is write protected.", "Windows"),
    0x80070643: ("Fatal error during installation.", "Windows"),
    0x80091007: ("The hash value is not correct.", "Windows"),
}
_FENCE = re.compile(r"(?ms)^```[a-z]*\n(.*?)^```")
_FAILED_ACTION = re.compile(r"Failed to run the action: (.+?)\.?$")
_CODE = re.compile(r"HRESULT=([0-9a-fA-F]{8})|\b0x([0-9a-fA-F]{8})\b|\(([0-9a-fA-F]{8})\)")
_DEFAULT_ACTION = {
    "InstallSoftware": "Install Software",
    "OSDSetupWindows": "Setup windows and ConfigMgr",
    "OSDSetupHook": "Setup windows and ConfigMgr",
    "OSDDriverClient": "Apply Driver Package",
    "OSDSMPClient": "Request State Store",
    "ApplyOperatingSystem": "Apply Operating System",
}


@dataclass(frozen=True)
class Kind:
    """One failure a log can show: its lines, the step that fails, and the truth."""

    key: str  # "article:<id>#<n>" or "novel:<name>"
    article: str | None
    action: str
    code: int
    lines: tuple[tuple[str, str], ...]  # (message template, component)


# Failures no article explains; each must come out as one cluster, whatever varies.
# A "key | failing step | code" line starts a kind; "Component | message" lines follow.
_NOVEL_TEXT = r"""
novel:apply-image | Apply Operating System | 0x8007000D
ApplyOperatingSystem | Applying image 1 of C:\_SMSTaskSequence\Packages\{pkg}\Install.wim to volume C:\
ApplyOperatingSystem | Image file C:\_SMSTaskSequence\Packages\{pkg}\Install.wim is corrupt at offset {bytes} (0x8007000D)
ApplyOperatingSystem | ApplyImage( sImagePath, nImageIndex, sTargetVolume ), HRESULT=8007000d (e:\nts_sms_fre\sms\client\osdeployment\applyos\applyos.cpp,{line})
ApplyOperatingSystem | Exiting with return code 0x8007000D

novel:write-protected-disk | Partition Disk 0 | 0x80070013
OSDDiskPart | Creating partition {n2} on disk 0 ({mb} MB)
OSDDiskPart | Failed to create partition {n2} on disk 0 of size {mb} MB (0x80070013)
OSDDiskPart | CreatePartition( nDisk, nSizeMB ), HRESULT=80070013 (e:\nts_sms_fre\sms\client\osdeployment\osddiskpart\diskpart.cpp,{line})
OSDDiskPart | Exiting with return code 0x80070013

novel:msi-1603 | Install Software | 0x80070643
InstallSoftware | Executing command line: msiexec /i AgentSetup-{ver}.msi /qn /l*v C:\Windows\Temp\agent{n}.log
InstallSoftware | Process completed with exit code 1603
InstallSoftware | Install Software failed to run command line msiexec /i AgentSetup-{ver}.msi, hr=0x80070643
InstallSoftware | Exiting with return code 0x80070643

novel:smp-unreachable | Request State Store | 0x80072EFD
OSDSMPClient | Requesting state store from state migration point {server}
OSDSMPClient | Cannot connect to state migration point {server} on port 443 after {n2} retries (0x80072EFD)
OSDSMPClient | ExecuteCaptureRequestToSMP(), HRESULT=80072efd (e:\nts_sms_fre\sms\client\osdeployment\osdsmpclient\smpclient.cpp,{line})
OSDSMPClient | Exiting with return code 0x80072EFD
"""


def _novel_kinds(text: str) -> tuple[Kind, ...]:
    """Parse _NOVEL_TEXT into kinds."""
    kinds = []
    for block in text.strip().split("\n\n"):
        head, *rows = block.splitlines()
        key, action, code = (part.strip() for part in head.split("|"))
        lines = tuple(tuple(reversed([p.strip() for p in row.split("|", 1)])) for row in rows)
        kinds.append(Kind(key, None, action, int(code, 16), lines))
    return tuple(kinds)


NOVEL = _novel_kinds(_NOVEL_TEXT)


def _blocks(symptoms: str) -> list[tuple[str, list[str]]]:
    """Return (text before, lines) of each fenced block of a Symptoms section."""
    out, pos = [], 0
    for m in _FENCE.finditer(symptoms):
        out.append((symptoms[pos : m.start()][-300:], m.group(1).splitlines()))
        pos = m.end()
    return out


def _split(line: str) -> tuple[str, str | None]:
    """Split 'message Component' as articles print it; None when no component ends it."""
    head, _, last = line.rstrip().rpartition(" ")
    if head and (last in SMSTS_COMPONENTS or last in OTHER_COMPONENTS):
        return head, last
    return line.rstrip(), None


def smsts_lines(before: str, lines: list[str]) -> list[tuple[str, str]] | None:
    """Return a block's (message, component) lines if it quotes smsts.log, else None."""
    lines = [ln for ln in lines if ln.strip() and ln.strip() != "..."]
    parts = [_split(ln) for ln in lines]
    named = [c for _, c in parts if c]
    if named:
        if sum(c in SMSTS_COMPONENTS for c in named) * 2 < len(lines):
            return None
    elif "smsts.log" not in before.lower() or any(ln.startswith("<") for ln in lines):
        return None
    return [(m, c or "TSManager") for m, c in parts]


def corpus_kinds(articles_dir: str | None = None) -> list[Kind]:
    """Return one failure kind per smsts.log scenario of each troubleshooting article.

    A one-line block right after an smsts block of the same scenario (no heading or
    other log between them, as in "after that second failure the log adds:") goes on
    with the block before it instead of being a failure of its own.
    """
    from kb.corpus.articles import load_corpus

    corpus = load_corpus(None if articles_dir is None else [articles_dir])
    kinds: list[Kind] = []
    for a in sorted(corpus.articles, key=lambda a: a.id):
        if a.kind != "troubleshooting":
            continue
        scenarios: list[list[tuple[str, str]]] = []
        follows = False  # the previous fenced block was an smsts block of this article
        for before, raw in _blocks(a.sections.get("Symptoms", "")):
            lines = smsts_lines(before, raw)
            if lines and follows and len(lines) == 1 and not re.search(r"(?m)^#", before):
                scenarios[-1].extend(lines)
            elif lines:
                scenarios.append(list(lines))
            follows = bool(lines)
        for n, lines in enumerate(scenarios):
            kinds.append(_kind(f"article:{a.id}#{n}", a.id, lines))
    return kinds


def _kind(key: str, article: str, lines: list[tuple[str, str]]) -> Kind:
    """Return the kind of a scenario: its failing step and its most specific code."""
    action = next((m.group(1) for t, _ in lines if (m := _FAILED_ACTION.search(t))), None)
    action = action or _DEFAULT_ACTION.get(lines[-1][1], "Run Command Line")
    codes = [int(next(g for g in m.groups() if g), 16) for t, _ in lines for m in _CODE.finditer(t)]
    specific = [c for c in codes if c not in (0x80004005, 0x80004004)]
    code = (specific or codes or [0x80004005])[0]
    return Kind(key, article, action, code, tuple(lines))
