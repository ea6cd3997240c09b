"""`mkdocs serve` rebuilds when content changes: content/, the .bib and templates are watched."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from helpers import REPO

from evidence.mkdocs.plugin import EvidencePlugin


class Recorder:
    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)


def test_serve_watches_claims_references_and_templates() -> None:
    plugin = EvidencePlugin()
    plugin.load_config({})
    server = Recorder()
    config = SimpleNamespace(config_file_path=str(REPO / "mkdocs.yml"))
    plugin.on_serve(server, config=config, builder=lambda: None)  # type: ignore[arg-type]
    watched = {Path(p).relative_to(REPO).as_posix() for p in server.watched}
    assert watched == {"content", "references.bib"}  # macros/templates/ only when the site has one
