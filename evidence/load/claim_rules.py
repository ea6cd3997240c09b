"""Rules on what a claim's id, name and successor would do to the site: URL collisions,
missing topic pages, loops of `superseded_by` and file names that hide characters."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Final

from evidence.core import textpolicy
from evidence.core.problems import Problem, error
from evidence.core.urls import CLAIMS_FOLDER

if TYPE_CHECKING:
    from evidence.load.corpusdata import Corpus

#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset(
    {
        "claim-id-reserved",
        "claim-superseded-loop",
        "file-name-character",
        "topic-page-missing",
    }
)

DOCS_DIR = "docs"
#: Ids whose page `claims/<id>.md` would take a URL the site already uses: claims/index.md
#: is served at claims/, the All claims page (claims.md).
RESERVED_IDS = frozenset({"index"})


def file_name(rel: str, display: str) -> list[Problem]:
    """A path below content/claims with a control, invisible or bidi character in a name."""
    for part in rel.split("/"):
        # text may hold tabs and line breaks; a name may not (a newline would forge a log line)
        breaks = [textpolicy.BadCharacter(i, ch) for i, ch in enumerate(part) if ch in "\t\n"][:1]
        bad = textpolicy.first_bad_character(part)
        bad = min([*breaks, *([bad] if bad else [])], key=lambda found: found.index, default=None)
        if bad is not None:
            return [
                error(
                    display,
                    1,
                    1,
                    f"file name '{textpolicy.printable(part)}' contains {bad.describe()}",
                    "file-name-character",
                    "rename it with letters, digits and hyphens: "
                    + textpolicy.HINT.removeprefix("delete it: "),
                )
            ]
    return []


def reserved_ids(corpus: Corpus) -> list[Problem]:
    """An id whose generated page would replace a hand-written or generated page."""
    problems: list[Problem] = []
    docs = Path(corpus.root) / DOCS_DIR / CLAIMS_FOLDER
    for cid, lc in sorted(corpus.loaded.items()):
        if cid in RESERVED_IDS:
            taken = f"the page at {CLAIMS_FOLDER}/ (the list of all claims)"
        else:
            hand = [docs / f"{cid}.md", docs / cid / "index.md", docs / cid / "README.md"]
            found = next((p for p in hand if p.is_file()), None)
            if found is None:
                continue
            taken = f"the page {found.relative_to(corpus.root).as_posix()}"
        problems.append(
            error(
                lc.path,
                *lc.where("id"),
                f"id '{cid}' is reserved: its page {CLAIMS_FOLDER}/{cid}/ would replace {taken}",
                "claim-id-reserved",
                "choose another id (rename the file and its id together)",
            )
        )
    return problems


def superseded_loops(corpus: Corpus) -> list[Problem]:
    """Claims whose `superseded_by` chain comes back to itself: a reader following
    "superseded by" would go round for ever. Each claim of the loop is reported."""
    successor = {
        cid: lc.claim.retired.superseded_by
        for cid, lc in corpus.loaded.items()
        if lc.claim.retired and lc.claim.retired.superseded_by
    }
    in_loop: dict[str, list[str]] = {}
    for start in sorted(successor):
        chain, seen = [start], {start}
        while (nxt := successor.get(chain[-1])) is not None and nxt not in seen:
            chain.append(nxt)
            seen.add(nxt)
        if nxt is not None and nxt in seen:  # came back to a claim already on the chain
            loop = chain[chain.index(nxt) :]
            for cid in loop:
                in_loop.setdefault(cid, loop[loop.index(cid) :] + loop[: loop.index(cid)])
    problems: list[Problem] = []
    for cid, loop in sorted(in_loop.items()):
        lc = corpus.loaded[cid]
        shown = " → ".join([*loop, loop[0]])
        problems.append(
            error(
                lc.path,
                *lc.where("retired", "superseded_by"),
                "a claim cannot supersede itself"
                if len(loop) == 1
                else f"superseded_by forms a loop: {shown}",
                "claim-superseded-loop",
                "name the claim that replaces this one; the newest claim of a chain has no superseded_by",
            )
        )
    return problems


def topic_pages(corpus: Corpus, topics_file: str) -> list[Problem]:
    """A topic whose page is not in docs/: its claims would be on no topic page."""
    from evidence.load.loader import parse

    missing = [t for t in corpus.topics.values() if not (Path(corpus.root) / DOCS_DIR / t.page).is_file()]
    if not missing:
        return []
    try:
        doc, _ = parse((Path(corpus.root) / topics_file).read_text("utf-8-sig"), topics_file)
    except (OSError, UnicodeDecodeError):
        doc = None
    listed = doc.data.get("topics", []) if doc is not None and isinstance(doc.data, dict) else []
    problems: list[Problem] = []
    for topic in missing:
        index = next(
            (i for i, t in enumerate(listed) if isinstance(t, dict) and t.get("id") == topic.id), None
        )
        line, col = doc.where(("topics", index, "page")) if doc is not None and index is not None else (1, 1)
        problems.append(
            error(
                topics_file,
                line,
                col,
                f"topic '{topic.id}': page '{topic.page}' does not exist in {DOCS_DIR}/",
                "topic-page-missing",
                f"create {DOCS_DIR}/{topic.page} (it lists the topic's claims), or fix `page:`",
            )
        )
    return problems
