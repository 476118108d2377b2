"""Realistic, deterministic ConfigMgr 2007 task sequence log text for tests.

Everything here is written from scratch for the test suite: a pool of ordinary
smsts.log messages (normal, non-failing task sequence activity, plus the odd
benign warning that real successful logs carry) filled with random servers,
package ids, GUIDs, paths and sizes; renderers for the raw CMTrace format and
the CMTrace clipboard ("copy") format; and ``wrap_in_noise``, which buries the
few lines that matter in a paste of ordinary lines, the way an admin pastes a
whole log. All randomness comes from a seeded ``random.Random``, so the same
seed always gives the same text.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Callable
from datetime import datetime, timedelta
from string import Formatter

FORMS = ("cmtrace", "copy", "plain")

# fmt: off

_SITES = ["P01", "CM1", "LAB", "CEN", "S01", "FAB", "NWT", "ADT", "HQ1", "WGB", "XYZ", "C01"]
_SERVERS = [
    "DP01.contoso.local", "SCCM-DP2", "SMSDP03.corp.fabrikam.com", "CM01.lab.local",
    "DPBRANCH07", "sccmmp.northwind.net", "SRV-SCCM-01.adatum.com", "DP-LON-02.woodgrove.local",
    "CMSITE01", "osd-dp.tailspin.org",
]
_ACTIONS = [
    "Restart in Windows PE", "Partition Disk 0", "Format and Partition Disk", "Apply Operating System",
    "Apply Windows Settings", "Apply Network Settings", "Apply Device Drivers", "Apply Driver Package",
    "Setup windows and ConfigMgr", "Install Updates", "Install Software", "Install Office 2007",
    "Request State Store", "Release State Store", "Gather", "Use Toolkit Package", "Set Time Zone",
    "Enable BitLocker", "Copy Scripts",
]
_GROUPS = ["Install Operating System", "Capture Files and Settings", "Setup Operating System",
           "Install Applications", "Post Install", "State Restore"]
_FILES = ["setup.exe", "AcroRead.msi", "data1.cab", "Install.wim", "unattend.xml", "client.msi",
          "Scripts/ZTIGather.wsf", "Scripts/ZTIUtility.vbs", "Tools/x86/BDDRun.exe", "ccmsetup.exe",
          "sources/boot.wim", "Office/setup.xml", "drivers/e1000/e1g6032e.inf", "readme.txt"]
_COMMANDS = [
    "smsswd.exe /pkg:{pkg} /install /basevar: /continueOnError:", "osddiskpart.exe",
    'OSDApplyOS.exe /image:{pkg},1 "/config:{pkg},unattend.xml" /runfromnet:False',
    "osdnetsettings.exe configure", "OSDSetupWindows.exe", "osdwinsettings.exe /config",
    'smsswd.exe /run: cscript.exe "%SCRIPTROOT%\\ZTIGather.wsf"', "tsmbootstrap.exe /env:WinPE",
    '"smsboot.exe" /target:WinPE', "smsswd.exe /run:{pkg} msiexec /i AcroRead.msi /qn",
]
_NICS = ["Intel(R) PRO/1000 MT Network Connection", "Broadcom NetXtreme 57xx Gigabit Controller",
         "Realtek PCIe GBE Family Controller", "HP NC373i Multifunction Gigabit Server Adapter"]
_LOG_PATHS = ["X:\\windows\\temp\\smstslog", "C:\\_SMSTaskSequence\\Logs\\Smstslog",
              "C:\\WINDOWS\\system32\\CCM\\Logs\\SMSTSLog"]
_EXPAND = ["%_SMSTSMDataPath%\\Logs", "WinPEandFullOS", "%OSDTargetSystemDrive%", "FullOS", "C:",
           "%_SMSTSMDataPath%\\Packages"]


def _hex(rng: random.Random, digits: int) -> str:
    return f"{rng.randrange(16**digits):0{digits}X}"


def _values(rng: random.Random) -> dict[str, Callable[[random.Random], str]]:
    """Value makers for one paste: one site's package ids and a couple of servers, as in a real log."""
    site = rng.choice(_SITES)
    packages = [site + f"{rng.randrange(0x10, 0x400):05X}" for _ in range(8)]
    servers = rng.sample(_SERVERS, 2)
    advert = site + f"{rng.randrange(0x10, 0x200):05X}"
    return {
        "action": lambda r: r.choice(_ACTIONS),
        "group": lambda r: r.choice(_GROUPS),
        "n": lambda r: str(r.randint(1, 48)),
        "n2": lambda r: str(r.randint(1, 12)),
        "pkg": lambda r: r.choice(packages),
        "tsid": lambda r: packages[0],
        "adv": lambda r: advert,
        "ver": lambda r: str(r.randint(1, 9)),
        "server": lambda r: r.choice(servers),
        "guid": lambda r: f"{_hex(r, 8)}-{_hex(r, 4)}-{_hex(r, 4)}-{_hex(r, 4)}-{_hex(r, 12)}",
        "bytes": lambda r: str(r.randint(1_024, 734_003_200)),
        "pct": lambda r: str(r.randint(1, 100)),
        "drive": lambda r: r.choice("CDEF"),
        "file": lambda r: r.choice(_FILES),
        "cmd": lambda r: r.choice(_COMMANDS).replace("{pkg}", r.choice(packages)),
        "ip": lambda r: f"10.{r.randint(0, 254)}.{r.randint(0, 254)}.{r.randint(2, 254)}",
        "nic": lambda r: r.choice(_NICS),
        "logpath": lambda r: r.choice(_LOG_PATHS),
        "expand": lambda r: r.choice(_EXPAND),
        "osver": lambda r: r.choice(["6.0.6001.18000", "6.1.7600.16385", "5.1.2600.2.0"]),
        "arch": lambda r: r.choice(["i386", "x64"]),
        "line": lambda r: str(r.randint(100, 3000)),
    }

