"""Our HTML reaches a page only after Markdown: macros return an opaque token, filled later.

Python-Markdown reads raw HTML again (its link pattern runs before its inline-HTML one),
so a `[x](…)` in a reference's text that a macro put into an attribute became a live
link. A macro now returns a token; `fill` swaps the stored HTML in after conversion (and
after the hand-written page is sanitized), so no stage re-reads what we rendered.

A token is made of private-use characters: Markdown leaves them alone in paragraphs,
lists, tables, admonitions and headings, the toc's slugify drops them (heading ids stay
what the prose makes them), and a per-build random part makes them unguessable.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

from markupsafe import Markup, escape

_DIGIT = 0xE010  # U+E010..U+E01F: the 16 hex digits
_START, _END = "\ue000", "\ue001"


def _encode(text: str) -> str:
    return "".join(chr(_DIGIT + int(ch, 16)) for ch in text)


@dataclass
class Held:
    """The HTML a page's macros (and its footer, or a generated body) made, in order."""

    fragments: list[tuple[str, bool]] = field(default_factory=list)


class Placeholders:
    """One per build: issues tokens and fills them."""

    def __init__(self) -> None:
        self.marker = _START + _encode(secrets.token_hex(8))
        digits = f"[{chr(_DIGIT)}-{chr(_DIGIT + 15)}]"
        token = re.escape(self.marker) + f"({digits}+){_END}"
        # a block fragment alone in a paragraph replaces the paragraph: <p><div>…</div></p>
        # is not valid HTML (a card in a list item or an admonition stands alone this way)
        self._pattern = re.compile(rf"<p>\s*{token}\s*</p>|{token}")

    def hold(self, held: Held, html: str, *, block: bool) -> str:
        held.fragments.append((str(html), block))
        return f"{self.marker}{_encode(format(len(held.fragments) - 1, 'x'))}{_END}"

    def present(self, text: str) -> bool:
        return self.marker in text

    def fill(self, html: str, held: Held) -> str:
        """Every token swapped for its HTML, in one pass (what is put in is never read again)."""

        def swap(m: re.Match[str]) -> str:
            paragraph = m.group(1) is not None
            digits = m.group(1) or m.group(2)
            fragment, block = held.fragments[int("".join(f"{ord(c) - _DIGIT:x}" for c in digits), 16)]
            if paragraph and not block:  # an inline fragment alone in its paragraph keeps it
                return f"<p>{fragment}</p>"
            return fragment

        return self._pattern.sub(swap, html)

    def text(self, value: str, held: Held) -> str:
        """`value` (a toc or page title, HTML) as escaped plain text, its tokens' HTML included:
        themes print titles as they are, so no tag and no entity of it may come back to life."""
        return str(escape(Markup(self.fill(value, held)).striptags()))
