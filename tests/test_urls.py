"""Relative links: the fast segment comparison gives exactly what posixpath.relpath gives."""

from __future__ import annotations

import posixpath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence.core.urls import relative

SEGMENTS = st.sampled_from(["a", "b", "claims", "x", "index.html", "y.html", "", ".", "..", "c-d"])
URLS = st.lists(SEGMENTS, max_size=4).map("/".join).filter(lambda u: not u.startswith("/"))


def by_relpath(from_url: str, to_url: str) -> str:
    """The definition: relpath from the page's folder, a trailing slash kept for folders."""
    if to_url.startswith("#"):
        return to_url
    target, _, fragment = to_url.partition("#")
    rel = posixpath.relpath("/" + target, posixpath.dirname("/" + from_url))
    if (target == "" or target.endswith("/")) and not rel.endswith("/"):
        rel += "/"
    return rel + ("#" + fragment if fragment else "")


@settings(max_examples=3000)
@given(URLS, URLS, st.sampled_from(["", "#bib-key", "#"]))
def test_relative_is_relpath(from_url: str, target: str, fragment: str) -> None:
    to_url = target + fragment
    try:
        expected = by_relpath(from_url, to_url)
    except ValueError:  # no relative path exists (posixpath refuses); not a URL we make
        return
    assert relative(from_url, to_url) == expected


@pytest.mark.parametrize(
    ("from_url", "to_url", "expected"),
    [
        ("", "references/", "references/"),
        ("", "", "./"),
        ("claims/a/", "claims/b/", "../b/"),
        ("claims/a/", "references/#bib-k", "../../references/#bib-k"),
        ("claims/a/", "claims/a/", "./"),
        ("claims/a.html", "sources/k.html", "../sources/k.html"),
        ("burden/", "#ref-k", "#ref-k"),
    ],
)
def test_relative_examples(from_url: str, to_url: str, expected: str) -> None:
    assert relative(from_url, to_url) == expected
