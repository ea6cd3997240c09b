"""Issue 25, item 4: a warm build or check grades no text again (the reading grades are kept in
the cache with the parsed claims); an edited text is graded afresh, and the warnings stay the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import claim_data, mini_project

from evidence.cache.store import Cache
from evidence.load import reading
from evidence.load.corpus import load_corpus
from evidence.load.reading import Grades, page_reading

HARD = (
    "Conservative multidisciplinary rehabilitation demonstrates considerable effectiveness "
    "regarding musculoskeletal symptomatology, notwithstanding methodological heterogeneity."
)
HARDER = HARD.replace("considerable", "incontrovertible")


@pytest.fixture
def graded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text textstat is asked to grade (reading.grade), in order."""
    seen: list[str] = []
    real = reading.grade.__wrapped__  # not its in-process lru_cache: each grading counts

    def counting(text: str) -> float:
        seen.append(text)
        return real(text)

    monkeypatch.setattr(reading, "grade", counting)
    return seen


def test_a_warm_load_grades_no_claim_text_and_an_edited_statement_is_graded_again(
    tmp_path: Path, graded: list[str]
) -> None:
    project = mini_project(tmp_path, claims=[claim_data(statement=HARD)])
    cold = load_corpus(tmp_path, cache=Cache(tmp_path))[1]
    assert HARD in graded
    assert any(p.rule == reading.RULE for p in cold)

    graded.clear()
    warm = load_corpus(tmp_path, cache=Cache(tmp_path))[1]
    assert graded == [], "a warm load grades nothing: the grades come from .cache/"
    assert warm == cold

    project.write_claim(claim_data(statement=HARDER))
    graded.clear()
    edited = load_corpus(tmp_path, cache=Cache(tmp_path))[1]
    assert graded == [HARDER], "only the changed text is graded"
    found = [p.message for p in edited if p.rule == reading.RULE]
    assert found and f"{reading.grade(HARDER):.1f}" in found[0]


class DictCache:
    """The two methods of the cache port that Grades uses."""

    def __init__(self) -> None:
        self.saved: dict[str, Any] = {}

    def load(self, name: str) -> Any:
        return self.saved.get(name)

    def save(self, name: str, value: Any) -> None:
        self.saved[name] = value


PAGE = f"# A page\n\n{HARD}\n\nShort and plain words only here, with nothing hard to read in them at all.\n"


def test_page_prose_grades_are_kept_and_give_the_same_warnings(graded: list[str]) -> None:
    cache = DictCache()
    first = Grades.kept(cache, reading.PAGE_MEMO)
    cold = page_reading(PAGE, "docs/a.md", 0, first)
    first.keep(cache)
    assert len(graded) == 2 and [p.line for p in cold] == [3]

    graded.clear()
    warm = page_reading(PAGE, "docs/a.md", 0, Grades.kept(cache, reading.PAGE_MEMO))
    assert graded == [] and warm == cold
    assert cold == page_reading(PAGE, "docs/a.md")  # the same as grading without a memo


def test_a_memo_of_another_textstat_version_is_not_used(graded: list[str]) -> None:
    cache = DictCache()
    grades = Grades.kept(cache)
    grades(HARD)
    grades.keep(cache)
    cache.saved[reading.MEMO]["textstat"] = "0.0-other"
    graded.clear()
    Grades.kept(cache)(HARD)
    assert graded == [HARD]


def test_texts_edited_away_are_dropped_once_they_outnumber_the_used_ones() -> None:
    stale = {f"{n:032x}": 1.0 for n in range(2000)}
    cache = DictCache()
    grades = Grades(stale)
    grades("Plain words.")
    grades.keep(cache)
    assert len(cache.saved[reading.MEMO]["grades"]) == 1
    kept = Grades(dict(stale))
    kept("Plain words.")
    kept.fresh = 0  # nothing new graded: nothing written
    kept.keep(cache)
    assert len(cache.saved[reading.MEMO]["grades"]) == 1


def test_a_page_edit_keeps_the_claims_grades(tmp_path: Path, graded: list[str]) -> None:
    """Claims and pages keep their grades apart: a run grading a new paragraph drops the
    texts it no longer uses, never the claims' (one shared memo lost them, and the next
    build graded every claim again)."""
    claims = [claim_data(f"claim-{n}", statement=f"Claim {n} says a plain thing.") for n in range(1100)]
    mini_project(tmp_path, claims=claims)
    load_corpus(tmp_path, cache=Cache(tmp_path))
    cache = Cache(tmp_path)
    pages = Grades.kept(cache, reading.PAGE_MEMO)
    page_reading(PAGE, "docs/a.md", 0, pages)  # a new paragraph: graded, the memo written
    pages.keep(cache)
    assert len(cache.load(reading.MEMO)["grades"]) >= 1100
    graded.clear()
    load_corpus(tmp_path, cache=Cache(tmp_path))
    assert graded == [], "the claims' grades survived the page run"
