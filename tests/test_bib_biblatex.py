"""Issue 14: keys as written, the biblatex data model, LaTeX as exports write it, AMA style.

The golden strings follow the AMA Manual of Style, 11th ed., patterns for each type (they
are written from the manual's documented patterns for this test, not quoted from it).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import claim_data
from pydantic import ValidationError

from evidence.bib import library as bib
from evidence.bib import reference
from evidence.bib.fields import FORMS, parse_date
from evidence.bib.keys import anchor, collisions
from evidence.bib.latex import convert
from evidence.content.fields import KEY_PATTERN
from evidence.content.model import Claim


def load(tmp_path: Path, text: str) -> tuple[bib.Library, list[str]]:
    path = tmp_path / "references.bib"
    path.write_text(text, encoding="utf-8")
    library, problems = bib.load_library(path, "references.bib")
    return library, [f"{p.line}: {p.severity.value}: {p.message} [{p.rule}]" for p in problems]


# -- 1. keys as written ------------------------------------------------------------------
def test_plain_keys_keep_their_anchor_and_others_are_encoded_without_collision() -> None:
    for key in ("article-a", "survey_b", "Smith2020", "2020smith"):
        assert anchor(key) == key  # every permalink the site had stays
    assert anchor("westfahl:space") == "k.westfahl.3Aspace"
    assert anchor("baez/article") == "k.baez.2Farticle"
    assert anchor("müller.2020") == "k.m.C3.BCller.2E2020"
    assert anchor("k.x") != anchor("k.2Ex") and "." not in anchor("kx")
    for key in ("westfahl:space", "a/b", "x.y", "ü"):
        assert re.fullmatch(r"[A-Za-z0-9_.-]+", anchor(key))


def test_keys_sharing_an_anchor_are_named_with_both_lines() -> None:
    assert collisions({"a:b": 3, "A:b": 9, "c": 12}) == [("A:b", 9, "a:b", 3)]


def test_keys_with_colon_and_slash_load_and_are_cited_by_their_text(tmp_path: Path) -> None:
    library, problems = load(
        tmp_path,
        "@misc{westfahl:space, title = {Space}}\n@misc{baez/article, title = {Article}}\n"
        "@misc{bad=key, title = {X}}\n",
    )
    assert list(library.references) == ["westfahl:space", "baez/article"]
    assert problems == [
        "3: error: key 'bad=key' cannot be cited from a claim (spaces, quotes, #, %, = and braces "
        "are not allowed, nor more than 80 characters) [bib-key]"
    ]
    claim = Claim.model_validate(claim_data(source="westfahl:space", reported_in="baez/article"))
    assert claim.source == "westfahl:space"
    with pytest.raises(ValidationError):
        Claim.model_validate(claim_data(source="bad key"))
    assert re.match(KEY_PATTERN, "baez/article") and not re.match(KEY_PATTERN, 'a"b')


# -- 2. the biblatex data model ---------------------------------------------------------------
def test_edtf_dates_and_ranges() -> None:
    assert parse_date("2012").parts() == [2012]
    assert parse_date("2012-03-04").parts() == [2012, 3, 4]
    ranged = parse_date("2012-03/2013-04")
    assert ranged.parts() == [2012, 3] and ranged.end.parts() == [2013, 4]
    assert parse_date("2012/..").open_end and parse_date("2012~").approximate
    assert parse_date("2012?").uncertain and parse_date("2012-13") is None


def test_biblatex_fields_are_read_as_bibtex_ones(tmp_path: Path) -> None:
    library, problems = load(
        tmp_path,
        "@string{pub = {Oxford University Press}}\n"
        "@article{a, author = {Doe, Jane}, title = {T}, journaltitle = {BMJ}, date = {2012},\n"
        " eprint = {12345678}, eprinttype = {pubmed}}\n"
        "@article{b, author = {Doe, Jane}, title = {T}, journal = {BMJ}, year = {2012}, month = jun}\n"
        "@book{c, author = {Roe, R.}, title = {B}, publisher = pub, location = {Oxford}, date = {2001}}\n",
    )
    assert problems == []
    assert library["a"].fields.get("journaltitle") == library["b"].fields.get("journaltitle") == "BMJ"
    assert library["a"].pmid == "12345678"
    assert library["a"].link == "https://pubmed.ncbi.nlm.nih.gov/12345678/"
    assert library["b"].fields.date().parts() == [2012, 6]  # the month macro
    assert library["c"].text == "Roe R. B. Oxford University Press; 2001."


def test_every_biblatex_type_is_formatted_and_an_unknown_one_warns(tmp_path: Path) -> None:
    entries = "\n".join(
        f"@{t}{{k{i}, author = {{Doe, J.}}, title = {{T}}, date = {{2020}}}}" for i, t in enumerate(FORMS)
    )
    library, problems = load(tmp_path, entries + "\n@hologram{odd, title = {Odd}, year = {2020}}\n")
    assert all(library[f"k{i}"].text.startswith("Doe J. T") for i in range(len(FORMS)))
    assert "@hologram" in " ".join(problems) and library["odd"].text == "Odd. 2020."
    assert [p for p in problems if "error" in p] == []
    assert any("(@hologram) " not in p and "[bib-unknown-type]" in p and "warning" in p for p in problems)


def test_crossref_and_xdata_are_inherited_as_biblatex_does(tmp_path: Path) -> None:
    library, problems = load(
        tmp_path,
        "@xdata{pubinfo, publisher = {Elsevier}, location = {Amsterdam}}\n"
        "@collection{coll, editor = {Jones, C. and Brown, D.}, title = {The Collection},"
        " xdata = {pubinfo}, date = {2001}}\n"
        "@incollection{chap, author = {Smith, A. B.}, title = {Chapter Title}, crossref = {coll},"
        " pages = {10--20}}\n"
        "@inbook{orphan, author = {X, Y}, title = {Z}, crossref = {nowhere}}\n",
    )
    assert "xdata" not in " ".join(library.references)  # data only, never a reference
    assert (
        library["chap"].text
        == "Smith AB. Chapter title. In: Jones C, Brown D, eds. The Collection. Elsevier; 2001:10-20."
    )
    assert any("'nowhere'" in p and "warning" in p and "[bib-crossref]" in p for p in problems)


def test_missing_fields_and_undefined_strings_are_warnings_naming_them(tmp_path: Path) -> None:
    library, problems = load(
        tmp_path,
        "@article{a, author = {Doe, J.}, title = {T},\n year = {2020}, note = undefinedthing,\n"
        " pages = {}}\n",
    )
    assert problems == [
        "2: warning: entry 'a' uses @string 'undefinedthing', which the file does not define; "
        "shown as the word 'undefinedthing' [bib-undefined-string]",
        "3: warning: field 'pages' of entry 'a' is empty, so it is left out [bib-empty-field]",
        "1: warning: entry 'a' (@article) has no journaltitle (or journal); its reference is shown "
        "without it [bib-missing-field]",
    ]
    assert library["a"].text == "Doe J. T. 2020. undefinedthing."


# -- 3. LaTeX ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"M{\"u}ller -- Sch\"on---x", "Müller – Schön—x"),
        (r"H\textsuperscript{2}O and CO\textsubscript{2}", "H²O and CO₂"),
        (r"{\textless}b{\textgreater}", "<b>"),
        (r"$\alpha$-helix", "α-helix"),
        (r"\texttt{code} and \textsc{Caps}", "code and Caps"),
        (r"caf\'e \& co \% done", "café & co % done"),
    ],
)
def test_latex_converts_to_unicode_text(latex: str, text: str) -> None:
    converted = convert(latex)
    assert (converted.text, converted.unknown) == (text, ())


def test_emphasis_and_links_are_html_through_the_template_and_input_markup_is_text(tmp_path: Path) -> None:
    library, problems = load(
        tmp_path,
        r"@misc{a, title = {\emph{E. coli} and \textbf{bold} <script>alert(1)</script> \foo{kept}},"
        "\n note = {See \\href{https://example.org/x}{the page} and \\href{javascript:alert(1)}{this}}}\n",
    )
    soup = BeautifulSoup(str(library["a"].html), "html.parser")
    assert soup.find("em").get_text() == "E. coli" and soup.find("strong").get_text() == "bold"
    assert soup.find("script") is None and "<script>alert(1)</script>" in soup.get_text()
    assert [a["href"] for a in soup.find_all("a")] == ["https://example.org/x"]  # javascript: is text
    assert "kept" in soup.get_text()
    assert problems == [
        "1: warning: field 'title' of entry 'a' has LaTeX that does not convert to text, shown as "
        "plain text: \\foo [bib-latex]"
    ]


# -- 4. AMA 11th ed. ----------------------------------------------------------------------
GOLDEN = {
    # journal article, following AMA 11th ed. pattern (up to 6 authors, sentence-case title, doi)
    "@article{j, author = {Youngster, Ilan and Russell, George H. and Pindar, Christina and "
    "Ziv-Baran, Tomer and Sauk, Jenny and Hohmann, Elizabeth L.}, title = {Oral, Capsulized, Frozen "
    "Fecal Microbiota Transplantation for Relapsing {Clostridium difficile} Infection}, journaltitle "
    "= {JAMA}, date = {2014-11-05}, volume = {312}, number = {17}, pages = {1772--1778}, doi = "
    "{10.1001/jama.2014.13875}}": "Youngster I, Russell GH, Pindar C, Ziv-Baran T, Sauk J, Hohmann EL. "
    "Oral, capsulized, frozen fecal microbiota transplantation for relapsing Clostridium difficile "
    "infection. JAMA. 2014;312(17):1772-1778. doi:10.1001/jama.2014.13875",
    # 7 or more authors: the first 3, then et al
    "@article{k, author = {A, Aa and B, Bb and C, Cc and D, Dd and E, Ee and F, Ff and G, Gg}, title = "
    "{A trial}, journal = {Lancet}, year = {2020}, volume = {395}, pages = {1--9}}": "A A, B B, C C, et al. "
    "A trial. Lancet. 2020;395:1-9.",
    # book, following AMA 11th ed. pattern (no place of publication)
    "@book{b, author = {Ropper, Allan H. and Samuels, Martin A.}, "
    "title = {Adams and Victor's Principles "
    "of Neurology}, edition = {9}, publisher = {McGraw-Hill}, location = {New York}, "
    "date = {2009}}": "Ropper AH, "
    "Samuels MA. Adams and Victor's Principles of Neurology. 9th ed. McGraw-Hill; 2009.",
    # chapter in an edited book, following AMA 11th ed. pattern
    "@incollection{c, author = {Solensky, R.}, title = {Drug Allergy: Desensitization and Treatment of "
    "Reactions}, editor = {Adkinson, N. F. and Bochner, B. S.}, booktitle = {Middleton's Allergy}, "
    "edition = {7}, publisher = {Mosby}, date = {2009}, pages = {1585--1606}}": "Solensky R. Drug allergy: "
    "desensitization and treatment of reactions. In: Adkinson NF, Bochner BS, eds. Middleton's Allergy. "
    "7th ed. Mosby; 2009:1585-1606.",
    # website, following AMA 11th ed. pattern (published and accessed dates, URL)
    "@online{w, author = {{Centers for Disease Control and Prevention}}, "
    "title = {Back Pain Basics}, "
    "organization = {CDC}, date = {2019-04-05}, urldate = {2020-01-02}, "
    "url = {https://www.cdc.gov/x}}": "Centers "
    "for Disease Control and Prevention. Back pain basics. CDC. Published April 5, 2019. Accessed "
    "January 2, 2020. https://www.cdc.gov/x",
    # report, following AMA 11th ed. pattern
    "@report{r, author = {Smith, J.}, title = {Low Back Pain in Adults}, institution = {National Institute "
    "for Health and Care Excellence}, date = {2016}, type = {NICE guideline}, number = {NG59}, url = "
    "{https://www.nice.org.uk/guidance/ng59}, urldate = {2021-03-01}}": "Smith J. Low Back Pain in Adults. "
    "National Institute for Health and Care Excellence; 2016. NICE guideline NG59. Accessed March 1, 2021. "
    "https://www.nice.org.uk/guidance/ng59",
    # thesis, following AMA 11th ed. pattern
    "@thesis{t, author = {Doe, Jane}, title = {Exercise for Chronic Low Back Pain}, type = {phdthesis}, "
    "institution = {University of Sydney}, date = {2018}}": "Doe J. Exercise for Chronic Low Back Pain. "
    "Dissertation. University of Sydney; 2018.",
    # data set, following AMA 11th ed. pattern
    "@dataset{d, author = {{Global Burden of Disease Collaborative Network}}, title = {Global Burden of "
    "Disease Study 2019 Results}, version = {1.0}, publisher = {IHME}, date = {2020}, doi = "
    "{10.6069/1234-5678}}": "Global Burden of Disease Collaborative Network. Global Burden of Disease Study "
    "2019 Results. Version 1.0. IHME; 2020. doi:10.6069/1234-5678",
    # presentation at a meeting, following AMA 11th ed. pattern (the meeting's place is shown)
    "@unpublished{p, author = {Chen, Rui}, title = {Exercise Therapy for Low Back Pain}, eventtitle = "
    "{Annual Meeting of the Example Spine Society}, eventdate = {2019-03-05}, venue = {Chicago, IL}, "
    "date = {2019}}": "Chen R. Exercise therapy for low back pain. Presented at: Annual Meeting of the "
    "Example Spine Society; March 5, 2019; Chicago, IL.",
    # the same in BibTeX's fields: the place in address, the date in year
    "@misc{q, author = {Chen, Rui}, title = {Exercise Therapy}, eventtitle = {Spine Week}, "
    "address = {Lyon, France}, year = {2020}}": "Chen R. Exercise therapy. Presented at: Spine Week; 2020; "
    "Lyon, France.",
    # software, following AMA 11th ed. pattern (no author: the title leads)
    "@software{s, title = {Epi Info}, version = {7.2}, organization = {Centers for Disease Control and "
    "Prevention}, date = {2017}, url = {https://www.cdc.gov/epiinfo}, urldate = {2019-05-06}}": "Epi Info. "
    "Version 7.2. Centers for Disease Control and Prevention; 2017. Accessed May 6, 2019. "
    "https://www.cdc.gov/epiinfo",
}


@pytest.mark.parametrize("entry", list(GOLDEN), ids=[e[1 : e.index(",")] for e in GOLDEN])
def test_ama_golden(entry: str, tmp_path: Path) -> None:
    library, problems = load(tmp_path, entry + "\n")
    (ref,) = library.references.values()
    assert [p for p in problems if "error" in p] == []
    assert ref.text == GOLDEN[entry]


def test_doi_and_pubmed_are_links(tmp_path: Path) -> None:
    library, _ = load(
        tmp_path, "@article{a, title = {T}, journal = {J}, year = {2020}, doi = {10.1/x}, pmid = {123}}\n"
    )
    links = [
        (a.get_text(), a["href"]) for a in BeautifulSoup(str(library["a"].html), "html.parser").find_all("a")
    ]
    assert links == [("10.1/x", "https://doi.org/10.1/x"), ("123", "https://pubmed.ncbi.nlm.nih.gov/123/")]


# -- per-build state and honest cache keys --------------------------------------------------
def test_no_module_global_build_state(tmp_path: Path) -> None:
    for module in (bib, reference):
        assert not hasattr(module, "PLAIN") and not hasattr(module, "_REUSE")
    first, _ = load(tmp_path, r"@misc{a, title = {Caf\'e}}" + "\n")
    second, _ = load(tmp_path, r"@misc{a, title = {Caf\'e}}" + "\n")
    assert first.memo is not second.memo and first["a"].memo is first.memo
    assert first["a"].title == "Café" and r"Caf\'e" in first.memo.plain and not second.memo.plain


def test_the_fingerprint_follows_the_style(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library, _ = load(tmp_path, "@misc{a, title = {T}}\n")
    before = library["a"].fingerprint
    monkeypatch.setattr(reference, "STYLE_KEY", "another-style")
    again, _ = load(tmp_path, "@misc{a, title = {T}}\n")
    assert again["a"].fingerprint != before


def test_the_sites_references_keep_their_permalinks() -> None:
    """Every key of the site's own references.bib is its own anchor: #bib-<key> and
    sources/<key>/ are the URLs they had before keys could hold ':' or '/'."""
    from helpers import REPO

    library, problems = bib.load_library(REPO / "references.bib", "references.bib")
    assert [p for p in problems if p.severity.value == "error"] == []
    assert len(library.references) > 5
    for key, ref in library.references.items():
        assert ref.anchor == key
