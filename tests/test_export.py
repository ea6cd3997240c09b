"""Downloads: `python -m evidence export` and the build publish the same bytes, every time."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest
from bs4 import BeautifulSoup
from helpers import BIB, REPO, Project, claim_data, mini_project

from evidence.cache.store import CACHE_DIR
from evidence.content.model import Claim
from evidence.load.corpus import load_corpus
from evidence.render import export

#: The item types of CSL 1.0.2 (citationstyles.org, csl-data.json "type" enum).
CSL_TYPES = {
    *["article", "article-journal", "article-magazine", "article-newspaper", "bill", "book"],
    *["broadcast", "chapter", "classic", "collection", "dataset", "document", "entry"],
    *["entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing"],
    *["interview", "legal_case", "legislation", "manuscript", "map", "motion_picture"],
    *["musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical"],
    *["personal_communication", "post", "post-weblog", "regulation", "report", "review"],
    *["review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage"],
}

ARTICLE = textwrap.dedent(
    r"""
    @article{smith-2020,
      author = {M{\"u}ller, Anna and de la Cruz, Jos{\'e} and {World Health Organization}},
      title = {Exercise for {Low} Back Pain: a Trial},
      journal = {Spine},
      year = {2020},
      month = mar,
      volume = {45},
      number = {3},
      pages = {100--110},
      doi = {10.1097/BRS.0000000000001234},
    }
    """
)


def run_export(root: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "evidence", "--root", str(root), "export", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Project, Path]:
    """A mini project with a retired claim, a hostile statement and a full @article, exported."""
    claims = [
        claim_data(),
        claim_data(
            "formula-claim",
            topic="benefits",
            statement='=HYPERLINK("http://evil.example","x") and more',
            source="smith-2020",
            reported_in=None,
            # the formula reads above grade 10 (claim-reading-grade fails --strict builds): the
            # second caveat names it as technical terms, the way a real claim says why
            caveats=["First caveat.", "Second: the formula is technical terms."],
        ),
        claim_data(
            "old-claim",
            topic="surgery",
            status="retired",
            retired={"reason": "The source was withdrawn.", "date": "2026-02-01"},
        ),
    ]
    (tmp_path / "project").mkdir()
    project = mini_project(tmp_path / "project", claims=claims, bib=BIB + ARTICLE)
    result = run_export(project.root, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    return project, tmp_path / "out"


def test_export_writes_every_file(exported: tuple[Project, Path]) -> None:
    _, out = exported
    assert sorted(p.name for p in out.iterdir()) == sorted(export.FILES)


@pytest.mark.slow
def test_build_publishes_the_same_bytes(exported: tuple[Project, Path]) -> None:
    project, out = exported
    result = project.build()
    assert result.returncode == 0, result.stderr
    for name in export.FILES:
        assert (project.root / "site" / "data" / name).read_bytes() == (out / name).read_bytes(), name


@pytest.mark.slow
def test_the_build_publishes_downloads_kept_in_the_cache_for_its_inputs(
    exported: tuple[Project, Path],
) -> None:
    """The bytes stay on disk, under the name of the inputs they were made from; an edit makes new ones."""
    project, out = exported
    for _ in range(2):  # the second build takes them from the cache
        assert project.build().returncode == 0
        kept = sorted((project.root / CACHE_DIR).glob("*/downloads/*/"))
        assert len(kept) == 1, kept
        for name in export.FILES:
            assert (kept[0] / name).read_bytes() == (out / name).read_bytes(), name
            assert (project.root / "site" / "data" / name).read_bytes() == (out / name).read_bytes(), name
    project.write_claim(claim_data(statement="An edited statement, in the downloads at once."))
    assert project.build().returncode == 0
    now = sorted((project.root / CACHE_DIR).glob("*/downloads/*/"))
    assert len(now) == 1 and now != kept, "the downloads of the old inputs are replaced"
    published = (project.root / "site" / "data" / export.CLAIMS_JSON).read_bytes()
    assert "An edited statement, in the downloads at once." in published.decode()
    assert published == (now[0] / export.CLAIMS_JSON).read_bytes()


def test_export_is_deterministic(exported: tuple[Project, Path], tmp_path: Path) -> None:
    project, out = exported
    again = tmp_path / "elsewhere" / "deeper"
    assert run_export(project.root, again).returncode == 0
    for name in export.FILES:
        assert (again / name).read_bytes() == (out / name).read_bytes(), name


def test_claims_json_holds_every_claim_valid_against_the_published_schema(
    exported: tuple[Project, Path],
) -> None:
    project, out = exported
    items = json.loads((out / "claims.json").read_text(encoding="utf-8"))
    schema = json.loads((out / "claim.schema.json").read_text(encoding="utf-8"))
    assert schema == json.loads((REPO / "content/schema/claim.schema.json").read_text(encoding="utf-8"))
    for item in items:
        jsonschema.validate(item, schema)
    corpus, _ = load_corpus(project.root)
    assert [i["id"] for i in items] == ["example-claim", "formula-claim", "old-claim"]
    assert [Claim.model_validate(i) for i in items] == [corpus.claim(i["id"]) for i in items]
    assert items[2]["status"] == "retired" and items[2]["retired"]["reason"] == "The source was withdrawn."


def test_claims_csv_is_flat_and_safe_in_spreadsheets(exported: tuple[Project, Path]) -> None:
    _, out = exported
    raw = (out / "claims.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel decodes UTF-8 only with the BOM
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == list(export.columns())
    assert "statistic_value" in rows[0] and "reviewed_date" in rows[0]
    by_id = {row["id"]: row for row in rows}
    assert set(by_id) == {"example-claim", "formula-claim", "old-claim"}
    assert by_id["example-claim"]["statistic_value"] == "37"
    assert by_id["example-claim"]["reported_in"] == "article-a"
    assert by_id["formula-claim"]["statement"] == '\'=HYPERLINK("http://evil.example","x") and more'
    assert by_id["formula-claim"]["caveats"] == "First caveat. · Second: the formula is technical terms."
    assert b"\n" not in raw.replace(b"\r\n", b"")  # no line break inside a cell
    assert by_id["formula-claim"]["statistic_as_stated"] == "37 percent"
    assert by_id["old-claim"]["status"] == "retired"
    assert by_id["old-claim"]["retired_date"] == "2026-02-01"


def test_references_bib_is_copied_unchanged(exported: tuple[Project, Path]) -> None:
    project, out = exported
    assert (out / "references.bib").read_bytes() == (project.root / "references.bib").read_bytes()


def test_references_as_csl_json(exported: tuple[Project, Path]) -> None:
    _, out = exported
    items = {i["id"]: i for i in json.loads((out / "references.csl.json").read_text(encoding="utf-8"))}
    assert list(items) == ["article-a", "smith-2020", "survey-b"]
    assert {i["type"] for i in items.values()} <= CSL_TYPES
    assert items["smith-2020"] == {
        "id": "smith-2020",
        "citation-key": "smith-2020",
        "type": "article-journal",
        "author": [
            {"family": "Müller", "given": "Anna"},
            {"family": "Cruz", "given": "José", "non-dropping-particle": "de la"},
            {"literal": "World Health Organization"},
        ],
        "title": "Exercise for Low Back Pain: a Trial",
        "container-title": "Spine",
        "volume": "45",
        "page": "100-110",
        "DOI": "10.1097/BRS.0000000000001234",
        "issue": "3",
        "issued": {"date-parts": [[2020, 3]]},
    }
    assert items["article-a"]["type"] == "webpage"
    assert items["article-a"]["container-title"] == "Example Health Site"
    assert items["article-a"]["author"] == [{"literal": "Example Health Site"}]
    assert items["survey-b"]["genre"] == "Survey"


def test_export_refuses_invalid_content(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    project = mini_project(tmp_path / "p", claims=[claim_data(source="no-such-key")])
    result = run_export(project.root, tmp_path / "out")
    assert result.returncode == 1
    assert "nothing written" in result.stderr
    assert "no-such-key" in result.stderr
    assert not (tmp_path / "out").exists()


def test_real_site_data_page_links_every_download(real_site: Project) -> None:
    page = BeautifulSoup(real_site.html("data/index.html"), "html.parser")
    links = {a.get_text(strip=True): a["href"] for a in page.select(".ev-downloads a[download]")}
    assert list(links) == list(export.FILES)
    for name, href in links.items():
        target = (real_site.root / "site" / "data" / href).resolve()
        assert target.is_file(), name
    corpus, _ = load_corpus(REPO)
    assert (
        real_site.root.joinpath("site/data/claims.json").read_bytes()
        == export.export_files(corpus)["claims.json"]
    )
    assert "Cite this page" in page.get_text()


def test_csl_holds_the_cited_references_and_the_bib_all(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    uncited = "\n@misc{uncited-entry,\n  howpublished = {Nobody cites this},\n}\n"
    project = mini_project(tmp_path / "p", bib=BIB + uncited)
    result = run_export(project.root, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    items = json.loads((tmp_path / "out" / "references.csl.json").read_text(encoding="utf-8"))
    assert [i["id"] for i in items] == ["article-a", "survey-b"]
    assert b"@misc{uncited-entry," in (tmp_path / "out" / "references.bib").read_bytes()