# (template, component, weight). Weight 1 is an ordinary line; the few benign
# warnings (generic codes only, in contexts that are not failures) weigh less.
_POOL: list[tuple[str, str, float]] = [
    ("Set a global environment variable _SMSTSCurrentActionName={action}", "TSManager", 1),
    ("Set a global environment variable _SMSTSNextInstructionPointer={n}", "TSManager", 1),
    ("Set a TS execution environment variable _SMSTSNextInstructionPointer={n}", "TSManager", 1),
    ("Set a global environment variable _SMSTSInstructionStackString={n2} {n}", "TSManager", 1),
    ("Set a global environment variable _SMSTSLastActionRetCode=0", "TSManager", 1),
    ("Set a global environment variable _SMSTSLastActionSucceeded=true", "TSManager", 1),
    ("Set a global environment variable _SMSTSPackageID={tsid}", "TSManager", 1),
    ("Set a global environment variable _SMSTSAdvertID={adv}", "TSManager", 1),
    ("Set a global environment variable _SMSTSMP=http://{server}", "TSManager", 1),
    ("Set a global environment variable _SMSTSLogPath={logpath}", "TSManager", 1),
    ("Set a local default variable OSDTargetSystemDrive", "TSManager", 1),
    ("Start executing an instruction. Instruction name: {action}. Instruction pointer: {n}", "TSManager", 1),
    ("Start executing the command line: {cmd}", "TSManager", 1),
    ("Executing command line: {cmd}", "TSManager", 1),
    ("Set command line: {cmd}", "TSManager", 1),
    ('Command line for extension .exe is "%1" %*', "TSManager", 1),
    ("Process completed with exit code 0", "TSManager", 1),
    ("Successfully completed the action ({action}) with the exit win32 code 0", "TSManager", 1),
    ("The action ({action}) completed successfully", "TSManager", 1),
    ("!--------------------------------------------------------------------------------------------!", "TSManager", 0.5),
    ("Expand a string: {expand}", "TSManager", 1),
    ("Evaluating an AND expression", "TSManager", 1),
    ("Parsing step node: {action}", "TSManager", 1),
    ("Parsing group node: {group}", "TSManager", 1),
    ("Sending status message . . .", "TSManager", 1),
    ("Send a task execution status message SMS_TSExecution_ActionCompleteInfo", "TSManager", 1),
    ("Setting URL = http://{server}, Ports = 80,443, CRL = false", "TSManager", 1),
    ("Setting authenticator", "TSManager", 1),
    ("Set authenticator in transport", "TSManager", 1),
    ("Save the current environment block", "TSManager", 1),
    ("Clear local default environment", "TSManager", 1),
    ("Updated security on object C:\\_SMSTaskSequence.", "TSManager", 1),
    ('Retrieving policy for CCM_SoftwareDistribution[AdvertID="{adv}", PackageID="{tsid}", ProgramID="*"]', "TSManager", 1),
    ("Start to compile TS policy", "TSManager", 1),
    ("End TS policy compilation", "TSManager", 1),
    ("Calling RebootSystem()", "TSManager", 0.5),
    ("Environment scope successfully created: Global\\{{{guid}}}", "TSMBootstrap", 1),
    ('Found network adapter "{nic}" with IP Address {ip}.', "TSMBootstrap", 1),
    ('Loading the Environment Variables from "X:\\sms\\data\\variables.dat".', "TSMBootstrap", 1),
    ("Updating the local data path in the Task Sequencing Environment.", "TSMBootstrap", 1),
    ("Current OS version is {osver}", "TSMBootstrap", 1),
    ('Executing command line: "X:\\sms\\bin\\{arch}\\TsProgressUI.exe" /Register:WinPE', "TSMBootstrap", 1),
    ("Executing from PXE in WinPE", "TSPxe", 1),
    ("PXE Boot with Root = X:\\", "TSPxe", 1),
    ("Downloading file /SMSTemp/{guid}.boot.var", "TSPxe", 1),
    ("Loading TSPxe bootstrap", "TSPxe", 1),
    ("DownloadOnDemand flag is true. Attempting to download content locally for Package {pkg}.", "InstallSoftware", 1),
    ("Content successfully downloaded at C:\\_SMSTaskSequence\\Packages\\{pkg}.", "InstallSoftware", 1),
    ("Downloading file /SMS_DP_SMSPKG{drive}$/{pkg}/{file} range 0-{bytes}", "InstallSoftware", 1),
    ("Downloaded file from http://{server}:80/SMS_DP_SMSPKG{drive}%24/{pkg}/{file} to C:\\_SMSTaskSequence\\Packages\\{pkg}\\{file}", "InstallSoftware", 1),
    ("GetDirectoryListing() entered", "InstallSoftware", 1),
    ("GetDirectoryListing() successfully completed", "InstallSoftware", 1),
    ("Initializing HTTP transport.", "InstallSoftware", 1),
    ("Address = {server}, Object = /SMS_DP_SMSPKG{drive}$/{pkg}/, Port = 80.", "InstallSoftware", 1),
    ("WinHttp credentials set", "InstallSoftware", 1),
    ("Locations: Multicast = 0, HTTP = {n2}, SMB = {ver}.", "InstallSoftware", 1),
    ("Multicast is not enabled for the package.", "InstallSoftware", 1),
    ("Set command line: smsswd.exe /pkg:{pkg} /install /basevar: /continueOnError:", "InstallSoftware", 1),
    ("Working dir 'C:\\_SMSTaskSequence\\Packages\\{pkg}'", "InstallSoftware", 1),
    ("Applying image 1 of C:\\_SMSTaskSequence\\Packages\\{pkg}\\Install.wim to volume C:\\", "ApplyOperatingSystem", 1),
    ("Applying image: {pct}% complete", "ApplyOperatingSystem", 1),
    ("Successfully applied image 1 to volume C:\\", "ApplyOperatingSystem", 1),
    ("Installing boot image to hard drive", "ApplyOperatingSystem", 1),
    ('Set "%OSDTargetSystemDrive%" to "C:"', "ApplyOperatingSystem", 1),
    ("Configuring local administrator account", "OSDSetupHook", 1),
    ("Executing task sequence manager bootstrap", "OSDSetupHook", 1),
    ("Creating ccmsetup mutex.", "OSDSetupHook", 1),
    ("CCMExec Service started", "OSDSetupHook", 1),
    ("Installing SMS client with package {pkg}", "OSDSetupHook", 1),
    ('Set command line: "smsboot.exe" /target:WinPE', "SMSTSRebootAction", 1),
    ("Rebooting system to WinPE in {n2} seconds", "SMSTSRebootAction", 1),
    ("Finalizing global network settings", "OSDNetSettings", 1),
    ("Configuring adapter {n2} with DHCP", "OSDNetSettings", 1),
    ("GetTsRegValue() is unsuccessful. 0x80070002.", "TSManager", 0.25),
    ("Failed to open the registry key Software\\Microsoft\\Deployment 4 (0x80070002)", "TSManager", 0.25),
    ("::RegOpenKeyExW(HKEY_LOCAL_MACHINE, szReg, 0, KEY_READ, &hKey), HRESULT=80070002 (e:\\nts_sms_fre\\sms\\framework\\core\\ccmcore\\utils.cpp,{line})", "TSManager", 0.25),
    ("Release of the active request for {pkg} returned 0x80004005, continuing", "TSManager", 0.25),
]
_WARNING = {i for i, (_, _, weight) in enumerate(_POOL) if weight == 0.25}
_COMPONENTS = {component for _, component, _ in _POOL} | {
    "OSDDriverClient", "OSDSetupWindows", "OSDSMPClient", "OSDJoin", "OSDDiskPart", "OSDUSMT",
    "ApplyDriverPackage", "InstallApplication", "execmgr", "DataTransferService", "ccmsetup",
}
# fmt: on


