"""The confidentiality notice checked as ideas, not as fixed wording.

Each idea accepts several phrasings, so the text can be reworded freely while the
meaning must stay: the three limits, patterns and feelings, and that encryption is not
legal protection.
"""

from __future__ import annotations

import re

IDEAS: dict[str, re.Pattern[str]] = {
    "a child harmed or at risk": re.compile(
        r"child\w*\b[^.]{0,60}\b(harm|abuse|hurt|at risk)", re.IGNORECASE
    ),
    "any other person at risk": re.compile(
        r"\b(any (other )?(person|one)|anyone( else)?|someone else|other people)\b[^.]{0,40}"
        r"\b(risk|danger|harm)",
        re.IGNORECASE,
    ),
    "details of offences": re.compile(
        r"\b(details? of (any )?(offences?|crimes?)|offences? (you|he) (have|has) committed"
        r"|crimes? committed)",
        re.IGNORECASE,
    ),
    "must pass it on": re.compile(r"\b(must|has to|have to|will) (pass|share|report)", re.I),
    "patterns and feelings without identifying detail": re.compile(
        r"patterns?[^.]{0,60}feelings?[^.]{0,80}(without|no)[^.]{0,30}identif", re.IGNORECASE
    ),
    "encryption is not legal protection": re.compile(
        r"not (a )?legal protection|police can (lawfully )?(require|demand|make you)",
        re.IGNORECASE,
    ),
}


def missing_ideas(text: str) -> list[str]:
    """The ideas ``text`` does not carry (empty when it carries them all)."""
    flat = " ".join(text.split())
    return [name for name, pattern in IDEAS.items() if not pattern.search(flat)]
