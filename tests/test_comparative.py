"""Issue 21 on a mini site (tests/evidence_site/): comparative results, recommendations,
definitions and primary-source verdicts, checked, built and read back from the HTML, the
effect plots' SVG, the downloads and the schema."""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
from pathlib import Path

import jsonschema
import pytest
from bs4 import BeautifulSoup
from helpers import REVIEWED, Project, claim_yaml, mini_project
from pydantic import ValidationError

from evidence.content.model import Claim
from evidence.load.reading import page_reading

SITE = Path(__file__).parent / "evidence_site"
VERDICTS = ["confirms", "qualifies", "contradicts", "not-found", "not-yet-checked"]


def lay_site(root: Path) -> Project:
    """The mini project with the evidence site's claims, references and topic page."""
    project = mini_project(root)
    bib = root / "references.bib"  # the mini project's entries (article-a, survey-b, …) and ours
    bib.write_text(
        bib.read_text(encoding="utf-8") + "\n" + (SITE / "references.bib").read_text(), encoding="utf-8"
    )
    shutil.copy(SITE / "docs" / "benefits.md", root / "docs" / "benefits.md")
    for path in sorted((SITE / "content").rglob("*.yml")):
        text = path.read_text(encoding="utf-8").replace("@REVIEWED@", REVIEWED)
        project.write(path.relative_to(SITE).as_posix(), text)
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = lay_site(tmp_path_factory.mktemp("comparative"))
    checked = project.check("--strict")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    done = project.build()
    assert done.returncode == 0, done.stderr
    return project


def soup(project: Project, page: str) -> BeautifulSoup:
    return BeautifulSoup(project.html(page), "html.parser")


def text(node) -> str:
    return node.get_text(" ", strip=True)


# -- the summary of findings ------------------------------------------------------------


@pytest.mark.slow
def test_results_table_has_cochranes_columns_and_words(built: Project) -> None:
    page = soup(built, "benefits/index.html")
    table = page.select_one("table.ev-sof__results")
    assert [text(th) for th in table.select("thead th")] == [
        "Outcome",
        "Comparison group",
        "Difference (interval)",
        "№ of participants (studies)",
        "Certainty",
        "What this means",
    ]
    review = table.select_one("#sof-row-review-exercise-pain")
    cells = {td["data-label"]: text(td) for td in review.find_all("td")}
    # grouped as Cochrane's tables are (issue 23): one row names the comparison and the
    # population, and the outcome cell holds only outcome, scale and time point
    assert text(review.th) == "Pain (visual analogue scale, 0–100; lower is better; at 12 weeks)"
    group = review.find_parent("tbody")
    assert text(group.select_one("tr.ev-sof__section th[scope=colgroup]")) == (
        "Exercise therapy compared with usual care Population: Adults with chronic low back pain"
    )
    assert [tr["id"] for tr in group.select("tr[id]")] == [
        "sof-row-review-exercise-pain",
        "sof-row-trial-exercise-pain-year",
    ]
    others = [
        text(tr.th) for t in table.select("tbody") if t is not group for tr in t.select("tr.ev-sof__section")
    ]
    assert others == ["Exercise compared with no exercise Population: Workers off sick with back pain"]
    assert cells["Comparison group"] == "mean 50 points"
    assert cells["Difference (interval)"] == (
        "15.2 points better (12.1 to 18.3 better; 95% CI) on a 0–100 scale (visual analogue scale)"
    )
    assert cells["№ of participants (studies)"] == "9,588 (139 studies)"
    assert cells["Certainty"].startswith("⊕⊕⊕◯ Moderate")
    assert "The estimate reaches the minimal important difference (15 points" in cells["What this means"]
    assert "the interval includes smaller differences" in cells["What this means"]
    # two reasons: two footnote markers, separated so they read as "1, 2", never "12"
    sup = review.select_one("sup.ev-sof__ref")
    assert sup.get_text() == "1, 2"
    assert [a["aria-label"] for a in sup.select("a")] == ["Reason 1", "Reason 2"]

    trial = {td["data-label"]: text(td) for td in table.select_one("#sof-row-trial-exercise-pain-year")("td")}
    assert trial["Difference (interval)"].startswith("5 points better (11 better to 1 worse; 95% CI)")
    assert trial["№ of participants (studies)"] == "240 (1 study)"
    assert trial["Comparison group"] == "not given"  # another row of the table gives one
    assert "interval" in trial["What this means"]

    cohort = {td["data-label"]: text(td) for td in table.select_one("#sof-row-cohort-return-to-work")("td")}
    assert cohort["Comparison group"] == "500 per 1,000"
    assert cohort["Difference (interval)"] == (
        "RR 1.3 (95% CI 1.1 to 1.6): better with exercise; 150 more per 1,000 (50 more to 300 more)"
    )
    assert (
        "The estimate reaches the minimal important difference (RR 1.25 or 0.8" in cohort["What this means"]
    )


