"""What loading asks of a cache, as a Protocol: load/ names no higher layer.

`cache.store.Cache` (the sealed cache under .cache/evidence/) provides it; `load_corpus`
and `check_content` take any object that does, or None to read everything afresh.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from evidence.bib.library import Library
    from evidence.content import yamlsafe
    from evidence.core.problems import Problem
    from evidence.load.loader import LoadedClaim, Positions


class ClaimCache(Protocol):
    """The parsed claims and references, and the memo of the last check, kept between runs."""

    def load(self, name: str) -> Any: ...

    def save(self, name: str, value: Any) -> None: ...

    def library(
        self, path: Path, display: str, *, format_all: bool = True
    ) -> tuple[Library, list[Problem]]: ...

    def remember_formatted(self, library: Library) -> None: ...

    def claim(
        self, file: str, display: str, digest: str | None = None, positions: Positions | None = None
    ) -> tuple[LoadedClaim | None, yamlsafe.Document | None, list[Problem]]: ...

    def save_claims(self) -> None: ...

    def checked(self, fingerprint: str) -> tuple[list[Problem], set[str]] | None: ...

    def remember_checked(self, fingerprint: str, problems: list[Problem], present: set[str]) -> None: ...
