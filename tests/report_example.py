# ruff: noqa: E501  (the made-up example answers read better unwrapped)
"""A realistic report for layout checks and the README picture: long answers, tables,
a four-column custom table, many check-ins, flagged items. Every answer is invented.

Used by tests/layout/test_print_layout.py and bench/screenshot_report.py.
"""

from __future__ import annotations

import datetime as _dt

from osp_cli.exchange import summary as summary_mod
from osp_cli.exchange.summary import Summary
from osp_cli.exercises.catalogue import builtin_exercises
from osp_cli.exercises.loader import parse_exercise
from osp_cli.workbook import model

REF = "P-0412"

#: A practitioner's custom exercise whose table has four columns (one block per row).
CUSTOM_FOUR_COLUMNS = """
id = "week-review"
title = "Looking back at a hard week"
session = 3
topics = ["coping"]
minutes = 15
version = 1
intro = "A look back at one hard moment this week."
reflection = "Anything else about this week?"

[[questions]]
id = "moments"
kind = "table"
prompt = "For each hard moment, write what happened, what you thought, how you felt and what you did."
no_names = true
row_header = "Moment"
rows = ["Monday evening", "Thursday night", "Saturday afternoon"]
columns = ["What happened", "What I thought", "How I felt", "What I did"]
"""

LONG = (
    "When I think back to that time I can see that I was spending most evenings on my own, "
    "telling myself that it did not matter what I did online because nobody was being hurt. "
    "I understand now that this was not true, and that the children on the other side of the "
    "screen were real people with families, friends and futures. Writing this down is "
    "uncomfortable, but I would rather be uncomfortable and honest than comfortable and "
    "pretending. The biggest change for me has been noticing the small decisions that came "
    "before the big ones: staying up late, closing the bedroom door, deleting my history."
)

TIMELINE = {
    "Childhood (up to about 11)": {
        "Important events": "Moved house three times; my parents argued a lot and my dad worked away for months at a time.",
        "How I felt and coped": "Lonely and unsettled. I coped by keeping quiet, reading comics and staying out of everyone's way.",
    },
    "Teenage years (about 12 to 17)": {
        "Important events": "Bullied at secondary school for two years; left school with fewer qualifications than I hoped for.",
        "How I felt and coped": "Embarrassed and angry. I spent a lot of time gaming and chatting online where nobody knew me.",
    },
    "Young adult (about 18 to 25)": {
        "Important events": "Started an apprenticeship, met my first long-term partner, and moved into a flat with her.",
        "How I felt and coped": "Mostly settled and proud of my work, but I bottled things up whenever we disagreed.",
    },
    "Adult life before the online behaviour": {
        "Important events": "Promotion at work, then redundancy; the relationship ended not long afterwards.",
        "How I felt and coped": "Worthless and ashamed. I drank more and stopped seeing my friends on Fridays.",
    },
    "When the online behaviour was happening": {
        "Important events": "Living alone, working nights, spending hours every evening on my phone and laptop.",
        "How I felt and coped": "Numb most of the time. I told myself it was harmless, which I now know was a lie I used.",
    },
    "Since then": {
        "Important events": "Arrested, told my brother, started the programme, found a new routine with the gym.",
        "How I felt and coped": "Frightened and guilty at first; now more hopeful, and honest with the people close to me.",
    },
}

STAGES = {
    "Friendship forming": {
        "The choices I made": "Replied to every message quickly and acted interested in everything she said.",
        "What I was thinking or telling myself": "I told myself I was only being friendly, and that felt easier than the truth.",
    },
    "Relationship forming": {
        "The choices I made": "Asked about her family and school and offered sympathy whenever she was upset.",
        "What I was thinking or telling myself": "Wanted to feel needed and important to someone, whatever the cost to her.",
    },
    "Risk assessment and avoiding detection": {
        "The choices I made": "Asked who else used her phone and suggested a different app to talk on.",
        "What I was thinking or telling myself": "Knew it was wrong, which is why I hid it; I pushed that thought away.",
    },
    "Exclusivity": {
        "The choices I made": "Said that nobody else understood her the way I did.",
        "What I was thinking or telling myself": "Felt powerful, and then sick with myself afterwards.",
    },
    "When the contact moved towards sex (only your choices and what you told yourself; do not write what was said or done)": {
        "The choices I made": "I chose to carry on when I knew I should stop; I will talk about this in the session.",
        "What I was thinking or telling myself": "Ashamed. I want to be honest about it with my practitioner.",
    },
}

