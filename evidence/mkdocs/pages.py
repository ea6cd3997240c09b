"""The adapter's half for hand-written pages: read once, macros expanded, titles escaped.

MkDocs hands a page's text to its own front-matter reader and, through `page.title` and
the toc, to a theme that prints without escaping. Here each page is taken from our one
reading of it (content/pagesource.py) and every title the theme prints is made plain,
escaped text. Kept apart from plugin.py, which wires the events.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from evidence.content import pagesource
from evidence.core.problems import Problem
from evidence.load import placement, reading
from evidence.load.cacheport import ClaimCache
from evidence.pages import macros
from evidence.render.page import Page as PageState
from evidence.render.renderer import Renderer


def docs_path(src_uri: str, config: MkDocsConfig) -> str:
    """A page's source as a contributor names it (docs/x.md), as `evidence check` does."""
    docs = Path(config.docs_dir).resolve()
    root = Path(config.config_file_path).resolve().parent
    prefix = docs.relative_to(root).as_posix() if docs.is_relative_to(root) else "docs"
    return f"{prefix}/{src_uri}"


def read_pages(
    files: Files, config: MkDocsConfig, warn: Callable[[Problem], None], cache: ClaimCache | None = None
) -> dict[str, pagesource.ParsedPage]:
    """Every hand-written page read once, as `evidence check` reads it: the only reading of
    its text the build uses (MkDocs' own front matter and Markdown input are replaced).
    Its prose's reading grades come from `cache` when an earlier run graded the same text."""
    pages, problems = {}, []
    grades = reading.Grades.kept(cache, reading.PAGE_MEMO)
    for file in files.documentation_pages():
        if file.generated_by is None:
            parsed = pagesource.parse(file.content_string, docs_path(file.src_uri, config))
            pages[file.src_uri] = parsed
            problems += parsed.problems
            for low in reading.page_reading(parsed.body, parsed.path, parsed.offset, grades):
                warn(low)  # as `evidence check` reports it
    grades.keep(cache)
    if problems:
        listing = "\n".join(p.format() for p in sorted(problems))
        raise PluginError(f"{len(problems)} page error(s); nothing was built:\n{listing}")
    return pages


def site_macros(root: Path) -> dict[str, macros.Macro]:
    """The macros the site's `macros/__init__.py` registers (all of ours when it has none)."""
    path = next((p for p in (root / "macros" / "__init__.py", root / "macros.py") if p.is_file()), None)
    if path is None:
        return dict(macros.STANDARD)
    name = f"_evidence_site_macros_{abs(hash(str(path)))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise PluginError(f"{path}: cannot be loaded as the site's macros")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
        registry = macros.Registry()
        module.define_env(registry)
    except (macros.RegistryError, AttributeError) as exc:
        raise PluginError(f"{path.relative_to(root).as_posix()}: {exc}") from None
    finally:
        sys.modules.pop(name, None)
    return registry.macros


def page_meta(meta: dict[str, object]) -> dict[str, object]:
    """Front matter as the theme receives it: every text escaped (its templates do not)."""
    return {key: str(escape(value)) if isinstance(value, str) else value for key, value in meta.items()}


def refuse_misplaced_cards(renderer: Renderer, page: Page, source: pagesource.ParsedPage) -> None:
    """A topic page shows each active claim of its topic exactly once (load/placement.py)."""
    corpus = renderer.corpus
    topic = placement.topic_of_page(corpus, page.file.src_uri)
    if topic is None:
        return
    shown = renderer.page(page.file.src_uri, page.url).shown
    problems = placement.exactly_once(corpus, topic, source.path, source, shown)
    if problems:
        listing = "\n".join(p.format() for p in problems)
        raise PluginError(f"{len(problems)} misplaced claim card(s); nothing was built:\n{listing}")


def expand(
    renderer: Renderer,
    state: PageState,
    page: Page,
    source: pagesource.ParsedPage,
    enabled: dict[str, macros.Macro],
) -> str:
    """The page's Markdown from our reading of it, its macro calls held as tokens; MkDocs'
    own reading of the file (front matter, body) is dropped, and `page.meta` is ours."""
    page.meta = page_meta(source.meta)
    configured = vars(page).get("title")  # mkdocs.yml's nav names the page
    state.title = str(source.meta.get("title") or configured or source.heading or page.title or "")
    ctx = macros.Context(renderer, state, source)
    try:
        markdown = macros.expand(ctx, enabled, lambda html, block: renderer.hold(state, html, block=block))
    except macros.MacroFailure as failure:
        raise PluginError(failure.problem.format()) from None
    refuse_misplaced_cards(renderer, page, source)
    return markdown


def escape_titles(
    renderer: Renderer, state: PageState, page: Page, source: pagesource.ParsedPage | None
) -> None:
    """Every toc title, and a hand-written page's title, as escaped text, whichever made it:
    Material prints both as they are (and `striptags` turns `&lt;` back into `<`)."""
    holds = renderer.placeholders
    for item in _toc_items(page.toc):
        item.title = holds.text(item.title, state.held)
    if source is None:
        return
    given = source.meta.get("title")
    title = str(escape(given)) if isinstance(given, str) else holds.text(str(page.title or ""), state.held)
    page.title = title  # nav, header and footer print it as it is
    if page.is_homepage:
        page.meta.pop("title", None)  # Material's <title> is then the site's name
    else:
        page.meta["title"] = title  # else <title> is page.title | striptags, unescaped


def _toc_items(toc: TableOfContents | list[AnchorLink]) -> Iterator[AnchorLink]:
    for item in toc:
        yield item
        yield from _toc_items(item.children)
