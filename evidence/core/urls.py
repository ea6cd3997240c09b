"""Site URLs for pages, anchors and generated pages, relative to the page that links.

Raw HTML from our templates is not rewritten by MkDocs, so links are made relative here,
the same way MkDocs makes them for Markdown links.
"""

from __future__ import annotations

import posixpath

#: The folder of the generated claim pages: claims/<id>/ is a claim's permanent URL.
CLAIMS_FOLDER = "claims"


def claim_src(claim_id: str) -> str:
    """A claim's generated page's source path; MkDocs serves it at claims/<id>/."""
    return f"{CLAIMS_FOLDER}/{claim_id}.md"


def doc_url(src: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives the page built from docs/`src` ('' for the home page)."""
    stem = src.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/" if directory_urls else stem + ".html"


def relative(from_url: str, to_url: str) -> str:
    """Link from the page at `from_url` to `to_url` (both site-relative, '' is the root).

    The same result as `posixpath.relpath` from the page's folder (see `_relpath`), by
    comparing path segments: every page links to a dozen others, and relpath's
    normalisation was a visible share of a build.
    """
    if to_url.startswith("#"):
        return to_url
    target, _, fragment = to_url.partition("#")
    if "." in from_url + target or "//" in from_url + target or from_url[:1] == "/" or target[:1] == "/":
        rel = _relpath(from_url, target)  # dots or empty segments: let posixpath normalise them
    else:
        base = from_url.split("/")[:-1]  # the page's folder: what dirname() keeps
        parts = [p for p in target.split("/") if p]
        common = 0
        for mine, theirs in zip(base, parts, strict=False):
            if mine != theirs:
                break
            common += 1
        rel = "/".join([".."] * (len(base) - common) + parts[common:]) or "."
    if (target == "" or target.endswith("/")) and not rel.endswith("/"):
        rel += "/"
    return rel + ("#" + fragment if fragment else "")


def _relpath(from_url: str, target: str) -> str:
    return posixpath.relpath("/" + target, posixpath.dirname("/" + from_url))