@pytest.mark.slow
def test_a_comparison_group_column_no_source_fills_is_left_out(tmp_path: Path) -> None:
    project = lay_site(tmp_path)
    claims = project.root / "content" / "claims" / "benefits"
    review = claims / "review-exercise-pain.yml"
    review.write_text(review.read_text(encoding="utf-8").replace("    comparator_mean: 50\n", ""))
    cohort = claims / "cohort-return-to-work.yml"
    text_ = cohort.read_text(encoding="utf-8")
    start = text_.index("  per_1000:\n")
    end = text_.index("source:", start)
    cohort.write_text(text_[:start] + text_[end:], encoding="utf-8")
    done = project.build()
    assert done.returncode == 0, done.stderr
    table = soup(project, "benefits/index.html").select_one("table.ev-sof__results")
    heads = [text(th) for th in table.select("thead th")]
    assert heads == [
        "Outcome",
        "Difference (interval)",
        "№ of participants (studies)",
        "Certainty",
        "What this means",
    ]
    assert "ev-sof__results--no-comparator" in table["class"]
    assert not table.select('td[data-label="Comparison group"]')
    assert {td["colspan"] for td in table.select("tr.ev-sof__plot-row td")} == {"5"}
    assert {th["colspan"] for th in table.select("th[scope=colgroup]")} == {"5"}
    for row in table.select("tbody tr[id]"):  # every row as wide as the head
        assert len(row.find_all(["th", "td"])) == len(heads), row["id"]


@pytest.mark.slow
def test_other_tables_hold_recommendations_and_articles_and_no_definition(built: Project) -> None:
    page = soup(built, "benefits/index.html")
    recs = page.select("table.ev-sof__recommendations tbody tr")
    assert [r["id"] for r in recs] == ["sof-row-guideline-offer-exercise"]
    cells = [text(td) for td in recs[0]("td")]
    assert cells == [
        "Example Guideline Body, 2016",
        "Strong recommendation for",
        "low to moderate quality evidence",
    ]
    assert text(page.select_one(".ev-sof__subtitle")) == (
        "What the articles claim, and what we found when we checked"
    )
    claims = page.select_one("table.ev-sof__claims")
    rows = claims.select("tr[data-verdict]")
    assert [r["data-verdict"] for r in rows] == VERDICTS
    found = {r["data-verdict"]: text(r.select_one("td.ev-sof__verdict")) for r in rows}
    assert found["contradicts"].startswith("We read the source the article cites: it does not support this.")
    assert "most people had seen someone" in found["contradicts"]
    assert found["not-yet-checked"] == "We have not yet read the source the article cites."
    assert page.select_one("#sof-row-chronic-pain-meaning") is None  # no certainty: in no table


# -- the plots ----------------------------------------------------------------------------


def _axis(svg) -> tuple[callable, bool]:
    """The x of a value, read back from the tick labels the plot prints (two suffice)."""
    ticks = [(float(t.get_text().replace("−", "-")), float(t["x"])) for t in svg.select("text.ev-plot__tick")]
    log = svg.find_parent("figure").has_attr("data-log-scale")
    (v1, x1), (v2, x2) = ticks[0], ticks[-1]
    f = math.log if log else (lambda v: v)

    def x(value: float) -> float:
        return x1 + (f(value) - f(v1)) * (x2 - x1) / (f(v2) - f(v1))

    return x, log


