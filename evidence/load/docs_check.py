"""`check`'s rules over docs pages (front matter, template syntax, names the macros look up), memoised.

Every page is read as the build reads it (content/pagesource.py), which a check whose
content memo hit would otherwise do for nothing. The answer depends only on the pages'
bytes and on the names the pages may use (claim file names, topics.yml, references.bib),
so it is kept in the cache under a digest of exactly those.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from evidence.content import siteconfig
from evidence.content.files import BIB_FILE, TOPICS_FILE
from evidence.core.problems import Problem, Severity
from evidence.load.corpus import present_claim_ids
from evidence.load.page_names import check_pages
from evidence.load.reading import page_reading

if TYPE_CHECKING:
    from evidence.cache.store import Cache
    from evidence.content.pagesource import ParsedPage

MEMO = "pages"


def _key(root: Path, docs: Path) -> str | None:
    """A digest of every input of the two rules; None when one cannot be read."""
    digest = hashlib.blake2b(digest_size=20)
    pages = sorted(docs.rglob("*.md")) if docs.is_dir() else []
    try:
        for path in [root / TOPICS_FILE, root / BIB_FILE, *pages]:
            data = path.read_bytes() if path.exists() else b"\0missing"
            digest.update(f"{path.relative_to(root).as_posix()}\0{len(data)}\0".encode() + data)
    except (OSError, ValueError):
        return None
    digest.update("\0".join(sorted(present_claim_ids(root))).encode())
    return digest.hexdigest()


def read_pages(root: Path, docs: Path) -> list[ParsedPage]:
    """Every Markdown page under `docs`, read as the build reads it (paths from the project)."""
    from evidence.content import pagesource  # Jinja's parser: only when the memo misses

    pages = []
    for md in sorted(docs.rglob("*.md")) if docs.is_dir() else ():
        try:
            text = md.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # MkDocs reports an unreadable page itself
        pages.append(pagesource.parse(text, md.relative_to(root).as_posix()))
    return pages


def check_docs_pages(root: Path, cache: Cache | None) -> list[Problem]:
    """Each page's own problems (pagesource) and the names its macros look up (page_names);
    from the cache if no input changed."""
    value = siteconfig.mkdocs_config(root).get("docs_dir")
    docs = root / (value if isinstance(value, str) and value else "docs")
    key = _key(root, docs) if cache is not None else None
    saved = cache.load(MEMO) if cache is not None and key is not None else None
    if isinstance(saved, dict) and saved.get("key") == key:
        return [Problem(*row[:3], Severity(row[3]), *row[4:]) for row in saved["problems"]]

    pages = read_pages(root, docs)
    problems = [p for page in pages for p in page.problems] + check_pages(root, pages)
    # reading grade of the pages' own prose: the body the build renders, lines as in the file
    problems += [q for page in pages for q in page_reading(page.body, page.path, page.offset)]
    if cache is not None and key is not None and _key(root, docs) == key:  # unchanged meanwhile
        rows = [(p.path, p.line, p.col, p.severity.value, p.message, p.rule, p.hint) for p in problems]
        cache.save(MEMO, {"key": key, "problems": rows})
    return problems
