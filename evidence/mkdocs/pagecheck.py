"""The build's half of the card rules `evidence check` runs on pages' source (load/placement.py).

Once the hand-written pages are read, before any is rendered: each call of a retired
claim is logged as the warning `check` gives (`--strict` stops there), and the renderer
learns which pages call which claim, so that a retired claim's own page says where a
notice still stands for it (pages/claim_pages.py). Placement (each active claim exactly
once on its topic page) is checked on the rendered cards (mkdocs/pages.py).
"""

from __future__ import annotations

from mkdocs.plugins import get_plugin_logger

from evidence.content.pagesource import ParsedPage
from evidence.load import placement
from evidence.render.renderer import Renderer

log = get_plugin_logger(__name__)


def read_calls(renderer: Renderer, sources: dict[str, ParsedPage]) -> None:
    """Warn at each call of a retired claim; give the renderer every page's `claim(…)` calls."""
    found = placement.facts(renderer.corpus)
    called: dict[str, list[tuple[str, str]]] = {}
    for src, page in sorted(sources.items()):
        for problem in placement.retired_calls(found, page):
            log.warning(problem.format())
        title = str(page.meta.get("title") or page.heading or src)
        for cid in dict.fromkeys(str(call.args[0]) for call in page.calls("claim") if call.args):
            called.setdefault(cid, []).append((src, title))
    renderer.called_on = called
