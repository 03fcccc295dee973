"""Heuristics for text that may identify someone, and the rule for participant references.

These are warnings, not guarantees: they catch the common slips (an email address, a
phone number, a link, an @handle, a name and surname) so that the participant can look
again before anything leaves his computer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Every pattern costs time linear in the length of the text: a match can start only at
# the beginning of a run of the characters it is made of (the lookbehinds), and every
# repeat is bounded, so a long unbroken run is not tried again from each of its positions.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
_URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|(?<![\w.-])[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.(?:com|net|org|uk|io|me|info|biz|app|gg|tv)"
    r"(?:/\S*)?\b",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?<![\w])(?:\+|00)?\d(?:[\s().-]?\d){8,13}(?![\w])")
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_][A-Za-z0-9_.]{1,29}")
_NAME_PAIR = re.compile(
    r"\b([A-Z][a-z]{1,15})[ \t]+((?:Mc|Mac|O')?[A-Z][a-z]{1,20}(?:-[A-Z][a-z]+)?)\b"
)

# Capitalised words that often start sentences or name things that are not people.
_COMMON_WORDS = """
a about after again all also although am an and another any are as at be because been
before being both but by can could did do does doing done during each even every few
first for from had has have having he her here hers him his how i if in into is it its
just last let like many may me might mine more most much must my myself never next no
nor not now of off often on once one only or other our out over own perhaps please
rather really same she should since so some still such than that the their them then
there these they this those though through thus to too under until up us very was we
were what when where whether which while who whom why will with would yes yet you your
dad mum mother father mom brother sister son daughter wife husband partner friend boss
god lord sir mr mrs ms miss dr uncle aunt nan gran grandad grandma grandpa
monday tuesday wednesday thursday friday saturday sunday january february march april
june july august september october november december christmas easter weekend today
tomorrow yesterday morning evening night england scotland wales ireland britain uk
london internet google facebook instagram snapchat whatsapp tiktok discord youtube
twitter reddit telegram skype xbox playstation minecraft roblox stop it samaritans
police court probation session sessions programme osp child children online offline
however sometimes usually always maybe feeling feelings thinking thought
"""
_NOT_NAMES = frozenset(_COMMON_WORDS.split())

KIND_NAMES = {
    "email": "an email address",
    "phone": "a phone number",
    "url": "a web address",
    "handle": "an @username",
    "name": "a name and surname",
}


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str  # one of KIND_NAMES
    match: str

    @property
    def description(self) -> str:
        return KIND_NAMES[self.kind]


#: At most this many findings are reported for one text (the first ones in each pass);
#: enough for the participant to look again, and it keeps the overlap check cheap.
MAX_FINDINGS = 50


def find_identifying(text: str) -> list[Finding]:
    """Things in ``text`` that look identifying, in order of appearance, without repeats."""
    found: list[tuple[int, Finding]] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, match: re.Match[str]) -> None:
        start, end = match.span()
        if len(found) >= MAX_FINDINGS:
            return
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            return
        taken.append((start, end))
        found.append((start, Finding(kind, match.group(0)[:200])))

    for match in _EMAIL.finditer(text):
        if len(found) >= MAX_FINDINGS:
            break
        add("email", match)
    for match in _URL.finditer(text):
        if len(found) >= MAX_FINDINGS:
            break
        add("url", match)
    for match in _HANDLE.finditer(text):
        if len(found) >= MAX_FINDINGS:
            break
        add("handle", match)
    for match in _PHONE.finditer(text):
        if len(found) >= MAX_FINDINGS:
            break
        if sum(ch.isdigit() for ch in match.group(0)) >= 9:
            add("phone", match)
    for match in _NAME_PAIR.finditer(text):
        if len(found) >= MAX_FINDINGS:
            break
        first, second = match.group(1).lower(), match.group(2).lower()
        if first not in _NOT_NAMES and second not in _NOT_NAMES:
            add("name", match)
    found.sort(key=lambda pair: pair[0])
    return list(dict.fromkeys(finding for _, finding in found))


REF_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{1,31}\Z")


def ref_problem(ref: str) -> str | None:
    """Why ``ref`` cannot be a participant reference, or None if it will do.

    A reference is pseudonymous: 2-32 letters, digits and ``. _ / -``, with at least one
    digit, and nothing that looks like an email address or a person's name.
    """
    if len(ref) > 32:  # checked first: nothing below then costs more than a moment
        return (
            "A reference is 2 to 32 letters, digits, dots, dashes, slashes or underscores, "
            "for example P-0142."
        )
    if "@" in ref or _EMAIL.search(ref):
        return "It looks like an email address. Use the case reference instead, e.g. P-0142."
    if any(ch.isspace() for ch in ref):
        return "It contains spaces, so it may be a full name. Use a reference such as P-0142."
    if not REF_PATTERN.match(ref):
        return (
            "A reference is 2 to 32 letters, digits, dots, dashes, slashes or underscores, "
            "for example P-0142."
        )
    if not any(ch.isdigit() for ch in ref):
        return (
            "It has no digits, so it may be a name. A participant reference must contain "
            "a number, for example P-0142."
        )
    return None
