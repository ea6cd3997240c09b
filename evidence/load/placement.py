"""Where a topic page places its cards: under the headings that discuss them, each once.

A page calls `{{ claim("id") }}` under the heading whose prose discusses the claim (or
`{{ claims("topic") }}` for all of them at once). The rule: every active claim of a topic
appears on the topic's page exactly once. The build counts the cards the page rendered
(after expanding its macros); `evidence check` counts the cards the page's calls would
render (`page_rules`), from `PageFacts`: only what the rules read of the claims (topic,
retired or not), so its memo is keyed by exactly that. A retired claim called on a page
shows a notice there, never a card, and both report the call (`page-retired-claim`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from evidence.core.problems import Problem, error, warning

if TYPE_CHECKING:  # Jinja's parser (pagesource) is imported only to read a page given as text
    from evidence.content.pagesource import ParsedPage
    from evidence.load.corpus import Corpus

RULE = "page-claim-placement"
RETIRED_RULE = "page-retired-claim"
#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset({RULE, RETIRED_RULE})


@dataclass(frozen=True)
class PageFacts:
    """What the page rules read of the corpus: each loaded claim's topic and, when it is
    retired, the date and its successor; each topic's page (relative to docs/)."""

    #: claim id → (topic, retired date as ISO text or None when active, superseded_by or None)
    claims: dict[str, tuple[str, str | None, str | None]]
    pages: dict[str, str]  # topic id → its page

    def active(self, topic: str) -> list[str]:
        """The active claims of `topic`, by id (as `Corpus.topic_claims`)."""
        return sorted(cid for cid, (t, retired, _) in self.claims.items() if t == topic and retired is None)

    def rows(self) -> tuple[tuple[tuple[str, str, str | None, str | None], ...], tuple[tuple[str, str], ...]]:
        """Plain sorted tuples: what the cache keeps, and what `check`'s page memo is keyed by."""
        return tuple((cid, *fact) for cid, fact in sorted(self.claims.items())), tuple(
            sorted(self.pages.items())
        )

    @classmethod
    def from_rows(cls, rows: tuple[Iterable[Sequence[str | None]], Iterable[Sequence[str]]]) -> PageFacts:
        claims, pages = rows
        return cls({str(c[0]): (str(c[1]), c[2], c[3]) for c in claims}, {str(t): str(p) for t, p in pages})


def facts(corpus: Corpus) -> PageFacts:
    """The `PageFacts` of a loaded corpus."""
    claims: dict[str, tuple[str, str | None, str | None]] = {}
    for cid, lc in corpus.loaded.items():
        retired = None if lc.claim.active or lc.claim.retired is None else lc.claim.retired
        claims[cid] = (lc.claim.topic, None, None)
        if retired is not None:
            claims[cid] = (lc.claim.topic, retired.date.isoformat(), retired.superseded_by)
    return PageFacts(claims, {t.id: t.page for t in corpus.topics.values()})


@dataclass(frozen=True)
class Call:
    """One `claim("id")` or `claims("topic")` call in a page, with its line and heading."""

    macro: str
    arg: str
    line: int
    heading: str


def calls(source: ParsedPage | str) -> list[Call]:
    """The page's card macro calls in source order, from the one reading of the page that
    `check` and the build share (content/pagesource.py); a page that does not read has none."""
    if isinstance(source, str):
        from evidence.content import pagesource

        source = pagesource.parse(source, "")
    return [
        Call(c.name, str(c.args[0]), c.line, c.heading) for c in source.calls("claim", "claims") if c.args
    ]


def shown_in_source(found: PageFacts, text: ParsedPage | str) -> list[str]:
    """The card ids a page's calls would render, in order (`claims` expands to its topic;
    a retired claim shows a notice, not a card)."""
    shown: list[str] = []
    for call in calls(text):
        if call.macro == "claim" and found.claims.get(call.arg, ("", None, None))[1] is None:
            shown.append(call.arg)
        elif call.macro == "claims" and call.arg in found.pages:
            shown += found.active(call.arg)
    return shown


def topic_of_page(corpus: Corpus, src: str) -> str | None:
    """The topic whose page is `src` (relative to docs/), if any."""
    return next((t.id for t in corpus.topics.values() if t.page == src), None)


def exactly_once(
    corpus: Corpus, topic: str, path: str, text: ParsedPage | str, shown: list[str]
) -> list[Problem]:
    """Each active claim of `topic` among `shown` (the cards of its page) exactly once.

    `path` is the page as a contributor names it (docs/x.md); `text` its source, for lines.
    """
    return _exactly_once([c.id for c in corpus.topic_claims(topic)], topic, path, text, shown)


def _exactly_once(
    active: list[str], topic: str, path: str, text: ParsedPage | str, shown: list[str]
) -> list[Problem]:
    counts = Counter(shown)
    lines: dict[str, int] = {}  # the first call of each claim
    repeated: dict[str, int] = {}  # the second: the one to delete
    for c in calls(text):
        if c.macro == "claim":
            (repeated if c.arg in lines else lines).setdefault(c.arg, c.line)
    problems = []
    for cid in active:
        n = counts.get(cid, 0)
        if n == 1:
            continue
        if n == 0:
            message = f"active claim '{cid}' of topic '{topic}' is not on its topic page"
            hint = f'put {{{{ claim("{cid}") }}}} under the heading that discusses it'
            line = 1
        else:
            message = f"claim '{cid}' appears {n} times on its topic page"
            hint = f'keep one {{{{ claim("{cid}") }}}}, under the heading that discusses it'
            line = repeated.get(cid, lines.get(cid, 1))
        problems.append(error(path, line, 1, message, RULE, hint))
    return problems


def retired_calls(found: PageFacts, page: ParsedPage) -> list[Problem]:
    """Each `claim("id")` of a retired claim in `page`: a warning at the call, whose fix is
    its successor (or deleting the call). The page shows a notice there, not a card."""
    problems = []
    for call in page.calls("claim"):
        cid = str(call.args[0]) if call.args else ""
        _topic, retired, successor = found.claims.get(cid, ("", None, None))
        if retired is None:
            continue
        message = (
            f"claim(\"{cid}\"): claim '{cid}' was retired on {retired}; "
            "the page shows a retirement notice, not a card"
        )
        if successor:
            hint = f'replace it with {{{{ claim("{successor}") }}}} (its successor), or delete the call'
        else:
            hint = "delete the call (the retired claim keeps its own page), or mention it in prose"
        problems.append(warning(page.path, call.line, call.col, message, RETIRED_RULE, hint))
    return problems


def page_rules(found: PageFacts, pages: Iterable[ParsedPage], docs: str) -> list[Problem]:
    """What the build reports of the cards on pages, from their source: each topic page shows
    each active claim of its topic exactly once; no page calls a retired claim. `docs`: the
    docs folder as the pages' paths begin (docs)."""
    topic_of = {f"{docs}/{page}": topic for topic, page in found.pages.items()}
    problems = []
    for page in pages:
        problems += retired_calls(found, page)
        topic = topic_of.get(page.path)
        if topic is not None and page.ok:
            shown = shown_in_source(found, page)
            problems += _exactly_once(found.active(topic), topic, page.path, page, shown)
    return problems
