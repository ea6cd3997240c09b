"""The macros a hand-written page may call, and the registry a site's `define_env` fills.

A page's body is read once (content/pagesource.py); each call it holds is dispatched here
with its literal arguments to the renderer, which returns our HTML. Nothing else of the
page is ever a template. A site's `macros/__init__.py` keeps the mkdocs-macros-style entry
point `define_env(env)` and calls `env.macro(...)` for each macro its pages may use, so the
site's macro list stays in the site, while the code of every macro is ours.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from markupsafe import Markup

from evidence.content.pagesource import INLINE_MACROS, MACROS, MacroCall, ParsedPage
from evidence.core.problems import Problem, error
from evidence.pages import claim_pages, data_page
from evidence.render.page import UnknownName

if TYPE_CHECKING:
    from evidence.render.page import Page
    from evidence.render.renderer import Renderer


#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live"); a name a
#: call looks up and cannot find keeps page_names' ids (page-unknown-*), as `check` says.
RULES: Final = frozenset({"page-macro-unregistered"})


@dataclass(frozen=True)
class Context:
    """What a macro sees: the renderer, the page being built and that page as it was read."""

    renderer: Renderer
    page: Page
    source: ParsedPage


Macro = Callable[..., Markup]


def claim(ctx: Context, claim_id: str) -> Markup:
    """One claim card; for a retired claim, a short notice that links its successor."""
    loaded = ctx.renderer.corpus.loaded.get(claim_id)
    if loaded is not None and not loaded.claim.active:
        return claim_pages.notice(ctx.renderer, ctx.page, claim_id)
    return ctx.renderer.claim(ctx.page, claim_id)


def claims(ctx: Context, topic: str) -> Markup:
    """Every active claim of a topic, in a stable order."""
    return ctx.renderer.claims(ctx.page, topic)


def findings(ctx: Context, topic: str) -> Markup:
    """The topic's summary-of-findings table, in the order its page places the cards."""
    return ctx.renderer.findings(ctx.page, topic, ctx.source)


def evidence_map(ctx: Context) -> Markup:
    """Claims by topic and certainty: an SVG chart with the same counts as a table."""
    return ctx.renderer.evidence_map(ctx.page)


def cite(ctx: Context, key: str) -> Markup:
    """An inline numbered citation with the formatted reference as its tooltip."""
    return ctx.renderer.cite(ctx.page, key)


def claims_table(ctx: Context) -> Markup:
    """All active claims in one table."""
    return ctx.renderer.claims_table(ctx.page)


def bibliography(ctx: Context) -> Markup:
    """Every reference, formatted, with backlinks to the claims citing it."""
    return ctx.renderer.bibliography(ctx.page)


def downloads(ctx: Context) -> Markup:
    """The Data page's files (claims.json, claims.csv, references), with sizes and links."""
    return data_page.downloads(ctx.renderer, ctx.page)


def red_flags(ctx: Context) -> Markup:
    """When to get help straight away: content/site.yml's `safety`, cited and dated."""
    return ctx.renderer.red_flags(ctx.page)


STANDARD: dict[str, Macro] = {
    f.__name__: f
    for f in (claim, claims, findings, evidence_map, cite, claims_table, bibliography, downloads, red_flags)
}
assert set(STANDARD) == set(MACROS), "pagesource.MACROS lists the arity of every macro here"


class RegistryError(ValueError):
    """`define_env` registered something that is not one of the package's macros."""


class Registry:
    """The `env` a site's `define_env(env)` receives: `env.macro(fn)` enables one macro.

    Only the package's own macros can be registered (by function or by name): `evidence
    check` validates pages against them without importing the site's Python."""

    def __init__(self) -> None:
        self.macros: dict[str, Macro] = {}

    def macro(self, fn: Macro | str, name: str | None = None) -> Macro:
        key = name or (fn if isinstance(fn, str) else getattr(fn, "__name__", ""))
        if key not in STANDARD or (not isinstance(fn, str) and fn is not STANDARD[key]):
            known = ", ".join(sorted(STANDARD))
            raise RegistryError(f"define_env registered {key!r}; a site may register only: {known}")
        self.macros[key] = STANDARD[key]
        return STANDARD[key]


class MacroFailure(Exception):
    """A call the page cannot make: its problem names the page, line and column."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.format())
        self.problem = problem


def expand(ctx: Context, enabled: dict[str, Macro], hold: Callable[[Markup, bool], str]) -> str:
    """The page's Markdown: its text as written, each call replaced by a token for its HTML."""
    out: list[str] = []
    for part in ctx.source.parts:
        out.append(
            part if isinstance(part, str) else hold(_call(ctx, enabled, part), part.name not in INLINE_MACROS)
        )
    return "".join(out)


def _call(ctx: Context, enabled: dict[str, Macro], part: MacroCall) -> Markup:
    path = ctx.source.path
    if part.name not in enabled:
        message = f"{part.name}() is not registered by this site's macros/__init__.py"
        hint = f"register it in define_env, or use one of: {', '.join(sorted(enabled))}"
        raise MacroFailure(error(path, part.line, part.col, message, "page-macro-unregistered", hint))
    try:
        return enabled[part.name](ctx, *part.args)
    except UnknownName as exc:
        known = {"claim": ctx.renderer.corpus.loaded, "cite": ctx.renderer.corpus.library.references}
        names = known.get(part.name, ctx.renderer.corpus.topics)
        close = difflib.get_close_matches(str(part.args[0]) if part.args else "", list(names), n=1)
        hint = f"did you mean '{close[0]}'?" if close else ""
        rule = {"claim": "page-unknown-claim", "cite": "page-unknown-reference"}.get(
            part.name, "page-unknown-topic"
        )
        raise MacroFailure(error(path, part.line, part.col, str(exc), rule, hint)) from None
