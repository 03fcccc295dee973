"""The versioned JSON form of a summary (``schema_version``; see docs/formats.md).

The practitioner's copy adds ``"sender"``: the check of who signed it (see
:mod:`osp_cli.exchange.pins`), made when the sealed file was opened."""

from __future__ import annotations

import json
from typing import Any

from osp_cli.exchange.summary import Summary


def render(summary: Summary) -> str:
    data: dict[str, Any] = summary.to_json()
    if summary.sender is not None:
        data["sender"] = summary.sender.to_json()
    # ensure_ascii: control, bidi and other invisible characters appear as \\u escapes.
    return json.dumps(data, ensure_ascii=True, indent=2) + "\n"
