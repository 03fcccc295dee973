"""Render the example practitioner report (made-up answers, tests/report_example.py) in
headless Chromium through Playwright and save the pictures the README shows:
docs/img/report.png (desktop) and docs/img/report-mobile.png (a phone), plus, with
--pdf, an A4 PDF. Skips, with a message, when Playwright or Chromium is missing.

    apt-get install -y chromium && pip install -e '.[layout]'
    python bench/screenshot_report.py [--out-dir docs/img] [--html report.html] [--pdf r.pdf]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "tests"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from report_example import example_summary  # noqa: E402

from osp_cli.report import render  # noqa: E402

ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
SHOTS = {"report.png": (1100, 2600), "report-mobile.png": (390, 1500)}


def find_chromium() -> str | None:
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out-dir", type=Path, default=ROOT / "docs" / "img")
    parser.add_argument("--html", type=Path, help="Also keep the example HTML here.")
    parser.add_argument("--pdf", type=Path, help="Also print the example to this A4 PDF.")
    args = parser.parse_args()
    page_html = render("html", example_summary())
    if args.html:
        args.html.write_text(page_html, encoding="utf-8")
    browser_path = find_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("Playwright is not installed (pip install -e '.[layout]'): skipping.")
        return 0
    if browser_path is None:
        print("Chromium is not installed (apt-get install -y chromium): skipping.")
        return 0
    args.out_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, args=ARGS)
        for name, (width, height) in SHOTS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.set_content(page_html)
            page.screenshot(path=str(args.out_dir / name))
            page.close()
            print(f"Saved {args.out_dir / name} ({width}x{height}).")
        if args.pdf:
            page = browser.new_page()
            page.set_content(page_html)
            page.pdf(path=str(args.pdf), format="A4", print_background=True)
            page.close()
            print(f"Saved {args.pdf}.")
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