WEEK = {
    "Monday evening": {
        "What happened": "Argument on the phone with my ex about money.",
        "What I thought": "Everyone is against me and nothing I do is good enough.",
        "How I felt": "Angry, then flat and lonely.",
        "What I did": "Went for a walk and rang my brother instead of going online.",
    },
    "Thursday night": {
        "What happened": "Could not sleep after a long shift at the warehouse.",
        "What I thought": "Just a quick look at my phone will not hurt anyone.",
        "How I felt": "Restless and bored.",
        "What I did": "Put the phone in the kitchen and read a book until I felt tired.",
    },
    "Saturday afternoon": {
        "What happened": "",
        "What I thought": "A good day: football with my cousin, then tea at my mum's.",
        "How I felt": "Calm and connected.",
        "What I did": "Nothing needed; I noticed how much better a busy day feels.",
    },
}


def example_summary() -> Summary:
    """A made-up participant's summary with long answers (for print and layout checks)."""
    exercises = dict(builtin_exercises())
    custom = parse_exercise(CUSTOM_FOUR_COLUMNS, "week-review.toml")
    exercises[custom.id] = custom
    payload = model.new_payload()
    payload.participant_ref = REF
    payload.assignments = [
        model.ImportedAssignment(
            id="0123456789abcdef", sequence=1, issued="2026-04-28T10:00:00+00:00",
            session=3, exercises=("life-timeline", "grooming-stages", "urge-diary", custom.id),
            due="2026-05-12", next_session="2026-05-12", note="",
            imported="2026-04-28T18:00:00+00:00"),
    ]  # fmt: skip
    a = model.set_answer
    changes = [
        a("life-timeline", 1, "periods", TIMELINE),
        a("life-timeline", 1, "high-points", ["Finishing my apprenticeship", "Teaching my nephew to ride a bike", "Running my first 10k last spring"]),
        a("life-timeline", 1, "low-points", ["Being bullied at school", "Redundancy", "The day of the arrest"]),
        a("life-timeline", 1, "turning-point", LONG),
        a("life-timeline", 1, "links", LONG + "\n\nThe pattern I see is that I hide when I feel ashamed, and hiding is exactly when I am most at risk."),
        model.set_flag("life-timeline", 1, "periods", True),
        model.set_reflection("life-timeline", 1, "It was harder than I expected to write about being a teenager. I would like to talk about it."),
        model.mark_complete("life-timeline", 1),
        a("grooming-stages", 1, "stages", STAGES),
        a("grooming-stages", 1, "same-order", False),
        a("grooming-stages", 1, "order-different", LONG),
        a("grooming-stages", 1, "noticing", "Looking at the stages written down, I can see that each step made the next one feel smaller. Noticing that is uncomfortable and important."),
        model.set_flag("grooming-stages", 1, "stages", True),
        model.mark_complete("grooming-stages", 1),
        a("urge-diary", 1, "had-urge", True),
        a("urge-diary", 1, "situation", "Thursday, late, after an argument on the phone. I was in bed scrolling and felt a pull to go back to the old apps."),
        a("urge-diary", 1, "urge-peak", 8),
        a("urge-diary", 1, "what-i-did", "Put the phone in the kitchen, made tea, and texted my brother. It passed in about twenty minutes."),
        a("urge-diary", 1, "steps-used", ["Put the device away", "Left the room or the house"]),
        a("urge-diary", 1, "urge-after", 3),
        model.set_flag("urge-diary", 1, "situation", True),
        a(custom.id, 1, "moments", WEEK),
        # Not exported as exercises, but they feed the plan.
        a("warning-signs", 1, "thoughts", ["Nobody would ever know", "I deserve a break from it all"]),
        a("warning-signs", 1, "feelings", ["Lonely in the evenings", "Bored and restless"]),
        a("risky-situations", 1, "my-situations", ["Sunday evenings when the house is empty", "After a bad day at work"]),
        model.mark_complete(custom.id, 1),
    ]  # fmt: skip
    for change in changes:
        change(payload)
    payload.exercises["life-timeline"].current.completed = "2026-05-03T21:00:00+00:00"
    payload.exercises["grooming-stages"].current.completed = "2026-05-06T21:00:00+00:00"
    start = _dt.datetime(2026, 3, 2, 20, 0, tzinfo=_dt.UTC)
    ratings = [(7, 6), (6, 6), (6, 5), (5, 5), (6, 4), (4, 4), (8, 7), (5, 3), (4, 3),
               (4, 2), (3, 3), (5, 2), (3, 2), (9, 8), (2, 1)]  # fmt: skip
    notes = {
        6: "Argument with my ex on the phone; I went for a walk and it helped a little.",
        11: "Good week at work",
        13: "Could not sleep after a long shift. Used my plan: phone downstairs, tea, a book.",
    }
    for index, (upset, urge) in enumerate(ratings):
        at = (start + _dt.timedelta(days=4 * index)).isoformat()
        payload.checkins.append(model.CheckIn(at, upset, urge, notes.get(index, ""), "manual"))
    return summary_mod.build(
        payload,
        exercises,
        ["life-timeline", "grooming-stages", "urge-diary", custom.id],
        "Thursday was hard but I used my plan. I would like to talk about telling my brother more, and about the timeline.",
        osp_version="example",
        now="2026-05-10T19:30:00+00:00",
    )
