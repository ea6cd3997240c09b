"""Site URLs for pages, anchors and generated pages, relative to the page that links.

Raw HTML from our templates is not rewritten by MkDocs, so links are made relative here,
the same way MkDocs makes them for Markdown links.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache


def doc_url(src: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives the page built from docs/`src` ('' for the home page)."""
    stem = src.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/" if directory_urls else stem + ".html"


@lru_cache(maxsize=1 << 16)  # pages link to the same few pages many times; relpath is slow
def relative(from_url: str, to_url: str) -> str:
    """Link from the page at `from_url` to `to_url` (both site-relative, '' is the root)."""
    if to_url.startswith("#"):
        return to_url
    target, _, fragment = to_url.partition("#")
    base = posixpath.dirname("/" + from_url)
    rel = posixpath.relpath("/" + target, base)
    if (target == "" or target.endswith("/")) and not rel.endswith("/"):
        rel += "/"
    return rel + ("#" + fragment if fragment else "")
