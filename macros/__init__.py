"""Macros for pages: `claim`, `claims`, `findings`, `evidence_map`, `cite`, `claims_table`,
`bibliography`, `downloads`.

Glue only: each macro asks the evidence plugin's renderer for HTML and returns a token
for it; the plugin swaps the HTML in after Markdown (evidence/placeholders.py), so
Python-Markdown never reads what we rendered. Registered through `define_env`, the entry
point mkdocs-macros (and Zensical) call.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markupsafe import Markup

from evidence.pages import data_page
from evidence.render.renderer import Renderer, UnknownName


def _line_of_call(page: Any, name: str, arg: str) -> int:
    """Line of the first call of macro `name` with `arg` in the page source (1 if unknown)."""
    try:
        lines = Path(page.file.abs_src_path).read_text(encoding="utf-8").splitlines()
    except (OSError, AttributeError, TypeError):
        return 1
    return next((i for i, line in enumerate(lines, 1) if f"{name}(" in line and arg in line), 1)


def define_env(env: Any) -> None:
    def renderer() -> Renderer:
        plugin = env.conf["plugins"].get("evidence")
        if plugin is None or plugin.renderer is None:
            raise RuntimeError("the 'evidence' plugin must be listed in mkdocs.yml before 'macros'")
        return plugin.renderer

    def call(name: str, arg: str | None, render: Callable[..., Markup]) -> str:
        r = renderer()
        page = r.page(env.page.file.src_uri, env.page.url)
        try:
            html = render(r, page) if arg is None else render(r, page, arg)
        except UnknownName as exc:
            known = {"claim": r.corpus.loaded, "cite": r.corpus.library.references}.get(name, r.corpus.topics)
            close = difflib.get_close_matches(str(arg), list(known), n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            line = _line_of_call(env.page, name, str(arg))
            raise UnknownName(f"docs/{page.src}:{line}: {exc}.{hint}") from None
        return r.hold(page, html, block=name != "cite")

    @env.macro
    def claim(claim_id: str) -> str:
        """One claim card."""
        return call("claim", claim_id, Renderer.claim)

    @env.macro
    def claims(topic: str) -> str:
        """Every active claim of a topic, in a stable order."""
        return call("claims", topic, Renderer.claims)

    @env.macro
    def findings(topic: str) -> str:
        """The topic's summary-of-findings table, in the order its page places the cards."""
        text = getattr(env.page.file, "content_string", "") or ""
        return call("findings", topic, lambda r, page, t: r.findings(page, t, text))

    @env.macro
    def evidence_map() -> str:
        """Claims by topic and certainty: an SVG chart with the same counts as a table."""
        return call("evidence_map", None, Renderer.evidence_map)

    @env.macro
    def cite(key: str) -> str:
        """An inline numbered citation with the formatted reference as its tooltip."""
        return call("cite", key, Renderer.cite)

    @env.macro
    def claims_table() -> str:
        """All active claims in one table."""
        return call("claims_table", None, Renderer.claims_table)

    @env.macro
    def bibliography() -> str:
        """Every reference, formatted, with backlinks to the claims citing it."""
        return call("bibliography", None, Renderer.bibliography)

    @env.macro
    def downloads() -> str:
        """The Data page's files (claims.json, claims.csv, references), with sizes and links."""
        return call("downloads", None, data_page.downloads)
