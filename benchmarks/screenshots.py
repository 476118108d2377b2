"""Take the README screenshots: home, search results and an article, at 1280x900.

Starts ``kb serve`` on a free loopback port and drives Debian's headless Chromium:

    .venv/bin/python benchmarks/screenshots.py [--out docs/screenshots] [--dark]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser_support import launch_chromium, running_server  # noqa: E402

PASTE = "\n".join(
    [
        "Executing command line: OSDSMPClient.exe /capture\tTSManager\t3/2/2010 2:17:05 PM\t2664 (0x0A68)",
        "Failed to import the client certificate store (0x80092024)\tOSDSMPClient\t3/2/2010 2:17:09 PM\t2664 (0x0A68)",
        "Failed to run the action: Capture User State.",
        "Unknown error (Error: 80092024; Source: Unknown)\tTSManager\t3/2/2010 2:17:09 PM\t2664 (0x0A68)",
    ]
)
ARTICLE = "ts-hash-mismatch-extended-chars"


def main() -> None:
    """Save home.png, results.png and article.png."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--dark", action="store_true", help="emulate prefers-color-scheme: dark")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = "-dark" if args.dark else ""

    from playwright.sync_api import sync_playwright

    with running_server() as url, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(
            viewport={"width": 1280, "height": 900},
            color_scheme="dark" if args.dark else "light",
        )
        page.goto(url + "/")
        page.screenshot(path=str(args.out / f"home{suffix}.png"))

        box = page.locator("#q")
        box.fill(PASTE)
        box.press("Enter")
        page.wait_for_url("**/search?q=*")
        page.screenshot(path=str(args.out / f"results{suffix}.png"))

        page.goto(f"{url}/articles/{ARTICLE}")
        page.screenshot(path=str(args.out / f"article{suffix}.png"))
        browser.close()
    for name in ("home", "results", "article"):
        print(args.out / f"{name}{suffix}.png")


if __name__ == "__main__":
    main()