@pytest.mark.slow
def test_forest_plot_puts_each_number_where_the_axis_says(built: Project) -> None:
    page = soup(built, "benefits/index.html")
    plots = page.select("tr.ev-sof__plot-row svg.ev-plot__svg")
    assert len(plots) == 2  # pain (two results: a forest plot) and return to work
    pain, work = plots
    x, log = _axis(pain)
    assert not log
    rows = pain.select("g.ev-plot__row")
    assert [r["data-claim"] for r in rows] == ["review-exercise-pain", "trial-exercise-pain-year"]
    for row, (est, low, high) in zip(rows, [(-15.2, -18.3, -12.1), (-5, -11, 1)], strict=True):
        mark = row.select_one("rect.ev-plot__estimate")
        assert float(mark["x"]) + float(mark["width"]) / 2 == pytest.approx(x(est), abs=0.6)
        ci = row.select_one("line.ev-plot__ci")
        assert float(ci["x1"]) == pytest.approx(x(low), abs=0.6)
        assert float(ci["x2"]) == pytest.approx(x(high), abs=0.6)
    null = pain.select_one("line.ev-plot__null")
    assert float(null["x1"]) == pytest.approx(x(0), abs=0.6)
    mids = sorted(float(m["x1"]) for m in pain.select("line.ev-plot__mid"))
    assert mids == pytest.approx([x(-15), x(15)], abs=0.6)
    assert text(pain.select_one(".ev-plot__favours--left")) == "← Favours exercise therapy"
    assert text(pain.select_one(".ev-plot__favours--right")) == "Favours usual care →"
    desc = text(pain.select_one("desc"))
    assert "15.2 points better (12.1 to 18.3 better; 95% CI)" in desc
    assert "5 points better (11 better to 1 worse; 95% CI)" in desc
    assert (
        "favours exercise therapy on the left" in desc and "minimal important difference (15 points)" in desc
    )
    assert pain["role"] == "img" and pain["aria-labelledby"].split() == [
        pain.select_one("title")["id"],
        pain.select_one("desc")["id"],
    ]

    x, log = _axis(work)
    assert log  # a ratio: log scale, no effect at 1
    mark = work.select_one("rect.ev-plot__estimate")
    assert float(mark["x"]) + 5 == pytest.approx(x(1.3), abs=0.6)
    ci = work.select_one("line.ev-plot__ci")
    assert (float(ci["x1"]), float(ci["x2"])) == pytest.approx((x(1.1), x(1.6)), abs=0.6)
    assert float(work.select_one("line.ev-plot__null")["x1"]) == pytest.approx(x(1), abs=0.6)
    # higher is better: the intervention's side is the right
    assert text(work.select_one(".ev-plot__favours--right")) == "Favours exercise →"


@pytest.mark.slow
def test_cards_show_results_recommendations_definitions_and_verdicts(built: Project) -> None:
    page = soup(built, "benefits/index.html")
    card = page.select_one("#claim-review-exercise-pain")
    assert card.select_one("svg.ev-plot__svg") is not None
    assert "15.2 points better" in text(card.select_one(".ev-result__difference"))
    # every GRADE domain named on a card is explained, and links to the glossary
    for domain in card.select("a.ev-certainty__domain"):
        assert domain["title"] and domain["href"].endswith(
            "#certainty-" + domain["href"].split("#certainty-")[1]
        )
    definition = page.select_one("#claim-chronic-pain-meaning")
    assert definition.select_one(".ev-certainty") is None
    assert "no certainty rating" in text(definition)
    assert "truth may be quite different" not in text(definition)
    rec = page.select_one("#claim-guideline-offer-exercise")
    said = text(rec.select_one(".ev-rec"))
    assert said.startswith("Strong recommendation for") and "by Example Guideline Body (2016)" in said
    assert "The guideline rates the evidence: low to moderate quality evidence." in said
    assert rec.select_one(".ev-certainty") is None
    for verdict in VERDICTS:
        found = page.select_one(f"#claim-article-{verdict} .ev-verdict")
        assert found["class"][-1] == f"ev-verdict--{verdict}"
    contra = page.select_one("#claim-article-contradicts .ev-verdict")
    assert "Most respondents had seen a doctor or therapist." in text(contra)
    assert "https://example.org/survey" in text(contra)


