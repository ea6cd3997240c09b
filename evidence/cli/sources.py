"""`new-source --from FILE`: a reference-manager export as BibTeX entries to paste.

The entries go to stdout (so `>> references.bib` appends them); the count and every tag
that could not be mapped go to stderr, named by record, so nothing is dropped unseen.
"""

from __future__ import annotations

import sys
from pathlib import Path

from evidence.core.textpolicy import log_line, printable


def import_sources(path: Path) -> int:
    """A file that cannot be imported is one located error (`FILE:line:col: error: …`)."""
    from evidence.bib.imports import BadExport, import_file

    try:
        imported = import_file(path)
    except BadExport as bad:
        print(bad.problem.format(), file=sys.stderr)
        return 1
    if not imported.count:
        return _fail(f"{printable(str(path))}: no references found", "export PubMed .nbib, RIS or CSL-JSON")
    print(imported.bibtex, end="")
    what = "1 entry" if imported.count == 1 else f"{imported.count} entries"
    them = "it" if imported.count == 1 else "them"
    print(log_line(f"{what} from {path}; paste {them} into references.bib"), file=sys.stderr)
    for line in imported.unmapped:
        print(log_line(f"not mapped: {line}"), file=sys.stderr)
    return 0


def _fail(message: str, hint: str) -> int:
    print(f"python -m evidence new-source: error: {message}", file=sys.stderr)
    print(f"    hint: {hint}", file=sys.stderr)
    return 1
