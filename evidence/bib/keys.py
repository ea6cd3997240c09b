"""Keys as written, and the anchors and folder names made of them.

A key is cited by its exact text. Links need a safe spelling: a key of only
`[A-Za-z0-9_-]` (every key this site had before biblatex keys were accepted) is its own
anchor, so those permalinks never change; any other key is spelled `k.` followed by the
key with every character outside `[A-Za-z0-9_-]` written as `.XX` per UTF-8 byte
(`westfahl:space` → `k.westfahl.3Aspace`). A plain key never contains `.`, and `.` itself
is encoded, so no two keys share an anchor; `collisions` checks it anyway, case folded,
since `sources/<anchor>/` is a folder on file systems that ignore case.
"""

from __future__ import annotations

import re

from evidence.content.files import KEY_PATTERN

__all__ = ["KEY_PATTERN", "anchor", "collisions"]

_PLAIN = re.compile(r"[A-Za-z0-9_-]+")
PREFIX = "k."


def anchor(key: str) -> str:
    """The stable, URL- and id-safe spelling of `key` (see the module docstring)."""
    if _PLAIN.fullmatch(key):
        return key
    return PREFIX + "".join(
        c if _PLAIN.fullmatch(c) else "".join(f".{b:02X}" for b in c.encode("utf-8", "surrogatepass"))
        for c in key
    )


def collisions(starts: dict[str, int]) -> list[tuple[str, int, str, int]]:
    """(key, line, other key, its line) for each key whose anchor, case folded, another
    key's anchor already is."""
    seen: dict[str, str] = {}
    found = []
    for key, line in starts.items():
        folded = anchor(key).casefold()
        other = seen.setdefault(folded, key)
        if other != key:
            found.append((key, line, other, starts[other]))
    return found
