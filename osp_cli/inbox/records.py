"""The inbox payload, typed: received summaries and private "discussed" notes. Pure.

The payload is the JSON body of an osp vault file (docs/vault-format.md), shaped::

    {"type": "osp-inbox", "format": 1,
     "summaries": [{"digest", "received", "verification", "summary": <summary JSON>}],
     "discussed": [{"participant_ref", "item", "at", "note"}]}

``digest`` is the SHA-256 of the summary's canonical JSON, so the same summary received
twice (even from two sealed files, whose encryption differs) is stored once. ``item``
names one flagged answer: exercise id, question id and a digest of the answer, so a
changed answer to the same question is a new item to discuss.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from osp_cli.errors import DamagedFile
from osp_cli.exchange import summary as summary_mod
from osp_cli.exchange.summary import Flagged, Summary

TYPE = "osp-inbox"
FORMAT = 1


@dataclass(frozen=True, slots=True)
class Received:
    digest: str
    received: str
    verification: str
    summary: Summary

    def to_json(self) -> dict[str, Any]:
        return {
            "digest": self.digest,
            "received": self.received,
            "verification": self.verification,
            "summary": self.summary.to_json(),
        }


@dataclass(frozen=True, slots=True)
class Discussed:
    participant_ref: str
    item: str
    at: str
    note: str

    def to_json(self) -> dict[str, Any]:
        return {
            "participant_ref": self.participant_ref,
            "item": self.item,
            "at": self.at,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Inbox:
    summaries: tuple[Received, ...] = ()
    discussed: tuple[Discussed, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "type": TYPE,
            "format": FORMAT,
            "summaries": [r.to_json() for r in self.summaries],
            "discussed": [d.to_json() for d in self.discussed],
        }

    def refs(self) -> list[str]:
        return sorted({r.summary.participant_ref for r in self.summaries})

    def of(self, ref: str) -> list[Received]:
        """One participant's summaries, oldest first (by when he exported them)."""
        found = [r for r in self.summaries if r.summary.participant_ref == ref]
        return sorted(found, key=lambda r: (r.summary.created, r.received))

    def notes_for(self, ref: str) -> dict[str, Discussed]:
        return {d.item: d for d in self.discussed if d.participant_ref == ref}


def new_payload() -> dict[str, Any]:
    return Inbox().to_json()


def digest_of(summary: Summary) -> str:
    return hashlib.sha256(summary.to_bytes()).hexdigest()


def item_key(flagged: Flagged) -> str:
    """Names one flagged answer across summaries (same question, same answer)."""
    answer = json.dumps(flagged.question.answer, sort_keys=True, ensure_ascii=False)
    short = hashlib.sha256(answer.encode("utf-8", "replace")).hexdigest()[:16]
    return f"{flagged.exercise.id}/{flagged.question.id}/{short}"


def _damaged() -> DamagedFile:
    return DamagedFile(
        "Your caseload store cannot be read: its contents are not as osp wrote them.",
        hint="Nothing has been changed. A backup copy sits next to it (inbox.osp.bak1).",
    )


def from_json(data: Any) -> Inbox:
    """Parse the decrypted payload strictly. Raises DamagedFile."""
    try:
        if not isinstance(data, dict) or data.get("type") != TYPE or data.get("format") != FORMAT:
            raise ValueError("not an inbox")
        summaries = []
        for entry in data["summaries"]:
            summaries.append(
                Received(
                    digest=_text(entry["digest"]),
                    received=_text(entry["received"]),
                    verification=_text(entry["verification"]),
                    summary=summary_mod.from_json(entry["summary"]),
                )
            )
        discussed = [
            Discussed(
                participant_ref=_text(d["participant_ref"]),
                item=_text(d["item"]),
                at=_text(d["at"]),
                note=_text(d["note"]),
            )
            for d in data["discussed"]
        ]
    except (KeyError, TypeError, ValueError, DamagedFile) as exc:
        raise _damaged() from exc
    return Inbox(tuple(summaries), tuple(discussed))


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected text")
    return value
