"""Content checks against the seed articles the claims were read in.

Every claim's quote must appear word for word in the document it was read in (its
`reported_in` key when set, else its `source`), and no claim statement may copy a run
of 12 words from any seed article: statements are paraphrases, quotes are exact.

The seed articles are not part of the repository; they live beside it in
shared/seeds. Without them the tests are skipped, not failed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evidence.content.model import Claim
from evidence.load.corpus import load_corpus

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

#: Bib key of each seed article -> its file in the seeds folder.
SEED_FILES = {
    "spinenation-2017": "000_fb1ca8ec0fd7c1d6.txt",
    "can-pt-help-back-pain": "001_1ed59cc2925ae8db.txt",
    "seattle-neuro-blog": "002_edfbd4d266390924.txt",
    "maltz-2021": "003_9b150c6bc57ded02.txt",
}

#: A statement sharing this many consecutive words with a seed counts as copied.
COPY_RUN = 12

_CORPUS, _PROBLEMS = load_corpus(REPO)
CLAIMS: list[Claim] = [lc.claim for _, lc in sorted(_CORPUS.loaded.items())]


def _collapse(text: str) -> str:
    """Runs of whitespace (including non-breaking spaces and newlines) become one space."""
    return re.sub(r"\s+", " ", text).strip()


def _words(text: str) -> list[str]:
    """Lowercase words, with curly and straight apostrophes treated alike."""
    return re.findall(r"[a-z0-9]+(?:'[a-z0-9]+)*", text.lower().replace("\u2019", "'"))


def _runs(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}; quotes cannot be checked without them")
    texts = {}
    for key, name in SEED_FILES.items():
        path = SEEDS / name
        if not path.is_file():
            pytest.fail(f"seed file {name} for '{key}' is missing from {SEEDS}")
        texts[key] = _collapse(path.read_text(encoding="utf-8"))
    return texts


def test_claims_were_loaded() -> None:
    assert CLAIMS, f"no claims loaded from {REPO / 'content' / 'claims'}"


def test_every_seed_key_is_a_reference() -> None:
    missing = sorted(set(SEED_FILES) - set(_CORPUS.library.references))
    assert not missing, f"seed keys missing from references.bib: {missing}"


READ_IN_SEEDS = [c for c in CLAIMS if (c.reported_in or c.source) in SEED_FILES]
READ_IN_PRIMARIES = [c for c in CLAIMS if (c.reported_in or c.source) not in SEED_FILES]
CHECKED = [c for c in CLAIMS if c.primary_check is not None and c.primary_check.quote is not None]


@pytest.mark.parametrize("claim", READ_IN_SEEDS, ids=lambda c: c.id)
def test_quote_is_verbatim_in_the_article_it_was_read_in(claim: Claim, seeds: dict[str, str]) -> None:
    read_in = claim.reported_in or claim.source
    quote = _collapse(claim.quote.text)
    assert quote in seeds[read_in], (
        f"{claim.id}: quote not found verbatim in {SEED_FILES[read_in]} ({read_in}): {quote!r}"
    )


@pytest.mark.parametrize("claim", READ_IN_PRIMARIES, ids=lambda c: c.id)
def test_a_quote_from_a_primary_source_names_where_and_when_it_was_read(claim: Claim) -> None:
    """A reviewer checks such a quote in one click: the reference holds the address it was
    read at (`url`) and the date (`urldate`). The stored copies are not in the repository,
    so the words themselves are checked by that reviewer, not here."""
    ref = _CORPUS.library[claim.source]
    assert ref.url, f"{claim.id}: its source '{claim.source}' has no url (where the quote was read)"
    assert ref.fields.get("urldate"), f"{claim.id}: its source '{claim.source}' has no urldate (when)"


@pytest.mark.parametrize("claim", CHECKED, ids=lambda c: c.id)
def test_a_verdict_quotes_the_primary_with_its_address_and_date(claim: Claim) -> None:
    check = claim.primary_check
    assert check is not None and check.quote is not None
    assert check.quote.url and check.quote.accessed, f"{claim.id}: the primary's quote needs url and accessed"
    assert len(check.quote.text.split()) <= 30


def test_every_article_claim_carries_a_verdict_from_its_primary() -> None:
    """Issue 22: every claim read second-hand has been checked against the source it names."""
    unchecked = [c.id for c in CLAIMS if c.reported_in and c.primary_check.verdict == "not-yet-checked"]
    assert not unchecked, f"article claims not yet checked against their primary source: {unchecked}"


def test_the_primary_quote_tests_cover_the_corpus() -> None:
    assert READ_IN_SEEDS and READ_IN_PRIMARIES and CHECKED


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_statement_is_not_copied_from_a_seed(claim: Claim, seeds: dict[str, str]) -> None:
    statement = _runs(_words(claim.statement), COPY_RUN)
    for key, text in seeds.items():
        shared = statement & _runs(_words(text), COPY_RUN)
        assert not shared, (
            f"{claim.id}: statement copies {COPY_RUN} words from {key}: {' '.join(min(shared))!r}; "
            f"paraphrase it, and put exact words in the quote instead"
        )


#: Titles are short: sharing this many consecutive words with a seed counts as copied.
TITLE_COPY_RUN = 7


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_title_is_not_copied_from_a_seed(claim: Claim, seeds: dict[str, str]) -> None:
    title = _runs(_words(claim.title), TITLE_COPY_RUN)
    for key, text in seeds.items():
        shared = title & _runs(_words(text), TITLE_COPY_RUN)
        assert not shared, (
            f"{claim.id}: title copies {TITLE_COPY_RUN} words from {key}: {' '.join(min(shared))!r}"
        )


def test_title_copy_check_catches_the_old_copied_title(seeds: dict[str, str]) -> None:
    old = _runs(_words("60 to 80 percent of back pain gets better over time"), TITLE_COPY_RUN)
    assert old & _runs(_words(seeds["maltz-2021"]), TITLE_COPY_RUN)
