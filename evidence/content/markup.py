"""The Markdown a claim's `statement` and `caveats` may use: *emphasis*, **strong**,
links to http(s) addresses and backslash escapes (`\\*`). Nothing else: raw HTML,
autolinks, entities, code and headings stay literal text, so angle brackets show as typed.

markdown-it-py does the parsing and escaping (its `zero` preset with only the `emphasis`,
`link` and `escape` rules switched on, HTML off). `problems` finds images and links to any
other kind of address so the validator can refuse them with a line; `render` would leave
such a link as plain text even if one slipped past.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markupsafe import Markup

SCHEMES = frozenset({"http", "https"})
#: Added to every contributor link: no referrer, no window.opener, no endorsement.
LINK_REL = "nofollow noopener noreferrer"


def allowed_url(url: str) -> bool:
    """An absolute http(s) address with a host; relative, protocol-relative and other schemes are not."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in SCHEMES and bool(parts.hostname)


def _parser(*rules: str) -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis", "link", "escape", *rules])
    return md


_RENDER = _parser()
_RENDER.validateLink = allowed_url  # type: ignore[method-assign]

_SCAN = _parser("image")  # sees every link and image as written, to report the bad ones
_SCAN.validateLink = lambda url: True  # type: ignore[method-assign]
_SCAN.normalizeLink = lambda url: url  # type: ignore[method-assign]


def problems(text: str) -> list[tuple[str, str]]:
    """(message, hint) for each image, and each link whose address is not absolute http(s)."""
    found = []
    for block in _SCAN.parseInline(text):
        for token in block.children or []:
            if token.type == "image":
                found.append(
                    (
                        f"images are not allowed ('{token.attrGet('src')}')",
                        "remove the '!' to make it a link, or leave it out",
                    )
                )
            elif token.type == "link_open" and not allowed_url(href := str(token.attrGet("href"))):
                found.append(
                    (
                        f"link to '{href}' is not allowed: only http:// and https:// addresses",
                        "link to the full https:// address of a public page, or remove the link",
                    )
                )
    return found


def render(text: str) -> Markup:
    """`text` as escaped HTML with only the allowed inline Markdown turned into tags."""
    tokens = _RENDER.parseInline(text)
    for block in tokens:
        for token in block.children or []:
            if token.type == "link_open":
                token.attrSet("rel", LINK_REL)
    return Markup(_RENDER.renderer.render(tokens, _RENDER.options, {}))
