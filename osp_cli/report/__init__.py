"""Summary → terminal, Markdown, HTML, JSON and CSV: one renderer per module, one registry.

Every renderer takes a :class:`osp_cli.exchange.summary.Summary` and treats every string
in it as untrusted: it reaches the output only through ``osp_cli.ui.safe``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from osp_cli.exchange.summary import Summary

_MODULES = {
    "terminal": "osp_cli.report.terminal_view",
    "markdown": "osp_cli.report.markdown_doc",
    "html": "osp_cli.report.html_page",
    "json": "osp_cli.report.json_doc",
    "csv": "osp_cli.report.csv_rows",
}
FORMATS = tuple(_MODULES)


def renderer(name: str) -> Callable[[Summary], str]:
    """The ``render(summary) -> str`` function of one format."""
    if name not in _MODULES:
        raise KeyError(name)
    module = importlib.import_module(_MODULES[name])
    render: Callable[[Summary], str] = module.render
    return render


def render(name: str, summary: Summary) -> str:
    return renderer(name)(summary)
