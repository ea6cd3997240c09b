"""Where a topic page places its cards: under the headings that discuss them, each once.

A page calls `{{ claim("id") }}` under the heading whose prose discusses the claim (or
`{{ claims("topic") }}` for all of them at once). The rule: every active claim of a topic
appears on the topic's page exactly once. The build counts the cards the page rendered
(after expanding its macros) and reports with the line of the call and the fix.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from evidence.content import pagesource
from evidence.content.pagesource import ParsedPage
from evidence.core.problems import Problem, error

if TYPE_CHECKING:
    from evidence.load.corpus import Corpus

RULE = "page-claim-placement"
#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset({RULE})


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
        source = pagesource.parse(source, "")
    return [
        Call(c.name, str(c.args[0]), c.line, c.heading) for c in source.calls("claim", "claims") if c.args
    ]


def shown_in_source(corpus: Corpus, text: ParsedPage | str) -> list[str]:
    """The card ids a page's calls would render, in order (`claims` expands to its topic)."""
    shown: list[str] = []
    for call in calls(text):
        if call.macro == "claim":
            shown.append(call.arg)
        elif call.arg in corpus.topics:
            shown += [c.id for c in corpus.topic_claims(call.arg)]
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
    counts = Counter(shown)
    lines: dict[str, int] = {}  # the first call of each claim
    repeated: dict[str, int] = {}  # the second: the one to delete
    for c in calls(text):
        if c.macro == "claim":
            (repeated if c.arg in lines else lines).setdefault(c.arg, c.line)
    problems = []
    for claim in corpus.topic_claims(topic):
        n = counts.get(claim.id, 0)
        if n == 1:
            continue
        if n == 0:
            message = f"active claim '{claim.id}' of topic '{topic}' is not on its topic page"
            hint = f'put {{{{ claim("{claim.id}") }}}} under the heading that discusses it'
            line = 1
        else:
            message = f"claim '{claim.id}' appears {n} times on its topic page"
            hint = f'keep one {{{{ claim("{claim.id}") }}}}, under the heading that discusses it'
            line = repeated.get(claim.id, lines.get(claim.id, 1))
        problems.append(error(path, line, 1, message, RULE, hint))
    return problems
