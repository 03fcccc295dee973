# ruff: noqa: E501  (the made-up example answers read better unwrapped)
"""Render an example practitioner report (made-up answers) in headless Chromium and save
a screenshot to docs/img/report.png. Skips, with a message, when Chromium is not installed.

    python bench/screenshot_report.py [--out docs/img/report.png] [--html report.html]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from osp_cli.exchange import summary as summary_mod  # noqa: E402
from osp_cli.exchange.summary import Summary  # noqa: E402
from osp_cli.exercises.catalogue import builtin_exercises  # noqa: E402
from osp_cli.report import render  # noqa: E402
from osp_cli.workbook import model  # noqa: E402

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
WIDTH, HEIGHT = 1100, 3000


def example_summary() -> Summary:
    """A made-up participant's summary: every answer here is invented for the picture."""
    payload = model.new_payload()
    payload["participant_ref"] = "P-0142"
    payload["assignments"] = [
        {"id": "0123456789abcdef", "sequence": 1, "issued": "2026-04-28T10:00:00+00:00",
         "session": 5, "exercises": ["warning-signs", "risky-situations", "urge-diary"],
         "due": "2026-05-12", "next_session": "2026-05-12", "note": "",
         "imported": "2026-04-28T18:00:00+00:00"},
    ]  # fmt: skip
    a = model.set_answer
    changes = [
        a("warning-signs", 1, "thoughts", ["Nobody would ever know", "I deserve a break from it all"]),
        a("warning-signs", 1, "feelings", ["Lonely in the evenings", "Bored and restless", "Resentful after arguments"]),
        a("warning-signs", 1, "behaviours", ["Staying up late on my phone", "Skipping the gym", "Keeping my door shut"]),
        a("warning-signs", 1, "others-could-notice", True),
        a("warning-signs", 1, "others-notice-what", "My brother would notice I go quiet and stop answering messages. I'd like him to just ask me how I'm doing, straight out."),
        a("warning-signs", 1, "noticing-skill", 6),
        model.set_flag("warning-signs", 1, "others-notice-what", True),
        model.set_reflection("warning-signs", 1, "Writing these down made them feel more real, and more manageable."),
        model.mark_complete("warning-signs", 1),
        a("risky-situations", 1, "common", ["Being alone at home", "Late at night"]),
        a("risky-situations", 1, "my-situations", ["Sunday evenings when the house is empty", "After a bad day at work"]),
        a("risky-situations", 1, "riskiest", "Sunday evenings on my own"),
        a("risky-situations", 1, "riskiest-rating", 7),
        a("risky-situations", 1, "avoid-change-escape", "Plan something for Sunday evenings: football with my cousin, or go to my mum's for tea. Charge the phone downstairs."),
        a("risky-situations", 1, "unavoidable", False),
        model.set_flag("risky-situations", 1, "riskiest-rating", True),
        model.mark_complete("risky-situations", 1),
        a("urge-diary", 1, "had-urge", True),
        a("urge-diary", 1, "situation", "Thursday, late, after an argument on the phone. I was in bed scrolling and felt a pull to go back to the old apps."),
        a("urge-diary", 1, "urge-peak", 8),
        a("urge-diary", 1, "what-i-did", "Put the phone in the kitchen, made tea, and texted my brother. It passed in about twenty minutes."),
        a("urge-diary", 1, "steps-used", ["Put the device away", "Left the room or the house"]),
        a("urge-diary", 1, "urge-after", 3),
        model.set_flag("urge-diary", 1, "situation", True),
    ]  # fmt: skip
    for change in changes:
        change(payload)
    for exercise_id, day in (("warning-signs", 3), ("risky-situations", 6)):
        payload["exercises"][exercise_id]["completed"] = f"2026-05-0{day}T21:00:00+00:00"
    start = _dt.datetime(2026, 3, 2, 20, 0, tzinfo=_dt.UTC)
    ratings = [(7, 6), (6, 6), (6, 5), (5, 5), (6, 4), (4, 4), (8, 7), (5, 3), (4, 3),
               (4, 2), (3, 3), (5, 2), (3, 2), (2, 1)]  # fmt: skip
    notes = {6: "Argument with my ex on the phone", 11: "Good week at work"}
    for index, (upset, urge) in enumerate(ratings):
        model.add_checkin(upset, urge, notes.get(index, ""), "manual")(payload)
        payload["checkins"][-1]["at"] = (start + _dt.timedelta(days=4 * index)).isoformat()
    return summary_mod.build(
        payload,
        builtin_exercises(),
        ["warning-signs", "risky-situations", "urge-diary"],
        "Thursday was hard but I used my plan. I'd like to talk about telling my brother more.",
        osp_version="example",
        now="2026-05-10T19:30:00+00:00",
    )


def find_chromium() -> str | None:
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "report.png")
    parser.add_argument("--html", type=Path, help="Also keep the example HTML here.")
    args = parser.parse_args()
    page = render("html", example_summary())
    if args.html:
        args.html.write_text(page, encoding="utf-8")
    browser = find_chromium()
    if browser is None:
        print("Chromium is not installed: skipping the report screenshot.")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "report.html"
        source.write_text(page, encoding="utf-8")
        shot = Path(tmp) / "report.png"
        command = [
            browser, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--hide-scrollbars", f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}", source.as_uri(),
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if result.returncode != 0 or not shot.exists():
            print(f"Chromium could not take the screenshot (exit {result.returncode}).")
            print(result.stderr[-2000:])
            return 1
        args.out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, args.out)
    print(f"Saved {args.out} ({WIDTH}x{HEIGHT}).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
