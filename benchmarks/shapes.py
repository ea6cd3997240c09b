"""How claims spread over topics and sources: the "realistic" shape of generate.py.

The friendly shape (one reference per claim, ten claims a page) hides every cost that
grows with claims per source. Real evidence sites cite a few big sources (a Cochrane
review, a guideline) from hundreds of claims and hold hundreds of claims per topic; this
module lays out such a corpus, seeded, so the same spec gives the same layout.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass

#: Shares of all claims resting on the three biggest sources (before "reported in"
#: citations add about a fifth more): each ends up cited by 10–30% of the claims.
HEAD_SHARES = (0.25, 0.16, 0.11)
ZIPF_EXPONENT = 1.1  # the tail: the r-th other source is cited ∝ 1 / r^1.1
TOPIC_SIZES = (100, 1000)  # claims per topic, log-uniform between these
REPORTED_SHARE = 0.2  # claims that also name the document they were read in


@dataclass(frozen=True)
class Layout:
    """Per claim (by index): its topic number, its source's index, its reported-in index."""

    topics: list[int]
    sources: list[int]
    reported: list[int | None]

    @property
    def n_topics(self) -> int:
        return max(self.topics) + 1 if self.topics else 1

    def citing_shares(self, n_refs: int) -> list[float]:
        """Share of claims citing each source (as source or reported in), biggest first."""
        counts: Counter[int] = Counter(self.sources)
        counts.update(r for r in self.reported if r is not None)
        total = max(1, len(self.sources))
        return sorted((counts[j] / total for j in range(n_refs)), reverse=True)


def topic_sizes(rng: random.Random, claims: int) -> list[int]:
    """Topic sizes in [100, 1,000] summing to `claims` (one topic if there are fewer than 100)."""
    low, high = TOPIC_SIZES
    sizes: list[int] = []
    while sum(sizes) < claims:
        sizes.append(round(math.exp(rng.uniform(math.log(low), math.log(high)))))
    sizes[-1] -= sum(sizes) - claims
    if sizes[-1] < low and len(sizes) > 1:  # spread a short last topic over the others
        rest = sizes.pop()
        for _ in range(rest):
            smallest = min(range(len(sizes)), key=lambda t: (sizes[t], t))
            sizes[smallest] += 1
    return sizes


def source_weights(n_refs: int) -> list[float]:
    """Heavy-tailed weights: the head shares for the first sources, then a Zipf tail."""
    head = list(HEAD_SHARES[: max(0, n_refs - 1)])
    tail_n = n_refs - len(head)
    zipf = [1 / (r + 1) ** ZIPF_EXPONENT for r in range(tail_n)]
    tail_share = 1 - sum(head)
    return head + [tail_share * z / sum(zipf) for z in zipf]


def counts(weights: list[float], total: int) -> list[int]:
    """Every source cited once, the rest by largest remainder (deterministic, sums to `total`)."""
    spare = total - len(weights)
    exact = [w * spare for w in weights]
    out = [1 + math.floor(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda j: (-(exact[j] - math.floor(exact[j])), j))
    for j in by_remainder[: total - sum(out)]:
        out[j] += 1
    return out


def realistic(seed: int, claims: int, n_refs: int) -> Layout:
    """Topics of 100–1,000 claims; a few sources cited by 10–30% of claims, a Zipf-like tail."""
    if not 1 <= n_refs <= claims:
        raise ValueError("refs must be between 1 and the number of claims, so every reference is cited")
    rng = random.Random(seed * 1_000_003 + 15)  # apart from the text's generator: same text either way
    topics = [t for t, size in enumerate(topic_sizes(rng, claims)) for _ in range(size)]
    weights = source_weights(n_refs)
    sources = [j for j, n in enumerate(counts(weights, claims)) for _ in range(n)]
    rng.shuffle(sources)
    reported: list[int | None] = []
    for source in sources:
        other = None
        if n_refs > 1 and rng.random() < REPORTED_SHARE:
            other = rng.choices(range(n_refs), weights)[0]
            other = other if other != source else None
        reported.append(other)
    return Layout(topics, sources, reported)
