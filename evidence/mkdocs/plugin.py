"""Thin MkDocs glue: load and validate the corpus once per build, finish every page.

All rules live in the domain modules; this file only turns their problems into MkDocs
errors and warnings and hands the renderer to the macros.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup, escape
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from evidence.cache.store import Cache, Memory
from evidence.content import pagesource
from evidence.core import packaged, safepath
from evidence.core.problems import Severity
from evidence.editions import release
from evidence.editions.deleted import deleted_claims
from evidence.load.corpus import BIB_FILE, CONTENT_DIR, Settings, load_corpus
from evidence.mkdocs import editor as admin_editor
from evidence.mkdocs import pagecheck, pages, preview
from evidence.mkdocs.config import EvidenceConfig, forge
from evidence.pages import feeds, list_pages, macros, search_index
from evidence.pages.registry import generated_pages
from evidence.render import cite_block, environment, export, jsonld, pagehtml
from evidence.render.renderer import GeneratedPage, Renderer, SiteInfo

if TYPE_CHECKING:
    from jinja2 import Environment
    from jinja2.sandbox import SandboxedEnvironment
    from mkdocs.livereload import LiveReloadServer

    from evidence.editions.history import Released

log = get_plugin_logger(__name__)
#: The h1 of a generated page (our own template's HTML, filled in after Markdown).
_H1 = re.compile(r'<h1 id="([^"]+)"')


#: A generated page's source: constant ASCII, no contributor text (see on_files).
_STUB = "\n"
#: mkdocs.yml values Material prints into HTML as they are (no autoescape in its templates).
_CONFIG_TEXT = ("site_name", "site_description", "site_author", "copyright")


def _refuse_collisions(files: list[File], config: MkDocsConfig) -> None:
    """Two files with one URL: MkDocs would keep one and drop the other without a word."""
    by_dest: dict[str, list[File]] = {}
    for file in files:
        by_dest.setdefault(file.dest_uri, []).append(file)
    clashes = []
    for dest, same in sorted(by_dest.items()):
        if len(same) > 1:
            names = " and ".join(sorted(_file_name(f, config) for f in same))
            clashes.append(
                f"{names} are both published at {dest}\n"
                "    hint: rename or delete the hand-written page (or change the claim's id); "
                "pages under claims/, sources/, changes and data/ are generated at build time"
            )
    if clashes:
        raise PluginError(f"{len(clashes)} page(s) share a URL; nothing was built:\n" + "\n".join(clashes))


def _file_name(file: File, config: MkDocsConfig) -> str:
    if file.generated_by is None:
        return pages.docs_path(file.src_uri, config)
    return f"{file.src_uri} (generated)"


def _use_packaged_theme_files(config: MkDocsConfig) -> None:
    """The packaged overrides after the site's custom_dir, before Material's own templates;
    the packaged stylesheet and script on every page unless the site lists them itself."""
    dirs = config.theme.dirs
    at = 1 if config.theme.custom_dir is not None and dirs and dirs[0] == config.theme.custom_dir else 0
    if str(packaged.OVERRIDES) not in dirs:
        dirs.insert(at, str(packaged.OVERRIDES))
    for name in packaged.ASSET_FILES:
        path = f"{packaged.ASSET_DIR}/{name}"
        if name.endswith(".css") and path not in config.extra_css:
            config.extra_css.append(path)
        elif name.endswith(".js") and path not in [str(script) for script in config.extra_javascript]:
            config.extra_javascript.append(ExtraScriptValue(path))


def _packaged_assets(files: Files, config: MkDocsConfig) -> list[File]:
    """The packaged stylesheet and script, published under assets/ unless docs/ has its own."""
    made = []
    for name in packaged.ASSET_FILES:
        src = f"{packaged.ASSET_DIR}/{name}"
        if files.get_file_from_path(src) is None:
            made.append(File.generated(config, src, abs_src_path=str(packaged.ASSETS / name)))
    return made


class EvidencePlugin(BasePlugin[EvidenceConfig]):  # type: ignore[valid-type]
    """Owns the per-build Renderer that the macros module calls into."""

    renderer: Renderer | None = None
    cache: Cache | None = None
    generated: dict[str, GeneratedPage]
    works: jsonld.Works

    def __init__(self) -> None:
        super().__init__()
        #: Per project, kept by this instance across `mkdocs serve` rebuilds (`on_startup`
        #: keeps the instance): what the cache unpickled, and the releases' corpora. Two
        #: projects built in one process have two instances, so they share nothing.
        self._memory: dict[Path, tuple[Memory, Released]] = {}
        #: Per templates folder: its digest and the Jinja environment with what it compiled.
        self._envs: dict[Path, tuple[str, SandboxedEnvironment]] = {}
        self._rows: dict[Path, dict[Hashable, Markup]] = {}  # per project: the claims table's rows
        self._theme_env: tuple[str, Environment] | None = None  # MkDocs's, keyed by preview.theme_key
        #: `--dirty` (`make serve`): this plugin decides which pages are built (preview.py)
        self._dirty = False
        self._built: dict[Path, preview.Built] = {}  # per project: its last dirty build that finished
        self._decision = preview.Decision("not decided")
        self._inputs: preview.Inputs | None = None
        self._files: Files | None = None
        self._quiet = preview.DirtyWarningFilter()
        self._indexer = search_index.Indexer()  # an incremental build's index, in a thread

        self._sources: dict[str, pagesource.ParsedPage] = {}  # this build's hand-written pages
        self._macros: dict[str, macros.Macro] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so MkDocs keeps this instance (and its memos) from one serve rebuild to the
        next; with `--dirty` the plugin, not file mtimes, decides what each rebuild builds."""
        self._dirty = dirty
        logger = logging.getLogger("mkdocs.commands.build")
        if dirty and self._quiet not in logger.filters:
            logger.addFilter(self._quiet)

    def wait_for_search(self) -> None:
        """Until the previous serve build's search index is in place (see search_index.Indexer)."""
        self._indexer.join()

    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        # a serve rebuild's search index is stale now: stopped before a file is written (and
        # the cores left to this build), made again after it (search_index.Indexer)
        self._indexer.cancel()
        root = Path(config.config_file_path).resolve().parent
        # before MkDocs lists docs/ (get_files runs after on_config): no link leaves the project
        unsafe = safepath.check_project(root, safepath.below(config.config_file_path, config.docs_dir))
        if unsafe:
            listing = "\n".join(p.format() for p in unsafe)
            raise PluginError(f"{len(unsafe)} unsafe path(s); nothing was built:\n{listing}")
        _use_packaged_theme_files(config)
        release.keep_version_selector(config.extra)  # only mike's builds have versions.json
        site_name = config.site_name
        for name in _CONFIG_TEXT:  # Material prints them raw; SiteInfo keeps the text
            if isinstance(config[name], str):
                config[name] = str(escape(config[name]))
        self._macros = pages.site_macros(root)
        memory, released = self._memory.setdefault(root, ({}, {}))
        self.cache = Cache(root, memory=memory) if self.config.cache else None
        # "today" for the review-date rules is `build_date()`, as for `evidence check`: the
        # UTC date, or SOURCE_DATE_EPOCH's, so a commit rebuilt later gives the same result
        settings = Settings(
            review_max_months=self.config.review_max_months,
            unused_references=self.config.unused_references,
            citation_style=self.config.citation_style,
        )
        corpus, problems = load_corpus(root, settings, cache=self.cache)
        edition = release.detect(root)  # git runs here, once per build: loading never runs it
        problems = sorted(set(problems + deleted_claims(root, edition)))
        for untrusted in self.cache.untrusted if self.cache else []:  # info: --strict still builds
            log.info(untrusted.format())
        errors = [p for p in problems if p.severity is Severity.error]
        for problem in problems:
            if problem.severity is Severity.warning:
                log.warning(problem.format())
        if errors:
            listing = "\n".join(p.format() for p in errors)
            raise PluginError(
                f"{len(errors)} content error(s); nothing was built:\n{listing}\n"
                "Run `python -m evidence check` to see every problem."
            )
        if self.config.list_page_size < 1:
            raise PluginError("mkdocs.yml: the evidence plugin's list_page_size must be 1 or more")
        templates = root / self.config.templates
        digest = environment.templates_digest(templates)
        same_templates = self._envs.get(templates, ("",))[0] == digest
        if not same_templates:
            self._envs[templates] = (digest, environment.make_environment(templates))
        self.renderer = Renderer(
            corpus,
            templates,
            SiteInfo(
                directory_urls=config.use_directory_urls,
                site_name=site_name,
                site_url=config.site_url,
                site_author=config.site_author,
                forge=forge(config),
                list_page_size=self.config.list_page_size,
            ),
            edition=edition,
            env=self._envs[templates][1],
        )
        self.renderer.released = released
        rows = self._rows.pop(root, {})  # rendered by the templates of the build before
        self.renderer.rows_before = rows if same_templates else {}
        if self._dirty:
            options = sorted(self.config.items())
            facts = (edition.name, edition.date, edition.commit, edition.earlier)  # problems: only logged
            self._inputs = preview.read_inputs(config, corpus, settings, options, facts)
            # popped until this build finishes: after a failed build, the next one is full
            self._decision = preview.decide(self._built.pop(root, None), self._inputs)
            self._quiet.active = True
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self._dirty and self._decision.full:
            preview.empty_site(config)

    def _on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        assert self.renderer is not None
        self.renderer.reset()
        self.generated = {page.src: page for page in generated_pages(self.renderer)}
        self.works = jsonld.Works(self.renderer)
        self._sources = pages.read_pages(
            files, config, lambda p: log.warning(p.format()), self.cache
        )  # before any page is rendered
        pagecheck.read_calls(self.renderer, self._sources)  # a retired claim called: warned, noted
        if self.config.unused_references == "ignore":
            corpus = self.renderer.corpus
            claimed = {key for lc in corpus.loaded.values() for key in lc.claim.keys}
            cited = {str(c.args[0]) for src in self._sources.values() for c in src.calls("cite")}
            self.renderer.listed = claimed | cited
        made: list[File] = []
        for page in self.generated.values():
            # A stub of constant ASCII only: the title is set on the page object and the
            # body filled in after Markdown, so contributor text is never YAML or Markdown.
            made.append(File.generated(config, page.src, content=_STUB, inclusion=InclusionLevel.NOT_IN_NAV))
        # the downloads: the same bytes `python -m evidence export` writes, kept in the cache
        # (named for the corpus's inputs) rather than in memory when there is one
        corpus = self.renderer.corpus
        keep = self.cache.folder("downloads", corpus.inputs) if self.cache and corpus.inputs else None
        self.renderer.downloads = export.downloads(corpus, keep)
        for download in self.renderer.downloads:
            src = f"{export.SITE_DIR}/{download.name}"
            if download.path is not None:
                made.append(File.generated(config, src, abs_src_path=str(download.path)))
            else:
                made.append(File.generated(config, src, content=download.data))
        for feed in feeds.feeds(self.renderer):  # Atom feeds of What changed (evidence/pages/feeds.py)
            made.append(File.generated(config, feed.path, content=feed.data))
        made += _packaged_assets(files, config)
        made += admin_editor.files(config, self.config, self.renderer.corpus)  # /admin/, with `editor: true`
        _refuse_collisions([*files, *made], config)
        for file in made:
            files.append(file)
        return files

    @event_priority(-100)  # after every plugin's files: each page's is_modified is ours
    def _mark_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if self._dirty:
            preview.mark_files(files, self._decision, self.generated, config)
            self._files = files
        return files

    on_files = CombinedEvent(_on_files, _mark_files)

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        if self._dirty:
            preview.unskip_nav_pages(nav, self._decision)
        return nav

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment | None:
        """The theme's environment of the last build while its templates are the same: its
        compiled templates are kept, not made again on every serve rebuild."""
        if self._dirty:  # before the sitemap: the dates of pages not built again
            preview.restore_kept(files, self._decision)
        key = preview.theme_key(config)
        if self._theme_env is None or self._theme_env[0] != key:
            self._theme_env = (key, env)
        return self._theme_env[1]

    @event_priority(100)  # first: no other plugin reads MkDocs' own reading of the page
    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """The page's Markdown and metadata from our one reading of it (`_read_pages`):
        MkDocs' reading of the same file (its front matter, its body) is dropped."""
        assert self.renderer is not None
        renderer = self.renderer
        state = renderer.page(page.file.src_uri, page.url)
        generated = self.generated.get(page.file.src_uri)
        if generated is not None:
            # meta.title, escaped: themes print it into <title> and the nav as it is
            page.meta = {"title": str(escape(generated.title))}
            state.title = generated.title
            markdown = renderer.hold(state, generated.render(renderer, state))
        else:
            source = self._sources[page.file.src_uri]
            markdown = pages.expand(renderer, state, page, source, self._macros)
        footer = self.renderer.hold(state, self.renderer.page_footer(state))
        # <link rel="alternate"> in <head> (render/overrides/main.html), relative to the page
        page.meta["evidence_feeds"] = [
            {"title": title, "href": self.renderer.link(state, url)}
            for title, url in feeds.page_feeds(self.renderer, page.file.src_uri)
        ]
        for group in generated.releases if generated is not None else ():
            self.renderer.release(group)
        # the sitemap's <lastmod> (and sitemap.xml.gz's timestamp): when the evidence on the
        # page was last reviewed, as the footer says, not the build's clock
        reviewed = self.renderer.corpus.last_reviewed(state.shown or None)
        if reviewed is not None:
            page.update_date = reviewed.isoformat()
        return f"{markdown.rstrip()}\n\n{footer}\n"

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        """Hand-written HTML sanitized, then our HTML put in where the macros left tokens."""
        assert self.renderer is not None
        state = self.renderer.pages.get(page.file.src_uri)
        if state is None:
            return html
        holds = self.renderer.placeholders
        generated = self.generated.get(page.file.src_uri)
        if generated is None:
            source = page.file.content_string
            path = pages.docs_path(page.file.src_uri, config)
            html, problems = pagehtml.sanitize(html, path, source, holds.present)
            for problem in problems:
                log.warning(problem.format())
        pages.escape_titles(self.renderer, state, page, self._sources.get(page.file.src_uri))
        html = holds.fill(html, state.held)
        # put in: held till the page is written, 10,000 pages' fragments would copy their HTML
        state.held.fragments.clear()
        heading = _H1.search(html) if generated is not None and not page.toc.items else None
        if heading is not None:  # Material's "Skip to content" link targets the first toc entry
            page.toc = TableOfContents([AnchorLink(str(escape(generated.title)), heading[1], 1)])
        return html

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """One JSON-LD block in <head>, from the same page state as the body and footer."""
        assert self.renderer is not None
        state = self.renderer.pages.pop(page.file.src_uri, None)  # the page is done: let it go
        if state is None:
            return output
        return jsonld.insert(output, jsonld.script(jsonld.page_data(self.renderer, state, self.works)))

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable) -> None:
        """`mkdocs serve` rebuilds when a claim, references.bib or a template changes, not
        only docs/ (MkDocs watches docs_dir and mkdocs.yml)."""
        root = Path(config.config_file_path).resolve().parent
        for path in (root / CONTENT_DIR, root / BIB_FILE, root / self.config.templates):
            if path.exists():
                server.watch(str(path))

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Keep what the pages formatted (titles, labels) for the next build; index the site."""
        if self.cache is not None and self.renderer is not None:
            self.cache.remember_formatted(self.renderer.corpus.library)
        if self.renderer is not None:
            self._rows[Path(config.config_file_path).resolve().parent] = self.renderer.rows
            cite_block.write_files(self.renderer, Path(config.site_dir))  # "Cite this" downloads
            list_pages.write_row_files(self.renderer, Path(config.site_dir))  # a paged All claims' rows
        if self.config.search and self._dirty and not self._decision.full:
            self._indexer.start(Path(config.site_dir), log.error)  # joined by the next build
        elif self.config.search:
            try:
                search_index.build_index(Path(config.site_dir))
            except search_index.SearchIndexError as error:
                raise PluginError(str(error)) from error
        if self._dirty and self._inputs is not None:
            root = Path(config.config_file_path).resolve().parent
            self._built[root] = preview.remember(self._files, self._decision, self._inputs, self.generated)
            pages = len(self._files.documentation_pages()) if self._files is not None else 0
            log.info(preview.summary(self._decision, pages))
