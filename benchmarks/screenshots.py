"""Take the README screenshots of the web app in Debian's headless Chromium.

Starts ``kb serve`` on a free loopback port and saves, at 1280x900 (desktop)
and 390x844 (phone):

    home, results (a strong answer), results-possible (only possibly related
    articles), analyze (an uploaded smsts.log), article, article-phone

``--pages`` also saves one screenshot per page kind a helpdesk admin reads
(analyze on a phone, a code page, a long article, the articles list, a
no-match page), to compare the design before and after a change:

    .venv/bin/python benchmarks/screenshots.py [--out docs/screenshots] [--dark] [--pages]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser_support import (  # noqa: E402
    driver_smsts,
    launch_chromium,
    running_server,
)

PASTE = "\n".join(
    [
        "Executing command line: OSDSMPClient.exe /capture\tTSManager\t3/2/2010 2:17:05 PM\t2664 (0x0A68)",
        "Failed to import the client certificate store (0x80092024)\tOSDSMPClient\t3/2/2010 2:17:09 PM\t2664 (0x0A68)",
        "Failed to run the action: Capture User State.",
        "Unknown error (Error: 80092024; Source: Unknown)\tTSManager\t3/2/2010 2:17:09 PM\t2664 (0x0A68)",
    ]
)
POSSIBLE = "0x80070002"
ARTICLE = "ts-hash-mismatch-extended-chars"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def upload(page, url: str, log: Path) -> None:
    """Upload a log from the home page and wait for the analysis."""
    page.goto(url + "/")
    page.locator("#file").set_input_files(str(log))
    page.locator("#upload button[type=submit]").click()
    page.wait_for_load_state()


def readme_shots(browser, url: str, out: Path, scheme: str, log: Path) -> list[Path]:
    """Save the six README screenshots; return their paths."""
    suffix = "-dark" if scheme == "dark" else ""
    saved = []

    def shot(page, name: str, full: bool = False) -> None:
        path = out / f"{name}{suffix}.png"
        page.screenshot(path=str(path), full_page=full)
        saved.append(path)

    page = browser.new_page(viewport=DESKTOP, color_scheme=scheme)
    page.goto(url + "/")
    shot(page, "home")
    box = page.locator("#q")
    box.fill(PASTE)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    shot(page, "results")
    page.goto(f"{url}/search?q={POSSIBLE}")
    shot(page, "results-possible")
    upload(page, url, log)
    shot(page, "analyze")
    page.goto(f"{url}/articles/{ARTICLE}")
    shot(page, "article")
    page.close()
    phone = browser.new_page(viewport=PHONE, color_scheme=scheme, device_scale_factor=2)
    phone.goto(f"{url}/articles/{ARTICLE}")
    shot(phone, "article-phone")
    phone.close()
    return saved


def page_shots(browser, url: str, out: Path, scheme: str, log: Path) -> list[Path]:
    """Save one screenshot per page kind, desktop and phone; return their paths."""
    suffix = "-dark" if scheme == "dark" else ""
    targets = {
        "code": "/codes/0x80070002",
        "article-long": "/articles/KB2508665",
        "article-nic": "/articles/osd-nic-driver-winpe",
        "article-crl": "/articles/ts-native-mode-crl",
        "articles": "/articles",
        "no-match": "/search?q=windows%20update%20agent%200x80244019%20on%20a%20laptop",
        "example": f"/search?q={POSSIBLE}",
    }
    saved = []
    for device, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = browser.new_page(viewport=viewport, color_scheme=scheme)
        upload(page, url, log)
        path = out / f"analyze-{device}{suffix}.png"
        page.screenshot(path=str(path))
        saved.append(path)
        for name, target in targets.items():
            page.goto(url + target)
            path = out / f"{name}-{device}{suffix}.png"
            page.screenshot(path=str(path))
            saved.append(path)
        page.close()
    return saved


def main() -> None:
    """Start the server, take the screenshots, print their paths."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--dark", action="store_true", help="emulate prefers-color-scheme: dark")
    parser.add_argument("--pages", action="store_true", help="also one shot per page kind")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    scheme = "dark" if args.dark else "light"

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "smsts.log"
        log.write_text(driver_smsts(), encoding="utf-8")
        with running_server() as url, sync_playwright() as p:
            browser = launch_chromium(p)
            saved = readme_shots(browser, url, args.out, scheme, log)
            if args.pages:
                saved += page_shots(browser, url, args.out, scheme, log)
            browser.close()
    for path in saved:
        print(path)


if __name__ == "__main__":
    main()
