"""references.bib: every entry loaded or reported, what BibTeX ignores stays ignored, limits hold."""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from helpers import BIB, REPO, mini_project

from evidence.bib import library as bib
from evidence.bib import read as bibread
from evidence.bib.style import FIRST_LISTED, MAX_LISTED

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import bib_entry


def load(tmp_path: Path, text: str) -> tuple[bib.Library, list[str]]:
    path = tmp_path / "references.bib"
    path.write_text(text, encoding="utf-8")
    library, problems = bib.load_library(path, "references.bib")
    return library, [p.format().splitlines()[0] for p in problems]


def misc(key: str, **fields: str) -> str:
    fields = {"author": "{Example Association}", "howpublished": "Survey", **fields}
    return f"@misc{{{key},\n" + "".join(f"  {k} = {{{v}}},\n" for k, v in fields.items()) + "}"


def test_entry_on_the_closing_line_of_another_is_loaded_with_its_line(tmp_path: Path) -> None:
    library, problems = load(tmp_path, misc("first") + misc("second") + "\n")
    assert problems == []
    assert [(r.key, r.line) for r in library.references.values()] == [("first", 1), ("second", 4)]


def test_text_bibtex_ignores_is_ignored(tmp_path: Path) -> None:
    text = (
        "This file was exported by a reference manager.\n\n"
        "@Comment{jabref-meta: databaseType:bibtex;}\n"
        "@comment{misc{old-entry, title = {Retired}}}\n\n" + misc("kept") + "\n} stray brace\n"
    )
    library, problems = load(tmp_path, text)
    assert problems == []
    assert list(library.references) == ["kept"]


def test_entry_inside_comment_is_read_as_bibtex_reads_it(tmp_path: Path) -> None:
    library, problems = load(tmp_path, "@comment{\n" + misc("inner") + "\n}\n")
    assert problems == []
    assert library["inner"].line == 2


def test_more_than_six_names_list_three_then_et_al(tmp_path: Path) -> None:
    """AMA 11th ed.: up to 6 names listed; with 7 or more, the first 3 and 'et al'."""
    authors = " and ".join(f"Author{i}, A." for i in range(MAX_LISTED + 20))
    library, problems = load(tmp_path, misc("many", author=authors, title="T", year="2020"))
    assert problems == []
    text = library["many"].text
    assert text.startswith(f"Author0 A, Author1 A, Author{FIRST_LISTED - 1} A, et al. T. Survey. 2020.")
    assert f"Author{FIRST_LISTED} A" not in text
    assert len(library["many"].authors) == MAX_LISTED + 20  # JSON-LD keeps every name
    six = " and ".join(f"Author{i}, A." for i in range(MAX_LISTED))
    library, _ = load(tmp_path, misc("six", author=six, title="T"))
    assert library["six"].text.startswith(
        ", ".join(f"Author{i} A" for i in range(MAX_LISTED)) + ". T. Survey."
    )


def test_ninety_nine_nested_braces_format_without_recursion_error(tmp_path: Path) -> None:
    deep = "{" * 99 + "Deep" + "}" * 99
    library, problems = load(tmp_path, misc("deep", author=f"{deep} and Smith, A.", title=deep))
    assert problems == []
    assert "Deep" in library["deep"].text


def test_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    text = misc("big") + "\n" + "%" * bibread.MAX_BYTES
    library, problems = load(tmp_path, text)
    assert problems == [
        f"references.bib:1:1: error: references.bib is {len(text) + 0} bytes; the limit is "
        f"{bibread.MAX_BYTES} [bib-too-large]"
    ]
    assert list(library.references) == []


def test_benchmark_bibliography_of_20000_entries_fits_the_limit() -> None:
    rng = random.Random(7)
    size = sum(len(bib_entry(rng, f"ref{i:05d}").encode()) + 1 for i in range(20000))
    assert size < bibread.MAX_BYTES / 2


def test_worst_entry_within_the_limits_checks_in_seconds(tmp_path: Path) -> None:
    """500 long names and every shown field at its limit: formerly minutes, now seconds."""
    name = "von der " + " ".join(["M{\\\"u}ller-{\\'E}"] * 5) + ', J{\\"o}rg'
    authors = " and ".join(f"{name}{i}" for i in range(bibread.MAX_NAMES))
    fields = {f: "{\\'e}t{\\\"u}d " * 100 for f in ("title", "note", "organization")}
    entry = misc("article-a", author=authors, **fields).replace("@misc", "@online")
    assert len(entry.encode()) <= bibread.MAX_ENTRY_BYTES
    project = mini_project(tmp_path, bib=entry + "\n\n" + BIB.split("\n\n", 1)[1])
    start = time.perf_counter()
    check = project.check()
    assert check.returncode == 0, check.stdout
    assert time.perf_counter() - start < 20


def test_an_unclosed_brace_is_reported_at_its_own_line_not_at_the_end_of_the_file() -> None:
    """Issue 23: the brace left open on line 80 of an 84-line file was reported at the entry's
    first line, "noticed on line 85"."""
    entries = "".join(
        f"@misc{{k{i},\n  title = {{T{i}}},\n  howpublished = {{Web}},\n  year = {{2020}},\n}}\n"
        for i in range(15)
    )  # 75 lines
    broken = "@misc{last,\n  author = {{Org}},\n  title = {Never closed,\n  year = {2020},\n}\n"
    text = entries + "\n\n" + broken  # the open brace on line 80, the file 82 lines long
    problems = [p for p in bibread.parse(text, "references.bib").problems if p.rule == "bib-syntax"]
    assert [(p.line, p.col) for p in problems] == [(80, 11)]
    assert "the '{' on this line is never closed (the entry runs to line 82)" in problems[0].message


def test_a_missing_brace_in_a_balanced_looking_entry_keeps_pybtex_s_words() -> None:
    text = "@misc{a,\n  title = {One}\n  year = {2020},\n}\n"  # a missing comma, braces balance
    (problem,) = [p for p in bibread.parse(text, "references.bib").problems if p.rule == "bib-syntax"]
    assert problem.line == 1 and "syntax error" in problem.message
