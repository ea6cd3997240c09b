"""The "Cite this page" block: the page in four styles, BibTeX, and files to download.

Every page shows its citation in AMA, Vancouver, APA and Harvard (the site's own
`citation_style` first, open; a fifth when the site chose another CSL style). A claim
page and a topic page also link their citation as RIS, BibTeX and CSL-JSON files, and a
claim page its source's: `files(renderer)` holds them, under `cite/`, and the plugin
writes them into the site after the build. Their text is made from the same CSL-JSON item
as the block (`bib.citefiles`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from markupsafe import Markup, escape

from evidence.bib import citefiles
from evidence.bib.csl import csl_item
from evidence.core.urls import CLAIMS_FOLDER
from evidence.render.cite_this import PageCitation, cite_page, css_string

#: Where the citation files go in the site: cite/<page>.ris, cite/sources/<key>.ris, …
CITE_DIR = "cite"
#: (format's name, file suffix, what it is) of every citation file, in the order offered.
FORMATS = (("RIS", ".ris", "RIS"), ("BibTeX", ".bib", "BibTeX"), ("CSL-JSON", ".json", "CSL-JSON"))
_FILES: WeakKeyDictionary[Any, dict[str, bytes]] = WeakKeyDictionary()


def files(renderer: Any) -> dict[str, bytes]:
    """The citation files the pages rendered so far link to: site path → bytes."""
    return _FILES.setdefault(renderer, {})


def render(renderer: Any, page: Any) -> Markup:
    """The block for `page` (a `render.page.Page`) of `renderer`'s build."""
    info = renderer.info
    citation = cite_page(
        title=info.site_name if page.url == "" else page.title or info.site_name,
        page_url=page.url,
        site=info.site_name,
        author=info.site_author or "",
        site_url=info.site_url,
        edition=renderer.edition,
    )
    styles = citation.styles(renderer.corpus.library.memo.style)
    groups = _downloads(renderer, page, citation)
    shape = (bool(citation.edition), tuple(label for label, _ in styles), tuple(w for w, _ in groups))
    stencil = renderer._stencil(
        ("cite_this", ""),
        shape,
        lambda slot: renderer._render(
            "cite_this.html",
            draft=not citation.edition,
            styles=[(label, slot(f"style{i}")) for i, (label, _) in enumerate(styles)],
            downloads=[
                (what, [(name, slot(f"file{g}_{i}")) for i, (name, _) in enumerate(links)])
                for g, (what, links) in enumerate(groups)
            ],
            bibtex=slot("bibtex"),
            running=slot("running"),
        ),
    )
    values = {f"style{i}": str(escape(text)) for i, (_, text) in enumerate(styles)}
    for g, (_, links) in enumerate(groups):
        values |= {f"file{g}_{i}": str(escape(href)) for i, (_, href) in enumerate(links)}
    values["bibtex"] = str(escape(citation.bibtex))
    # inside <style>, where HTML escapes are not read: a CSS string, inert in HTML as well
    values["running"] = css_string(citation.running)
    return renderer._fill(stencil, values)


def _downloads(renderer: Any, page: Any, citation: PageCitation) -> list[tuple[str, list[tuple[str, str]]]]:
    """(what, [(format, link)]) for the page (a claim or topic page) and a claim's source."""
    corpus = renderer.corpus
    claim_id = page.src[len(CLAIMS_FOLDER) + 1 : -3] if page.src.startswith(CLAIMS_FOLDER + "/") else ""
    claim = corpus.loaded[claim_id].claim if claim_id in corpus.loaded else None
    if claim is None and page.src not in {topic.page for topic in corpus.topics.values()}:
        return []
    slug = re.sub(r"[^a-z0-9/_-]+", "-", page.url.lower()).strip("/-") or "home"
    item = citation.csl()
    what = "this page" if claim is None else "this claim"
    groups = [(what, _files(renderer, page, f"{CITE_DIR}/{slug}", item))]
    if claim is not None and claim.source in corpus.library:
        ref = corpus.library[claim.source]
        stem = f"{CITE_DIR}/sources/{ref.anchor}"
        groups.append(("its source", _files(renderer, page, stem, csl_item(ref))))
    return groups


def _files(renderer: Any, page: Any, stem: str, item: dict[str, Any]) -> list[tuple[str, str]]:
    made = files(renderer)
    if stem + ".ris" not in made:
        made[stem + ".ris"] = citefiles.ris(item).encode("utf-8")
        made[stem + ".bib"] = citefiles.bibtex(item).encode("utf-8")
        made[stem + ".json"] = citefiles.csl_json(item).encode("utf-8")
    return [(name, renderer.link(page, stem + suffix)) for name, suffix, _ in FORMATS]


def write_files(renderer: Any, site_dir: Path) -> None:
    """Write the citation files the pages link to into the built site (after the build)."""
    made: set[Path] = set()  # each folder made once, not once per file (3 files a claim)
    for path, data in files(renderer).items():
        target = site_dir / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
