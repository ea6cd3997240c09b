"""Per-page citation numbering: the first key cited on a page is [1], and so on."""

from __future__ import annotations

from dataclasses import dataclass, field

from evidence.bib.keys import anchor as key_anchor


@dataclass
class Citation:
    key: str
    number: int
    anchor: str  # id of this occurrence in the text, for backlinks


@dataclass
class PageCitations:
    """Numbers and occurrences of citations on one page, in reading order."""

    order: list[str] = field(default_factory=list)
    occurrences: dict[str, list[str]] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict, repr=False)  # key → number, O(1)

    def cite(self, key: str) -> Citation:
        if key not in self.occurrences:
            self.order.append(key)
            self.occurrences[key] = []
            self.numbers[key] = len(self.order)
        anchors = self.occurrences[key]
        anchor = f"cite-{key_anchor(key)}-{len(anchors) + 1}"
        anchors.append(anchor)
        return Citation(key=key, number=self.numbers[key], anchor=anchor)

    def numbered(self) -> list[tuple[int, str, list[str]]]:
        """(number, key, occurrence anchors) for the page's reference list."""
        return [(i + 1, key, self.occurrences[key]) for i, key in enumerate(self.order)]
