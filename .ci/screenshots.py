"""Take the screenshots of the site in docs/: home, a record and a source page, phone and desktop.

Run by hand after a change to the site's look, from the repository root with the dev extra
and Debian's chromium installed: `python .ci/screenshots.py`. The pictures are for people
(the README shows them); the browser tests check the pages.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from india_russia_relations.publish.site import build

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RECORD = "1955-06-nehru-soviet-union"
PAGES = {
    "home": "index.html",
    "record": f"records/{RECORD}.html",
    "source": f"sources/fdi-paper.html#{RECORD}--fdi-paper",
}
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
FULL_PAGE = {("record", "desktop")}
"""Shown whole: the record's fields and every citation with its marked quote."""
TALL = {("home", "desktop"): 1300}
"""Shown taller than the window: the home page down to the timeline."""


def main() -> int:
    """Build the site into a temporary directory and photograph its pages."""
    with tempfile.TemporaryDirectory() as work:
        site = Path(work) / "site"
        timeline = REPO / "docs" / "timeline.svg"
        build(
            REPO / "datapackage",
            site,
            timeline=timeline if timeline.is_file() else None,
        )
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                str(Path(work) / "profile"),
                executable_path=CHROMIUM,
                headless=True,
                args=ARGS,
            )
            page = context.new_page()
            for width_name, (width, height) in WIDTHS.items():
                page.set_viewport_size({"width": width, "height": height})
                for name, path in PAGES.items():
                    file, _, fragment = path.partition("#")
                    page.goto((site / file).as_uri() + (f"#{fragment}" if fragment else ""))
                    page.wait_for_load_state("load")
                    out = REPO / "docs" / f"site-{name}-{width_name}.png"
                    if (name, width_name) in TALL:
                        clip = {"x": 0, "y": 0, "width": width, "height": TALL[name, width_name]}
                        page.screenshot(path=str(out), full_page=True, clip=clip)
                    else:
                        page.screenshot(path=str(out), full_page=(name, width_name) in FULL_PAGE)
                    print(f"wrote {out.relative_to(REPO)}")
            context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
