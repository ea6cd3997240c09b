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
    assert "record 1 (youngster2014): OTO" in nbib.unmapped
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


# -- issue 23, item 6: importers keep what they read -----------------------------------------


def _strict(bibtex: str, tmp_path: Path) -> dict[str, str]:
    """The entries as pasted, loaded with no problem at all (a strict build fails on a warning)."""
    bib = tmp_path / "references.bib"
    bib.write_text(bibtex, encoding="utf-8")
    library, problems = load_library(bib, "references.bib")
    assert [p.format() for p in problems] == []
    return {key: ref.text for key, ref in library.references.items()}


def test_an_ris_report_by_an_organisation_is_one_organisation_with_its_institution(tmp_path: Path) -> None:
    """report.ris: RIS's RPRT with PB (written from RIS's documented tags). An AU with no comma
    is an organisation, kept whole and keyed by its words; PB is the report's `institution`."""
    ris = import_file(EXPORTS / "report.ris")
    assert ris.bibtex.startswith("@report{agencyhealthcareresearch2023,")
    assert 'author = "{Agency for Healthcare Research and Quality}"' in ris.bibtex
    assert 'author = "{Example Back Care Association}"' in ris.bibtex
    assert 'institution = "Example Back Care Association"' in ris.bibtex and "publisher" not in ris.bibtex
    assert 'issn = "2152-0623"' in ris.bibtex  # without "(Electronic)"
    assert ris.unmapped == ["record 1 (agencyhealthcareresearch2023): C1"]
    texts = _strict(ris.bibtex, tmp_path)
    assert texts["examplebackcare2023"].startswith(
        "Example Back Care Association. Back Care at Work: A Second Report Written for This Test."
        " Example Back Care Association; 2023."
    )
    assert texts["agencyhealthcareresearch2023"].startswith("Agency for Healthcare Research and Quality. ")


def test_medline_names_every_tag_it_drops_and_keeps_the_journal_as_abbreviated(tmp_path: Path) -> None:
    """pubmed-pt-so-dep.nbib: written from NLM's MEDLINE/PubMed data element list, with PT,
    SO, DEP, a corporate author (CN) and ISSNs with their medium."""
    nbib = import_file(EXPORTS / "pubmed-pt-so-dep.nbib")
    first = [u.split(": ", 1)[1] for u in nbib.unmapped if u.startswith("record 1 (example2023)")]
    assert {"PT (Systematic Review)", "SO", "DEP", "OWN", "JID", "IS (2044-6055 (Linking))"} <= set(first)
    assert "PT (Journal Article)" not in first and "FAU" not in first and "AU" not in first
    assert 'journaltitle = "BMJ Open"' in nbib.bibtex and 'journalfulltitle = "BMJ open"' in nbib.bibtex
    assert 'issn = "2044-6055"' in nbib.bibtex and "(Electronic)" not in nbib.bibtex
    assert 'issn = "1234-5678"' in nbib.bibtex  # the print ISSN before the electronic one
    assert 'author = "Example, Anna B and {Example Low Back Pain Collaborators}"' in nbib.bibtex
    assert "@article{agencyhealthcareresearch2023," in nbib.bibtex
    texts = _strict(nbib.bibtex, tmp_path)
    assert texts["example2023"].startswith("Example AB, Example Low Back Pain Collaborators. Exercise")
    assert "BMJ Open. 2023;13(2):e000001." in texts["example2023"]
    assert texts["agencyhealthcareresearch2023"].startswith("Agency for Healthcare Research and Quality. ")


def test_one_entry_is_one_entry(tmp_path: Path) -> None:
    one = tmp_path / "one.ris"
    one.write_text((EXPORTS / "report.ris").read_text(encoding="utf-8").split("ER  - ")[0] + "ER  - \n")
    run = subprocess.run(
        [sys.executable, "-m", "evidence", "new-source", "--from", str(one)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert f"1 entry from {one}; paste it into references.bib" in run.stderr
    assert "not mapped: record 1 (agencyhealthcareresearch2023): C1" in run.stderr
