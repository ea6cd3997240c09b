"""Issue 20, point 6: cheap and crash-free on any input.

Regular expressions on untrusted text are linear (64 KB adversarial lines in well under a
second), crossref/xdata chains and page nesting are located errors, not RecursionErrors,
the text policy refuses noncharacters, importers report bad files as `FILE:line:` errors,
and BibTeX keys cannot pass for other keys.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import claim_data, mini_project

from evidence.bib.library import MAX_CHAIN, load_library
from evidence.content.pagedepth import MAX_TAG_DEPTH, nesting_problem
from evidence.core.textpolicy import first_bad_character, lookalike
from evidence.load import reading

#: The budget for 64 KB of adversarial text: each took 5–100 s before (quadratic).
BUDGET = 1.0

ENTRY = "@misc{{{key},\n  title = {{T}},\n  year = {{2020}},\n}}\n"


def _bib(tmp_path: Path, text: str) -> tuple[object, list]:
    path = tmp_path / "references.bib"
    path.write_text(text, encoding="utf-8")
    return load_library(path, "references.bib")


def _timed(call, *args) -> tuple[object, float]:
    """The call's result and the CPU seconds it took (two workers share the machine)."""
    start = time.process_time()
    result = call(*args)
    return result, time.process_time() - start


# -- linear regular expressions ----------------------------------------------------------


@pytest.mark.parametrize(
    "junk",
    ["a-" * 32768, "@comment{" * 7000, "a=a" * 21000, "ab-cd " * 10000, "x{" * 32000, "article{k" * 7000],
    ids=["dashes", "comments", "equals", "words", "braces", "entries"],
)
def test_text_between_entries_is_read_in_linear_time(tmp_path: Path, junk: str) -> None:
    text = ENTRY.format(key="a") + junk[:65536] + "\n" + ENTRY.format(key="b")
    (_, problems), took = _timed(_bib, tmp_path, text)
    assert took < BUDGET, f"{took:.2f} s"
    assert all("Traceback" not in p.message for p in problems)


@pytest.mark.parametrize("text", ["[" * 65536, "[a](" * 16384, "[a]" * 21845 + "(" * 100])
def test_reading_grade_link_pattern_is_linear(text: str) -> None:
    _, took = _timed(reading._LINK.sub, r"\1", text)
    assert took < BUDGET


@pytest.mark.parametrize(
    "text", ["{{" * 32768, "{{ '" + "\\'" * 32000, "<a" * 32768, "{#" * 32768, "\n" * 65536]
)
def test_page_depth_scan_is_linear(text: str) -> None:
    _, took = _timed(nesting_problem, text, "docs/x.md")
    assert took < BUDGET


# -- crossref/xdata chains ---------------------------------------------------------------


def _chain(n: int, link: str = "crossref") -> str:
    kind = "inbook" if link == "crossref" else "misc"
    parts = [f"@{kind}{{e{i},\n  title = {{Part {i}}},\n  {link} = {{e{i + 1}}},\n}}\n" for i in range(n)]
    last = "xdata" if link == "xdata" else "book"
    parts.append(f"@{last}{{e{n},\n  title = {{Book}},\n  publisher = {{P}},\n  year = {{2020}},\n}}\n")
    return "".join(parts)


@pytest.mark.parametrize("link", ["crossref", "xdata"])
def test_a_3000_link_chain_is_one_located_error(tmp_path: Path, link: str) -> None:
    (_, problems), took = _timed(_bib, tmp_path, _chain(3000, link))
    deep = [p for p in problems if p.rule == "bib-crossref-depth"]
    assert len(deep) == 1, [p.format() for p in problems][:5]
    assert deep[0].line == (3000 - MAX_CHAIN - 1) * 4 + 3  # the crossref line of that entry
    assert f"more than {MAX_CHAIN}" in deep[0].message
    assert took < 10


def test_a_chain_within_the_limit_inherits(tmp_path: Path) -> None:
    library, problems = _bib(tmp_path, _chain(MAX_CHAIN))
    assert not [p for p in problems if p.rule.startswith("bib-crossref")]
    assert library["e0"].entry.fields["year"] == "2020"  # inherited down the whole chain


def test_a_long_cycle_is_still_a_cycle(tmp_path: Path) -> None:
    text = _chain(2000).replace("@book{e2000,", "@inbook{e2000,\n  crossref = {e0},")
    _, problems = _bib(tmp_path, text)
    assert {p.rule for p in problems if p.severity.value == "error"} == {"bib-crossref-cycle"}


# -- page nesting ------------------------------------------------------------------------

DEEP_PAGES = {
    "parentheses": "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}",
    "not": "{{ " + "not " * 3000 + "x }}",
    "unary minus": "{% if " + "- " * 3000 + "x %}{% endif %}",
    "if-else": "{{ " + "a if b else " * 3000 + "c }}",
    "lists": "\n".join("    " * i + "- a" for i in range(300)),
    "block quotes": ">" * 3000 + " a",
    "html": "<div markdown>\n" * 3000,
    "emphasis": "*" * 3000 + "a" + "*" * 3000,
    "brackets": "[" * 3000 + "a" + "]" * 3000,
}


