"""Issue 20, point 5: outputs keep text in its slot.

Every BibTeX we write (Cite this, `new-source --from`) parses back with pybtex to exactly
the fields we wrote, and decodes (evidence.bib.latex) to exactly the text; CSL-JSON is a
JSON round trip; every line we print to a terminal or CI log is free of control
characters and never begins with `::`; `init --title` is text in every attribute.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import claim_data, mini_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string

from evidence.bib.imports import import_file
from evidence.bib.latex import convert
from evidence.bib.write import latex_escape, url_value
from evidence.cli import diff_report, report
from evidence.core.problems import error
from evidence.core.textpolicy import log_line, printable, printable_json
from evidence.editions.release import Edition
from evidence.render.cite_this import cite_page

#: Text a hostile contributor would try: BibTeX and LaTeX syntax, newlines, any Unicode.
HOSTILE = st.lists(
    st.sampled_from([*"{}\\\"@%#$&_~^-`'!?,=() \n\t", "@misc{x,", "} ,", "\\}", "\\{"]) | st.characters(),
    max_size=60,
).map("".join)
#: The issue's payload and variants of our own: each tries to end its field and add fields.
PAYLOADS = [
    'Back pain} , url = "https://evil.example/" , author = "Dr Evil"',
    'Back pain" , url = "https://evil.example/',
    "Back pain\\} , note = {pwned} }\n@misc{evil, title={x}",
    "50% of {people}} % a comment\n, author = {Evil}",
    "#x # y @string{a = {b}} `` '' -- ---",
]


def _citation(title: str, site: str = "Site", author: str = "Team", url: str = "https://x.example/"):
    edition = Edition(name="v1.0", date=dt.date(2026, 1, 2), commit=None)
    return cite_page(title=title, page_url="a/b/", site=site, author=author, site_url=url, edition=edition)


def _reads_back(bibtex: str) -> dict[str, str]:
    data = parse_string(bibtex, "bibtex")
    assert len(data.entries) == 1, bibtex
    return dict(next(iter(data.entries.values())).fields)


@pytest.mark.parametrize("title", PAYLOADS)
def test_cite_this_bibtex_keeps_a_hostile_title_in_its_field(title: str) -> None:
    citation = _citation(title, site=title + " site", author=title)
    fields = _reads_back(citation.bibtex)
    assert set(fields) == {"title", "organization", "publisher", "version", "note", "date", "year", "url"}
    assert fields["url"] == "https://x.example/v1.0/a/b/"
    for name, text in (("title", title), ("organization", title + " site"), ("publisher", title)):
        assert fields[name] == latex_escape(text)
        assert convert(fields[name]).text == " ".join(text.split())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=HOSTILE, site=HOSTILE, author=HOSTILE)
def test_cite_this_bibtex_round_trips_any_text(title: str, site: str, author: str) -> None:
    citation = _citation(title, site=site or "Site", author=author)
    fields = _reads_back(citation.bibtex)
    expected = " ".join((title or site or "Site").split())
    assert convert(fields["title"]).text == expected
    if author.split():
        assert convert(fields["publisher"]).text == " ".join(author.split())


@pytest.mark.parametrize(
    "url", ["https://x.example/{a}/", 'https://x.example/a"b', "https://x.example/a b\\c%7E"]
)
def test_cite_this_url_cannot_end_its_field(url: str) -> None:
    fields = _reads_back(_citation("T", url=url).bibtex)
    assert fields["url"] == url_value(_citation("T", url=url).url)
    assert not set('{}"\\ ') & set(fields["url"])


def _csl(tmp_path: Path, item: dict) -> Path:
    path = tmp_path / "export.json"
    path.write_text(json.dumps([item]), encoding="utf-8")
    return path


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=HOSTILE.filter(lambda t: t.split()), family=HOSTILE.filter(lambda t: t.split()))
def test_imported_bibtex_round_trips_any_title_and_name(tmp_path: Path, title: str, family: str) -> None:
    from evidence.bib.import_read import BadExport
    from evidence.core.textpolicy import first_bad_character

    item = {"id": "k1", "type": "book", "title": title, "author": [{"family": family, "given": "Ann"}]}
    try:
        imported = import_file(_csl(tmp_path, item))
    except BadExport as bad:  # refused only for a character the text policy refuses
        assert first_bad_character(title + family) is not None, bad.problem.format()
        return
    data = parse_string(imported.bibtex, "bibtex")
    entry = data.entries["k1"]
    assert convert(entry.fields["title"]).text == " ".join(title.split())
    assert len(entry.persons["author"]) == 1


@pytest.mark.parametrize("title", PAYLOADS)
def test_imported_ris_title_stays_one_field(tmp_path: Path, title: str) -> None:
    path = tmp_path / "x.ris"
    one_line = " ".join(title.split())
    path.write_text(f"TY  - JOUR\nTI  - {one_line}\nAU  - Smith, Ann\nER  - \n", encoding="utf-8")
    entry = next(iter(parse_string(import_file(path).bibtex, "bibtex").entries.values()))
    assert set(entry.fields) == {"title"}
    assert convert(entry.fields["title"]).text == one_line


@pytest.mark.parametrize(
    "title",
    [
        'Back pain" , url = "https://evil.example/" , author = "Dr Evil',
        "50\\% of people \\& {Their} doctors @misc{x}, #1",
        "Pain \\textbraceright{} , note = \\textbraceleft{}pwned \u202a",
    ],
)
def test_csl_json_download_is_a_json_round_trip(tmp_path: Path, title: str) -> None:
    from evidence.bib.csl import csl_item
    from evidence.bib.library import load_library

    path = tmp_path / "references.bib"
    path.write_text(f"@misc{{k1,\n  title = {{{title}}},\n  year = {{2020}},\n}}\n", encoding="utf-8")
    library, problems = load_library(path, "references.bib")
    if "\u202a" in title:  # a bidi control is refused where it was written, never exported
        assert [p.rule for p in problems if p.severity.value == "error"] == ["bib-character"]
        return
    item = csl_item(library["k1"])
    raw = json.dumps([item], indent=2, ensure_ascii=False)
    assert json.loads(raw) == [item]
    assert item["title"] == convert(title).text
    assert set(item) >= {"title", "issued"} and "URL" not in item and "author" not in item


# -- what we print ------------------------------------------------------------------------

CONTROLS = [
    "\x1b[2J\x1b[31m",
    "\x07",
    "\x9b31m",
    "\u2028::error::x",
    "\u202eevil",
    "\U000e0041",
    "\x00",
    "\x7f",
]
COMMANDS = [
    "::error file=a::b",
    "  ::warning::x",
    "##[group]hidden",
    "::add-mask::secret",
    "::stop-commands::t",
]


def _clean(line: str) -> bool:
    return line.isprintable() and not line.lstrip().startswith(("::", "##["))


@pytest.mark.parametrize("bad", CONTROLS + COMMANDS)
def test_problem_format_prints_clean_lines(bad: str) -> None:
    for problem in (
        error(bad, 1, 1, "m", "rule-x", "h"),
        error("a.yml", 1, 1, bad, "rule-x", bad),
        error(f"{bad}\n{bad}", 2, 3, f"x\n{bad}", "rule-x"),
    ):
        lines = problem.format().split("\n")
        assert len(lines) == 2 if problem.hint else 1
        assert all(_clean(line) for line in lines), lines


@pytest.mark.parametrize("bad", CONTROLS + COMMANDS)
def test_text_json_and_github_reports_print_clean_lines(bad: str) -> None:
    problems = [error(f"content/{bad}.yml", 1, 1, f"quoted '{bad}'", "rule-x", bad)]
    for lines in (report.text(problems).split("\n"), report.as_json(problems).split("\n")):
        assert all(_clean(line) for line in lines), lines
    for line in report.github(problems).split("\n"):
        assert line.isprintable()
        assert not line.startswith("::") or line.startswith("::error file=content/")


@pytest.mark.parametrize("bad", CONTROLS + COMMANDS)
def test_diff_markdown_and_json_print_clean_lines(bad: str) -> None:
    assert _clean(diff_report.code_span(f"title {bad}"))
    assert _clean(diff_report._label(f"main {bad}"))
    text = printable_json(json.dumps({"path": bad, "list": [bad, "ok"]}, indent=2, ensure_ascii=False))
    assert all(line.isprintable() for line in text.split("\n"))
    assert json.loads(text) == {"path": bad, "list": [bad, "ok"]}  # the same data for a tool


def test_log_line_and_printable_escape_visibly() -> None:
    assert printable("a\x1bb\x07c") == "a\\u001bb\\u0007c"
    assert printable("x\U000e0041") == "x\\U000e0041"
    assert log_line("::error::x") == "\\ ::error::x"
    assert log_line("  ##[group]x") == "  \\ ##[group]x"
    assert log_line("a ::error::x") == "a ::error::x"  # only a line's start is a command


def test_diff_command_prints_clean_lines(tmp_path: Path) -> None:
    """`evidence diff` in both formats on a repository whose claim title carries ESC and `::`."""
    import gitrepo

    project = mini_project(tmp_path, [claim_data()])
    gitrepo.init(project.root)
    gitrepo.commit(project.root, "base")
    project.write_claim(claim_data(title="New \x1b[31m title\n::error::forged"))
    project.write_claim(claim_data("x\u202e-\x07", title="::error::x"))
    project.write("content/claims/burden/::error::y\x1b.yml", "id: [\n")
    for fmt in ("markdown", "json"):
        run = gitrepo.evidence(project.root, "diff", "--base", "HEAD", "--format", fmt)
        assert "Traceback" not in run.stderr
        for line in (run.stdout + run.stderr).splitlines():
            assert _clean(line), line


@pytest.mark.parametrize("name", ["x\x1b[31m.ris", "::error::y.ris", "z\u202e.ris"])
def test_new_source_prints_clean_lines_for_a_hostile_file_name(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("TY  - JOUR\nTI  - A title\nER  - \n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "evidence", "new-source", "--from", name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert all(_clean(line) for line in run.stderr.splitlines()), run.stderr


# -- evidence init --title --------------------------------------------------------------

#: markup too: the plugin escapes site_name before the theme prints it (init used to refuse it)
TITLES = [
    'Knee "pain"',
    "Knee's pain & co {{ 7*7 }}",
    'Pain" onmouseover="alert(1)',
    "Knee <b>pain</b>",
    "a <script>alert(1)</script>",
    "x &amp; y &#60;i&#62;",
]


@pytest.mark.slow
@pytest.mark.parametrize("title", TITLES)
def test_init_title_is_text_in_every_attribute(tmp_path: Path, title: str) -> None:
    from evidence.sitekit import init_site

    init_site(tmp_path / "site", title, ["benefits"])
    root = tmp_path / "site"
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^site_name: (.*)$", config, re.MULTILINE)[1] == json.dumps(title, ensure_ascii=False)
    run = subprocess.run(
        # --no-strict: the skeleton's prose may trip the reading-grade warning, not our point here
        [sys.executable, "-m", "mkdocs", "build", "--no-strict", "-d", "out"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr and "ERROR" not in run.stderr
    page = BeautifulSoup((root / "out/index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one('meta[name="description"]')["content"].startswith(f"An evidence summary: {title}.")
    labels = [tag["aria-label"] for tag in page.select("[aria-label]")]
    assert title in labels
    assert page.select("[onmouseover]") == []
    assert page.title.get_text().startswith(title)
    assert page.find("b") is None
    for script in page.find_all("script"):  # no script runs the title; JSON-LD holds it as data
        if script.get("type") == "application/ld+json":
            json.loads(script.get_text())
        else:
            assert "alert" not in script.get_text()
