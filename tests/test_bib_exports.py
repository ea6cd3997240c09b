"""Issue 14, point 6: reference-manager exports load as exported.

tests/bib_exports/ holds biblatex's own examples file (abridged) and files written by hand
in the documented formats of Zotero Better BibTeX / Better BibLaTeX, JabRef, Mendeley,
EndNote, PubMed (.nbib), RIS and CSL-JSON (each says so in its header). Every entry is
loaded, formatted (text and HTML) and checked; the acceptance rate is printed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import REPO

from evidence.bib.imports import import_file
from evidence.bib.library import load_library

EXPORTS = REPO / "tests" / "bib_exports"
BIB_FILES = sorted(EXPORTS.glob("*.bib"))
IMPORTED = sorted(p for p in EXPORTS.iterdir() if p.suffix in (".nbib", ".ris", ".json"))


def _as_bib(path: Path, tmp_path: Path) -> Path:
    if path.suffix == ".bib":
        return path
    out = tmp_path / (path.stem + ".bib")
    out.write_text(import_file(path).bibtex, encoding="utf-8")
    return out


def test_every_export_loads_formats_and_is_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    total = accepted = 0
    lines = []
    for source in BIB_FILES + IMPORTED:
        path = _as_bib(source, tmp_path)
        library, problems = load_library(path, source.name)
        assert all(p.line >= 1 and p.message and p.rule for p in problems)
        starts = sorted(ref.line for ref in library.references.values())
        errors = [p.line for p in problems if p.severity.value == "error"]
        # an error belongs to the entry it stands in; one before every entry refuses one more
        bad = {max((s for s in starts if s <= line), default=-line) for line in errors}
        for ref in library.references.values():
            text, html = ref.text, str(ref.html)
            assert text.strip(), (source.name, ref.key)
            assert BeautifulSoup(html, "html.parser").get_text() == text  # the same words, escaped
            if ref.title and ref.form != "set":
                assert ref.title.split()[0].strip(":.").lower() in text.lower(), (source.name, ref.key)
            accepted += ref.line not in bad
        total += len(library.references) + len([b for b in bad if b < 0])
        lines.append(f"{source.name}: {len(library.references)} entries, {len(bad)} with an error")
    rate = accepted / total
    with capsys.disabled():
        print("\n" + "\n".join(lines) + f"\nacceptance: {accepted}/{total} = {rate:.1%} with no error")
    assert total >= 90
    assert rate >= 0.95


def test_the_one_refused_entry_names_its_line_and_field() -> None:
    _, problems = load_library(EXPORTS / "endnote.bib", "endnote.bib")
    assert [(p.line, p.rule) for p in problems if p.severity.value == "error"] == [(53, "bib-url")]


def test_medline_and_ris_keep_the_identifiers_and_report_what_they_drop() -> None:
    nbib = import_file(EXPORTS / "pubmed.nbib")
    assert nbib.count == 2 and 'pmid = "25322359"' in nbib.bibtex and 'date = "2014-11-05"' in nbib.bibtex
    assert "relapsing Clostridium difficile infection." in nbib.bibtex  # wrapped line joined with a space
    assert nbib.unmapped == ["record 1 (youngster2014): OTO"]
    ris = import_file(EXPORTS / "zotero.ris")
    assert (
        ris.count == 3
        and 'urldate = "2021-02-03"' in ris.bibtex
        and 'isbn = "978-0-00-000000-2"' in ris.bibtex
    )
    csl = import_file(EXPORTS / "zotero-csl.json")
    assert "@online{who-2023," in csl.bibtex and 'author = "{World Health Organization}"' in csl.bibtex
    assert csl.unmapped == ["record 1 (youngster2014): source"]


def test_new_source_from_file_prints_entries_and_what_did_not_map(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "evidence", "new-source", "--from", str(EXPORTS / "pubmed.nbib")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("@article{youngster2014,")
    assert "not mapped: record 1 (youngster2014): OTO" in run.stderr
    bib = tmp_path / "references.bib"
    bib.write_text(run.stdout, encoding="utf-8")
    library, problems = load_library(bib, "references.bib")
    assert [p for p in problems if p.severity.value == "error"] == []
    assert library["youngster2014"].text.endswith(
        "JAMA. 2014;312(17):1772-1778. doi:10.1001/jama.2014.13875 PMID: 25322359"
    )
    empty = tmp_path / "empty.ris"
    empty.write_text("nothing here\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "evidence", "new-source", "--from", str(empty)], capture_output=True, text=True
    )
    assert run.returncode == 1 and "no references found" in run.stderr