def _fill(
    rng: random.Random, template: str, values: dict[str, Callable[[random.Random], str]]
) -> str:
    names = {name for _, name, _, _ in Formatter().parse(template) if name}
    return template.format(**{name: values[name](rng) for name in sorted(names)})


def _ordinary(rng: random.Random, n: int) -> list[tuple[str, str, int]]:
    values = _values(rng)
    weights = [weight for _, _, weight in _POOL]
    picks = rng.choices(range(len(_POOL)), weights=weights, k=n)
    return [
        (_fill(rng, _POOL[i][0], values), _POOL[i][1], 2 if i in _WARNING else 1) for i in picks
    ]


def ordinary_messages(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """Return n (message, component) pairs of ordinary, non-failing smsts.log activity."""
    return [(message, component) for message, component, _ in _ordinary(rng, n)]


def cmtrace_line(
    message: str,
    component: str,
    when: datetime,
    thread: int,
    type_: int = 1,
    *,
    bias: int | None = None,
    file: str | None = None,
) -> str:
    """Render one record in the raw CMTrace format that smsts.log is written in.

    ``bias`` is the time zone bias in minutes as CMTrace writes it (UTC minus
    local time, so +480 on the US west coast); by default it comes from
    ``when``'s tzinfo, or is 0 for a naive datetime.
    """
    if bias is None:
        offset = when.utcoffset()
        bias = -int(offset.total_seconds() // 60) if offset is not None else 0
    zone = f"{bias:+04d}" if bias == 0 else f"{bias:+d}"
    if file is None:
        file = f"{component.lower()}.cpp:{zlib.crc32(message.encode()) % 2900 + 100}"
    stamp = f"{when:%H:%M:%S}.{when.microsecond // 1000:03d}{zone}"
    return (
        f'<![LOG[{message}]LOG]!><time="{stamp}" date="{when:%m-%d-%Y}" component="{component}" '
        f'context="" type="{type_}" thread="{thread}" file="{file}">'
    )


def cmtrace_copy_line(message: str, component: str, when: datetime, thread: int) -> str:
    """Render one record the way CMTrace copies it to the clipboard (US locale)."""
    hour = when.hour % 12 or 12
    clock = f"{when.month}/{when.day}/{when.year} {hour}:{when:%M:%S} {'AM' if when.hour < 12 else 'PM'}"
    return f"{message}\t{component}\t{clock}\t{thread} (0x{thread:04X})"


def _split_component(line: str) -> tuple[str, str]:
    """Split a pasted 'message Component' line (as KB articles print them)."""
    head, _, last = line.rstrip().rpartition(" ")
    if head and last in _COMPONENTS:
        return head, last
    return line.rstrip(), "TSManager"


_ERROR = re.compile(r"(?i)\b(fail\w*|error|unable|could not|cannot)\b|HRESULT=")


def wrap_in_noise(lines: list[str], n: int, seed: int, form: str = "cmtrace") -> str:
    """Bury ``lines`` near the end of ``n`` ordinary lines, as a pasted failing log would.

    ``form`` is "cmtrace" (raw records), "copy" (CMTrace clipboard form) or
    "plain" ("message Component", as KB articles print log lines). A line that is
    already a raw CMTrace record or a clipboard line (it has a tab) is kept as
    it is; any other line may end in its component name, as in the articles.
    """
    if form not in FORMS:
        raise ValueError(f"unknown form {form!r}; expected one of {FORMS}")
    rng = random.Random(seed)
    when = datetime(2009, 6, 1) + timedelta(
        days=rng.randint(0, 900), seconds=rng.randint(25_000, 60_000)
    )
    bias = rng.choice([480, 420, 360, 300, 240, 0, -60, -120])
    threads = [rng.randrange(100, 1300) * 4 for _ in range(3)]
    tail = min(n, rng.randint(2, max(2, n // 8)))
    noise = _ordinary(rng, n - tail)
    after: list[tuple[str, str, int]] = []  # after a failure nothing completes successfully
    while len(after) < tail:
        after += [r for r in _ordinary(rng, tail) if "ucce" not in r[0]][: tail - len(after)]
    records = [(m, c, t, False) for m, c, t in noise]
    records += [(*_split_component(line), 3 if _ERROR.search(line) else 1, True) for line in lines]
    records += [(m, c, t, False) for m, c, t in after]

    out: list[str] = []
    main = threads[0]
    for index, (message, component, type_, important) in enumerate(records):
        when += timedelta(
            milliseconds=rng.randint(0, 350)
            + (rng.randint(1, 40) * 1000 if rng.random() < 0.05 else 0)
        )
        thread = main if important or rng.random() < 0.8 else rng.choice(threads)
        raw = lines[index - (n - tail)] if important else None
        if raw is not None and (raw.startswith("<![LOG[") or "\t" in raw):
            out.append(raw)
        elif form == "plain":
            out.append(raw if raw is not None else f"{message} {component}")
        elif form == "copy":
            out.append(cmtrace_copy_line(message, component, when, thread))
        else:
            out.append(cmtrace_line(message, component, when, thread, type_, bias=bias))
    return "\n".join(out)
