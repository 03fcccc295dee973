"""The printed report, checked in headless Chromium (Debian's ``chromium`` driven by
Playwright): screenshots at desktop and phone widths, print layout at the width of A4 and
US Letter pages, and real PDFs read back by page count and text extraction.

In every layout no table cell is narrower than ``MIN_CELL`` pixels, no word is broken
across lines, no header overflows its cell, the page never scrolls sideways, and no chart
label covers a data point. Skipped, with the reason, where Playwright or Chromium is
missing; run it with::

    apt-get install -y chromium && pip install -e '.[layout]' && pytest tests/layout
"""

from __future__ import annotations

import io
import re
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_example import REF, example_summary

from osp_cli.report import render

pytestmark = pytest.mark.timeout(240)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MIN_CELL = 60  # CSS pixels: about 16 mm, room for a short word or a rating
MM = 96 / 25.4
# The page's printable width: paper width less the 15 mm margins either side (@page).
PRINT_WIDTHS = {"A4": round((210 - 30) * MM), "Letter": round((215.9 - 30) * MM)}
SCREEN_WIDTHS = {"desktop": (1280, 900), "mobile": (390, 844)}


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium") or ""):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed (pip install -e '.[layout]')")
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def report_html() -> str:
    return render("html", example_summary())


# Runs in the page: every problem found, as plain strings.
LAYOUT_CHECK = """
(minCell) => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) {
    problems.push(`page scrolls sideways: ${doc.scrollWidth} > ${window.innerWidth}`);
  }
  for (const cell of document.querySelectorAll('main th, main td')) {
    const box = cell.getBoundingClientRect();
    if (cell.offsetParent === null) continue;
    if (box.width < minCell) {
      problems.push(`cell narrower than ${minCell}px (${Math.round(box.width)}): ` +
                    cell.textContent.slice(0, 40));
    }
    if (cell.scrollWidth > cell.clientWidth + 1) {
      problems.push(`cell overflows: ${cell.textContent.slice(0, 40)}`);
    }
  }
  const walker = document.createTreeWalker(document.querySelector('main'),
                                           NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let checked = 0;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest('svg')) continue;
    // A line may end after a hyphen ("Self-" / "harm"): that is not a broken word.
    for (const match of node.data.matchAll(/[^\\s\\-]{2,}/g)) {
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()]
                           .filter(r => r.width > 0).map(r => Math.round(r.top)));
      checked += 1;
      if (tops.size > 1) problems.push(`word broken across lines: ${match[0]}`);
    }
  }
  const marks = [...document.querySelectorAll('svg.chart circle')]
    .map(c => c.getBoundingClientRect());
  for (const label of document.querySelectorAll('svg.chart text')) {
    const t = label.getBoundingClientRect();
    for (const m of marks) {
      if (t.left < m.right && m.left < t.right && t.top < m.bottom && m.top < t.bottom) {
        problems.push(`chart label covers a point: ${label.textContent}`);
        break;
      }
    }
  }
  if (checked < 500) problems.push(`only ${checked} words checked`);
  return problems;
}
"""


def _problems(page: Any) -> list[str]:
    found: list[str] = page.evaluate(LAYOUT_CHECK, MIN_CELL)
    return found


@pytest.mark.parametrize("name", list(SCREEN_WIDTHS))
def test_screen_layout(browser: Any, report_html: str, name: str, tmp_path: Path) -> None:
    width, height = SCREEN_WIDTHS[name]
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_content(report_html)
    assert _problems(page) == []
    shot = tmp_path / f"report-{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    # Narrow screens show every answer table as one block per row, each cell labelled.
    display = page.evaluate(
        "() => getComputedStyle(document.querySelector('.a table.rows thead')).display"
    )
    assert (display == "none") == (name == "mobile")
    page.close()


@pytest.fixture(scope="module")
def history_html() -> str:
    """One participant's whole history (osp practitioner show --html), from two summaries."""
    import dataclasses

    from osp_cli.inbox import caseload
    from osp_cli.inbox.records import Inbox, Received, digest_of
    from osp_cli.report import history_page

    first = example_summary()
    later = dataclasses.replace(first, created="2026-05-24T19:30:00+00:00", next_session=None)
    inbox = Inbox(tuple(Received(digest_of(s), s.created, "not signed", s) for s in (first, later)))
    found = caseload.history(inbox, REF)
    assert found is not None
    return history_page.render(found)


@pytest.mark.parametrize("paper", list(PRINT_WIDTHS))
def test_history_page_prints_cleanly(browser: Any, history_html: str, paper: str) -> None:
    page = browser.new_page(viewport={"width": PRINT_WIDTHS[paper], "height": 1000})
    page.emulate_media(media="print")
    page.set_content(history_html)
    assert _problems(page) == []
    pdf = page.pdf(format=paper, print_background=True)
    page.close()
    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize("paper", list(PRINT_WIDTHS))
def test_print_layout(browser: Any, report_html: str, paper: str) -> None:
    page = browser.new_page(viewport={"width": PRINT_WIDTHS[paper], "height": 1000})
    page.emulate_media(media="print")
    page.set_content(report_html)
    assert _problems(page) == []
    # A table with more columns than fit is one block per row, even on paper.
    assert (
        page.evaluate(
            "() => getComputedStyle(document.querySelector('table.blocks thead')).display"
        )
        == "none"
    )
    page.close()


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)}


@pytest.mark.parametrize("paper", list(PRINT_WIDTHS))
def test_pdf_pages_and_text(browser: Any, report_html: str, paper: str) -> None:
    pypdf = pytest.importorskip(
        "pypdf", reason="pypdf is not installed (pip install -e '.[layout]')"
    )
    page = browser.new_page()
    page.set_content(report_html)
    pdf = page.pdf(format=paper, print_background=True)
    visible = page.evaluate("() => document.querySelector('main').innerText")
    page.close()
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert 3 <= len(reader.pages) <= 10
    # NFKC undoes the typesetter's ligatures (the "fl" in "flagged" is one glyph).
    text = unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in reader.pages))
    flat = " ".join(text.split())
    assert f"Participant {REF}" in flat
    assert "To talk about (3 flagged)" in flat
    assert "Upset" in flat and "Urges" in flat
    assert "4 exercises" in flat and "1 exercises" not in flat
    # Every word on the printed pages is a whole word of the report: a word broken
    # inside ("CHILDHOO D", "UPSE T") would leave fragments that are not.
    fragments = _words(text) - _words(visible) - _words(visible.upper())
    assert not fragments, sorted(fragments)[:20]
    # Long answers arrive whole and in order.
    assert "comfortable and pretending" in flat
    assert "Childhood (up to about 11)" in flat