@pytest.mark.slow
def test_claim_pages_say_checked_or_not_only_where_true(built: Project) -> None:
    def primary(claim_id: str) -> str:
        review = soup(built, f"claims/{claim_id}/index.html").select_one("dl.ev-review")
        terms = [text(dt) for dt in review("dt")]
        return text(review("dd")[terms.index("Primary source")])

    assert primary("article-confirms") == "Checked by the editors: it confirms the claim"
    assert primary("article-not-yet-checked").startswith("Not yet checked by the editors")
    assert primary("article-contradicts") == "We read the source the article cites: it does not support this."
    for claim_id in ("review-exercise-pain", "chronic-pain-meaning", "guideline-offer-exercise"):
        assert primary(claim_id).startswith("Read directly")
    # and the card on the claim page shows the verdict next to the article's claim
    page = soup(built, "claims/article-qualifies/index.html")
    assert "it says something narrower" in text(page.select_one(".ev-verdict"))


# -- downloads, JSON-LD, schema ------------------------------------------------------------


@pytest.mark.slow
def test_downloads_and_jsonld_carry_every_new_field(built: Project) -> None:
    claims = {c["id"]: c for c in json.loads((built.root / "site" / "data" / "claims.json").read_text())}
    review = claims["review-exercise-pain"]["result"]
    assert review["effect"] == {
        "measure": "MD",
        "estimate": -15.2,
        "ci_low": -18.3,
        "ci_high": -12.1,
        "ci_level": 95.0,
        "comparator_mean": 50.0,
        "intervention_group": None,
        "comparator_group": None,
    }
    assert review["mid"] == {"value": 15.0, "set_by": "a consensus of back pain researchers"}
    assert claims["article-not-found"]["primary_check"]["verdict"] == "not-found"
    assert claims["guideline-offer-exercise"]["recommendation"]["strength"] == "strong"
    assert claims["chronic-pain-meaning"]["certainty"] is None

    raw = (built.root / "site" / "data" / "claims.csv").read_bytes().decode("utf-8-sig")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(raw))}
    row = rows["review-exercise-pain"]
    assert row["kind"] == "finding"
    assert row["result_question_scale_high"] == "100"
    assert row["result_effect_ci_low"] == "-18.3" and row["result_participants"] == "9588"
    assert row["result_mid_set_by"] == "a consensus of back pain researchers"
    assert rows["cohort-return-to-work"]["result_per_1000_intervention"] == "650"
    assert rows["article-contradicts"]["primary_check_quote_url"] == "https://example.org/survey"
    assert rows["guideline-offer-exercise"]["recommendation_body"] == "Example Guideline Body"

    page = soup(built, "benefits/index.html")
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    parts = {p["identifier"]: p for p in data["hasPart"]}
    effect = next(
        p for p in parts["review-exercise-pain"]["about"]["additionalProperty"] if p.get("propertyID") == "MD"
    )
    assert (effect["value"], effect["minValue"], effect["maxValue"]) == (-15.2, -18.3, -12.1)
    verdicts = {
        cid: next(p["value"] for p in part["additionalProperty"] if p["name"] == "primary source verdict")
        for cid, part in parts.items()
        if cid.startswith("article-")
    }
    assert verdicts == {f"article-{v}": v for v in VERDICTS}


def _schema() -> jsonschema.Draft202012Validator:
    path = Path(__file__).resolve().parents[1] / "content" / "schema" / "claim.schema.json"
    return jsonschema.Draft202012Validator(json.loads(path.read_text()))


def _fixture(name: str) -> dict:
    import yaml

    text = (
        (SITE / "content" / "claims" / "benefits" / f"{name}.yml").read_text().replace("@REVIEWED@", REVIEWED)
    )
    return yaml.safe_load(text)


