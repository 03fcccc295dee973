"""Fixed user-facing wording: support details, notices. One place, plain British English."""

from __future__ import annotations

from osp_cli import safeguarding as _facts

SUPPORT_LINE = (
    "Need help now? Stop It Now 0808 1000 900 · Samaritans 116 123 · NHS 111 · 999 in an emergency"
)
SUPPORT_LINE_PLAIN = (
    "Need help now? Stop It Now 0808 1000 900. Samaritans 116 123. NHS 111. 999 in an emergency."
)

NO_NAMES = (
    "Please do not write names, usernames, or anything else that could identify a child "
    "or anyone else."
)

NO_SEXUAL_DETAIL = (
    "Please do not write any sexual detail. Keep to your choices, thoughts and feelings."
)

NO_NAMES_OR_SEXUAL_DETAIL = (
    "Please do not write names or anything that could identify anyone, and no sexual "
    "detail. Keep to your choices, thoughts and feelings."
)


def question_reminder(no_names: bool, no_sexual_detail: bool) -> str | None:
    """The reminder shown with a question: one line covering the flags it has."""
    if no_names and no_sexual_detail:
        return NO_NAMES_OR_SEXUAL_DETAIL
    if no_names:
        return NO_NAMES
    if no_sexual_detail:
        return NO_SEXUAL_DETAIL
    return None


CONFIDENTIALITY = (
    "What you write in osp stays encrypted on this computer. Only you can open it with "
    "your passphrase. When you export a summary, only your practitioner can open it.\n\n"
    + _facts.CONFIDENTIALITY
    + " This is the same in your sessions.\n\n"
    + _facts.LEGAL_STATUS
)

CONFIDENTIALITY_SHORT = (
    "Remember: "
    + _facts.CONFIDENTIALITY[0].lower()
    + _facts.CONFIDENTIALITY[1:]
    + " "
    + _facts.LEGAL_STATUS_SHORT
)

RECOVERY_EXPLAINED = (
    "This recovery code is the only way back in if you forget your passphrase. "
    "It is shown once and is not stored anywhere. Write it on paper and keep it "
    "somewhere private and safe. Do not keep it on this computer or your phone."
)

OLD_COPIES = (
    "Your workbook and its backups on this computer are now locked with a new key. "
    "Any copy made before now (with 'osp backup', on a USB stick, or in a cloud folder) "
    "still opens with your OLD passphrase or OLD recovery code, and shows your answers "
    "as they were when it was made. Nothing you write from now on can be read with them. "
    "If you do not need those copies, destroy them."
)
