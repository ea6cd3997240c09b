"""Thin MkDocs glue: load and validate the corpus once per build, finish every page.

All rules live in the domain modules; this file only turns their problems into MkDocs
errors and warnings and hands the renderer to the macros.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from .corpus import load_corpus
from .problems import Severity
from .render import GeneratedPage, Renderer, SiteInfo

log = get_plugin_logger(__name__)


class _Config(base.Config):
    templates = c.Type(str, default="macros/templates")


class EvidencePlugin(BasePlugin[_Config]):
    """Owns the per-build Renderer that the macros module calls into."""

    renderer: Renderer | None = None
    generated: dict[str, GeneratedPage]

    @event_priority(100)  # before mkdocs-macros runs define_env
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        root = Path(config.config_file_path).resolve().parent
        corpus, problems = load_corpus(root)
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
        self.renderer = Renderer(
            corpus,
            root / self.config.templates,
            SiteInfo(directory_urls=config.use_directory_urls),
        )
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        assert self.renderer is not None
        self.renderer.reset()
        self.generated = {page.src: page for page in self.renderer.generated_pages()}
        for page in self.generated.values():
            # A stub only: the body is filled in on_page_markdown, after mkdocs-macros,
            # so contributor text never passes through the macro engine as a template.
            stub = f"---\nrender_macros: false\ntitle: {json.dumps(page.title)}\n---\n"
            files.append(File.generated(config, page.src, content=stub, inclusion=InclusionLevel.NOT_IN_NAV))
        return files

    @event_priority(-100)  # after mkdocs-macros has rendered the page's macro calls
    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        assert self.renderer is not None
        state = self.renderer.page(page.file.src_uri, page.url)
        generated = self.generated.get(page.file.src_uri)
        if generated is not None:
            markdown = str(generated.render(self.renderer, state))
        footer = str(self.renderer.page_footer(state))  # str: Markup + str would escape the page
        return f"{markdown.rstrip()}\n\n{footer}\n"
