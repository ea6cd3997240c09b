"""`new-source --from FILE`: a reference-manager export as BibTeX entries to paste.

The entries go to stdout (so `>> references.bib` appends them); the count and every tag
that could not be mapped go to stderr, named by record, so nothing is dropped unseen.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def import_sources(path: Path) -> int:
    from evidence.bib.imports import import_file

    try:
        imported = import_file(path)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValueError) as exc:
        return _fail(f"{path}: cannot be read as .nbib, RIS or CSL-JSON: {exc}", "export it again")
    if not imported.count:
        return _fail(f"{path}: no references found", "export PubMed .nbib, RIS or CSL-JSON")
    print(imported.bibtex, end="")
    print(f"{imported.count} entries from {path}; paste them into references.bib", file=sys.stderr)
    for line in imported.unmapped:
        print(f"not mapped: {line}", file=sys.stderr)
    return 0


def _fail(message: str, hint: str) -> int:
    print(f"python -m evidence new-source: error: {message}", file=sys.stderr)
    print(f"    hint: {hint}", file=sys.stderr)
    return 1
