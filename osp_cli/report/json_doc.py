"""The versioned JSON form of a summary (``schema_version``; see docs/formats.md)."""

from __future__ import annotations

import json

from osp_cli.exchange.summary import Summary


def render(summary: Summary) -> str:
    # ensure_ascii: control, bidi and other invisible characters appear as \\u escapes.
    return json.dumps(summary.to_json(), ensure_ascii=True, indent=2) + "\n"