@pytest.mark.parametrize("text", list(DEEP_PAGES.values()), ids=list(DEEP_PAGES))
def test_deep_pages_are_one_located_error(text: str) -> None:
    problem = nesting_problem("# Title\n\n" + text, "docs/deep.md", line_offset=4)
    assert problem is not None and problem.rule == "page-too-deep"
    assert problem.path == "docs/deep.md" and problem.line >= 7  # 4 lines of front matter, 2 of title


@pytest.mark.parametrize(
    "text",
    [
        "{{ " + "(" * MAX_TAG_DEPTH + "1" + ")" * MAX_TAG_DEPTH + " }}",
        '# A page\n\n{{ claim("a-b") }} (see [the list](https://x.example/a_(b)))\n\n{{ claims_table() }}\n',
        "\n".join("    " * i + "- a" for i in range(20)) + "\n\n" + "***bold*** " * 500,
    ],
)
def test_ordinary_pages_pass(text: str) -> None:
    assert nesting_problem(text, "docs/ok.md") is None


def test_every_page_of_the_real_site_passes() -> None:
    from helpers import REPO

    for page in (REPO / "docs").rglob("*.md"):
        assert nesting_problem(page.read_text(encoding="utf-8"), str(page)) is None, page


# -- the text policy ---------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\uffff", "\ufffe", "\ufdd0", "\ufdef", "\U0001fffe", "\U0010ffff", "\x01"])
def test_noncharacters_and_what_xml_cannot_carry_are_refused(char: str) -> None:
    bad = first_bad_character(f"Back pain {char} title")
    assert bad is not None and bad.index == 10


def test_a_noncharacter_in_a_claim_title_is_located_in_check(tmp_path: Path) -> None:
    project = mini_project(tmp_path, [claim_data(title="Back pain \uffff in adults")])
    run = project.check()
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "U+FFFF" in run.stdout and "content/claims/burden/example-claim.yml:" in run.stdout


# -- importers ---------------------------------------------------------------------------

BAD_EXPORTS = {
    "deep.json": ("[" * 100_000 + "]" * 100_000, ":1:", "import-too-deep"),
    "number.json": (
        json.dumps([{"id": "a", "type": "book", "author": 5}], indent=1),
        ":5:",
        "import-invalid",
    ),
    "dates.json": (json.dumps([{"id": "a", "issued": {"date-parts": 7}}]), ":1:", "import-invalid"),
    "names.json": (json.dumps([{"id": "a", "editor": [{"family": ["x"]}]}]), ":1:", "import-invalid"),
    "broken.json": ('[{"id": "a",\n  }', ":2:", "import-unreadable"),
    "garbage.ris": (bytes(range(256)) * 8, ":2:", "import-unreadable"),
    "control.ris": ("TY  - JOUR\nTI  - a\x1b[2Jb\nER  - \n", ":2:8:", "import-character"),
    "nul.nbib": ("PMID- 1\nTI  - a\x00\n", ":2:", "import-character"),
}


@pytest.mark.parametrize("name", list(BAD_EXPORTS))
def test_bad_exports_are_located_errors(tmp_path: Path, name: str) -> None:
    content, where, rule = BAD_EXPORTS[name]
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "evidence", "new-source", "--from", name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert run.stderr.startswith(name + where) and f"[{rule}]" in run.stderr, run.stderr
    assert run.stdout == ""


@pytest.mark.parametrize(
    "content",
    [
        "TY  - JOUR\nTI  - Back pain} , url = {https://evil.example/\nAU  - a, b, c, d\nER  - \n",
        "PMID- 1\nTI  - {unbalanced\nFAU - Smith and Jones\nDP  - 2020\n",
        json.dumps([{"id": "k", "type": "book", "title": "x}", "author": [{"literal": "{Evil"}]}]),
    ],
)
def test_unbalanced_braces_and_odd_names_import_as_valid_bibtex(tmp_path: Path, content: str) -> None:
    from pybtex.database import parse_string

    from evidence.bib.imports import import_file

    path = tmp_path / ("x.json" if content.startswith("[") else "x.ris")
    path.write_text(content, encoding="utf-8")
    data = parse_string(import_file(path).bibtex, "bibtex")
    (entry,) = data.entries.values()
    assert "url" not in entry.fields
    assert all(len(people) == 1 for people in entry.persons.values())


# -- BibTeX keys -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("smith2020\u0435", "mixes Latin and Cyrillic"),  # a Cyrillic е
        ("\u0441mith2020", "mixes Cyrillic and Latin"),  # a Cyrillic с
        ("\uff53mith2020", "compatibility form"),  # fullwidth s
        ("\U0001d41a2020", "compatibility form"),  # mathematical bold a
        ("\u0435\u0440\u043e\u04452020", "only in Cyrillic letters"),  # ерох: all look Latin
        ("\u03a3mith", "mixes Greek and Latin"),
    ],
)
def test_look_alike_keys_are_refused_at_their_line(tmp_path: Path, key: str, why: str) -> None:
    _, problems = _bib(tmp_path, ENTRY.format(key="plain") + "\n" + ENTRY.format(key=key))
    found = [p for p in problems if p.rule == "bib-key-lookalike"]
    assert len(found) == 1 and found[0].line == 6, [p.format() for p in problems]
    assert why in found[0].message


@pytest.mark.parametrize(
    "key", ["müller.2020", "張偉2020", "yamada山田2020", "Σωκράτης2020", "westfahl:space"]
)
def test_keys_in_one_script_are_accepted(key: str) -> None:
    assert lookalike(key) is None
