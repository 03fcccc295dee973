"""The safeguarding facts, in one place: helplines, what to do now, confidentiality.

Pure data, no imports: the support screen, the check-in, init, export, and the docs'
tests all read from here, so a number or a limit is changed once.

Sources (checked 2026-11-27; see /work/shared/CONTENT.md "Safeguarding facts"):

- Stop It Now helpline 0808 1000 900, free and confidential, in English or Welsh, with
  live chat and secure email; not a 24-hour line (opening hours on its website, so they
  are not fixed here). Its confidentiality policy: no one has to give identifying
  details; if they do, information that a child has been or may be abused, or that any
  other person is at risk of harm, is passed to the appropriate agencies, and so are
  details of any crime committed. (stopitnow.org.uk, helpline and confidentiality pages.)
- Samaritans 116 123, free, any time, day or night (samaritans.org).
- NHS 111, "choose the mental health option" (formerly option 2), any time, in England
  and Wales, for a mental health crisis; in Scotland NHS 24 is also on 111 (nhs.uk,
  "Where to get urgent help for mental health"; nhs24.scot). 999 or A&E when life is at
  risk.
- Suicide risk is much raised for men investigated for online child sexual offences,
  especially around arrest (Key et al. 2021; Safer Lives; Stop It Now Scotland, Breaking
  the Links): ask directly and kindly.
- Encryption is not legal protection: under the Regulation of Investigatory Powers Act
  2000 s.49 the police can require a passphrase, and refusing is an offence under s.53
  (legislation.gov.uk).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CONFIDENTIALITY",
    "CONFIDENTIALITY_LIMITS",
    "CRISIS_LINES",
    "HELPLINES",
    "KEEP_SAFE",
    "LEGAL_STATUS",
    "LEGAL_STATUS_SHORT",
    "SELF_HARM_PROMPT",
    "SELF_HARM_SHARED",
    "STOP_IT_NOW_NOTE",
    "URGES_NOW",
    "Helpline",
]


@dataclass(frozen=True, slots=True)
class Helpline:
    """One number: who, the number, and one short line on when to use it."""

    name: str
    number: str
    when: str


STOP_IT_NOW = Helpline("Stop It Now", "0808 1000 900", "")
SAMARITANS = Helpline("Samaritans", "116 123", "free, any time")
NHS_111 = Helpline("NHS", "111", "mental health option, any time (Scotland: NHS 24)")
EMERGENCY = Helpline("Emergency", "999", "anyone in danger now")

HELPLINES: tuple[Helpline, ...] = (STOP_IT_NOW, SAMARITANS, NHS_111, EMERGENCY)
"""Every number, in the order shown: the first screen of support shows them all."""

CRISIS_LINES: tuple[Helpline, ...] = (
    SAMARITANS,
    NHS_111,
    Helpline("Emergency", "999", "if you might act on them now, or go to A&E"),
)
"""The short crisis panel after a yes to the self-harm question."""

STOP_IT_NOW_NOTE = (
    "Free and confidential. Not 24 hours (see its website): when closed, use another "
    "number. Also live chat and secure email."
)

URGES_NOW: tuple[str, ...] = (
    "Put the device down and move away from it. Go to a room where other people are.",
    "Get outside for a walk, or do something active for ten minutes.",
    "Ring someone on your plan, or one of the numbers. You do not have to explain much.",
    "Remind yourself: an urge rises, peaks and passes, usually within minutes.",
    "Think about what acting on it would mean: for a child, for the people you love, for you.",
)

KEEP_SAFE = (
    "Do not write names, usernames, or anything else that could identify a child or "
    "anyone else, and no sexual detail. You can talk about patterns and feelings "
    "without identifying details."
)

CONFIDENTIALITY_LIMITS: tuple[str, ...] = (
    "anything that suggests a child has been harmed or may be harmed",
    "anything that suggests any other person is at risk of harm",
    "details of offences",
)
"""What a practitioner must pass on to the right agencies (the Stop It Now policy)."""

CONFIDENTIALITY = (
    "Your practitioner keeps what you share private, with three limits. They must pass "
    "on to the right people: "
    + ", ".join(CONFIDENTIALITY_LIMITS[:-1])
    + ", and "
    + CONFIDENTIALITY_LIMITS[-1]
    + ". "
    "You can talk about patterns, thoughts and feelings without giving identifying "
    "details, such as names, places or dates."
)

LEGAL_STATUS = (
    "Encryption keeps your answers private from anyone who picks up this computer. It is "
    "not legal protection: if you are under investigation, the police can lawfully "
    "require your passphrase (refusing is an offence). Keep to patterns and feelings, and "
    "ask your solicitor if you are unsure."
)

LEGAL_STATUS_SHORT = (
    "Encryption is not legal protection: the police can lawfully require your "
    "passphrase. If you are under investigation, ask your solicitor."
)

SELF_HARM_PROMPT = "Are you having thoughts of ending your life or harming yourself?"
SELF_HARM_SHARED = (
    "You do not have to answer. If you share your check-ins with your practitioner, "
    "this answer is included, so they can help."
)