@pytest.mark.parametrize(
    ("name", "change", "valid"),
    [
        ("review-exercise-pain", lambda d: None, True),
        ("chronic-pain-meaning", lambda d: None, True),
        ("guideline-offer-exercise", lambda d: None, True),
        ("article-contradicts", lambda d: None, True),
        ("chronic-pain-meaning", lambda d: d.update(certainty={"level": "high"}), False),
        ("guideline-offer-exercise", lambda d: d.pop("recommendation"), False),
        ("review-exercise-pain", lambda d: d.pop("certainty"), False),
        ("article-contradicts", lambda d: d.pop("primary_check"), False),
        ("review-exercise-pain", lambda d: d.update(primary_check={"verdict": "confirms"}), False),
        ("review-exercise-pain", lambda d: d["result"].update(participants=95.5), False),
        ("review-exercise-pain", lambda d: d["result"]["question"].pop("better"), False),
        ("review-exercise-pain", lambda d: d["result"]["effect"].update(measure="mean-diff"), False),
    ],
)
def test_schema_and_model_agree_on_the_new_kinds(name: str, change, valid: bool) -> None:
    data = _fixture(name)
    change(data)
    assert _schema().is_valid(json.loads(json.dumps(data, default=str))) is valid
    try:
        Claim.model_validate(data)
        model_ok = True
    except ValidationError:
        model_ok = False
    assert model_ok is valid


# -- check: the rules, each at its line ------------------------------------------------------

BAD = [
    (
        "review-exercise-pain",
        lambda d: d["result"]["effect"].update(estimate=-20),
        "result-interval",
        "estimate",
    ),
    ("cohort-return-to-work", lambda d: d["result"]["effect"].update(ci_low=-0.5), "result-ratio", "ci_low"),
    ("review-exercise-pain", lambda d: d["result"]["question"].pop("scale"), "result-scale", "outcome"),
    ("cohort-return-to-work", lambda d: d["result"]["mid"].update(value=0.8), "result-mid", "value"),
    ("article-contradicts", lambda d: d["primary_check"].pop("note"), "primary-check-note", "verdict"),
    ("article-contradicts", lambda d: d["certainty"].update(level="low"), "primary-check-certainty", "level"),
    ("article-confirms", lambda d: d["primary_check"].pop("quote"), "primary-check-incomplete", "verdict"),
    (
        "article-not-found",
        lambda d: d["evidence"].update(primary_checked=True),
        "primary-check-mismatch",
        "primary_checked",
    ),
    (
        "chronic-pain-meaning",
        lambda d: d.update(certainty={"level": "very-low", "reasons": []}),
        "claim-kind-fields",
        "level",
    ),
    ("article-qualifies", lambda d: d.pop("primary_check"), "primary-check-missing", "reported_in"),
    ("review-exercise-pain", lambda d: d["result"].update(studies=2.5), "schema-invalid", "studies"),
]


@pytest.mark.slow
def test_check_reports_each_rule_at_the_line_to_change(tmp_path: Path) -> None:
    project = lay_site(tmp_path)
    for name, change, rule, key in BAD:
        data = _fixture(name)
        change(data)
        path = project.write(f"content/claims/benefits/{name}.yml", claim_yaml(data))
        out = project.check().stdout
        line = next(
            (
                n
                for n, row in enumerate(path.read_text().splitlines(), 1)
                if row.lstrip().startswith(f"{key}:")
            ),
            None,
        )
        wanted = f"content/claims/benefits/{name}.yml:{line}:"
        assert any(r.startswith(wanted) and r.endswith(f"[{rule}]") for r in out.splitlines()), (rule, out)
        project.write(f"content/claims/benefits/{name}.yml", claim_yaml(_fixture(name)))


# -- reading grade of hand-written prose --------------------------------------------------------


def test_page_prose_is_graded_at_its_line_and_macros_are_not() -> None:
    hard = (
        "Notwithstanding considerable methodological heterogeneity, multidisciplinary biopsychosocial "
        "rehabilitation demonstrated statistically significant improvements in functional capacity."
    )
    text = f'# Title\n\nShort words here. We like them.\n\n{{{{ findings("benefits") }}}}\n\n{hard}\n'
    found = page_reading(text, "docs/benefits.md", 0)
    assert [(p.path, p.line, p.rule) for p in found] == [("docs/benefits.md", 7, "page-reading-grade")]
    assert page_reading(text, "docs/benefits.md", 10)[0].line == 17
    explained = text.replace(hard, "<!-- technical terms: rehabilitation -->\n" + hard)
    assert page_reading(explained, "docs/benefits.md", 0) == []
