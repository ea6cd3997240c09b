"""A synthetic evidence project of any size, for benchmarks: seeded and deterministic.

It writes a complete project that builds with the real site code: the repository's own
mkdocs.yml (only its `nav:` block is replaced by the generated pages), macros/, templates,
assets and schema, plus N claims over M references and a references.bib that may hold
many more entries than are cited (a shared bibliography).

    python benchmarks/generate.py OUT --claims 1000 [--refs 1000] [--bib-size 20000] [--seed 7]
        [--shape friendly|realistic|cards]

Three shapes: "friendly" (the default) gives each claim its own reference and ten claims a
page; "realistic" (shapes.py) puts 100–1,000 claims on a topic and rests 10–30% of all
claims on each of a few big sources, with a Zipf-like tail (default refs: claims / 10);
"cards" (cards.py) is the real site, its own pages and content, with its claims cloned to
N and each clone's card placed right after its original's (four topic pages of about
N / 4 cards, the real references; --refs, --bib-size and --seed do not apply).

Same arguments (including --reviewed-by-date, which defaults to the first day of the
current month so review dates never look stale) → the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import math
import random
import re
import shutil
import zlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from cards import generate_cards
from shapes import Layout, realistic

from evidence.load.reading import GRADE_LIMIT, grade

REPO = Path(__file__).resolve().parents[1]
CLAIMS_PER_PAGE = 10  # as in the issue: 1,000 claims on 100 pages
MAX_TOPICS = 500  # content/topics.yml must stay under the YAML reader's size limit
PAGES_PER_AREA = 10

# Surnames and given names with the LaTeX accents real .bib files carry.
SURNAMES = [
    r"M{\"u}ller",
    r"Garc{\'\i}a",
    r"Nu{\~n}ez",
    r"Andr{\'e}",
    r"Sch{\"o}n",
    r"J{\o}rgensen",
    r"Ko{\v{c}}i",
    r"Bront{\"e}",
    r"Fran{\c{c}}ois",
    r"{\O}stergaard",
    r"L{\'o}pez",
    r"Gr{\"u}nwald",
    "Smith",
    "Chen",
    "Okafor",
    "Nakamura",
    "Williams",
    "Patel",
    "Kowalski",
    "Haddad",
    "Lindqvist",
    "O'Brien",
    "Rossi",
    "Dubois",
    "Kim",
    "Fern{\\'a}ndez",
    "Hansen",
    "Ivanova",
    "Tanaka",
    "Moreau",
]
GIVEN = [
    r"J{\"o}rg",
    r"Ren{\'e}e",
    r"Jos{\'e}",
    r"Zo{\"e}",
    r"Fran{\c{c}}oise",
    "Anna",
    "Wei",
    "Chidi",
    "Yuki",
    "Sarah",
    "Ravi",
    "Piotr",
    "Layla",
    "Erik",
    "Siobhan",
    "Marco",
    "Claire",
    "Min-jun",
    "Olga",
    "Hiro",
    "A. K.",
    "M.",
]
JOURNALS = [
    "Spine",
    "BMJ Open",
    "The Lancet",
    "Physical Therapy",
    "Journal of Orthopaedic {\\&} Sports Physical Therapy",
    "European Spine Journal",
    "Pain",
    "Cochrane Database of Systematic Reviews",
    "Archives of Physical Medicine and Rehabilitation",
    "Clinical Rehabilitation",
    "The Spine Journal",
    "Journal of Back and Musculoskeletal Rehabilitation",
]
SUBJECTS = [
    "low back pain",
    "chronic back pain",
    "lumbar disc herniation",
    "spinal stenosis",
    "sciatica",
    "non-specific neck and back pain",
    "post-operative rehabilitation",
    "acute back pain in primary care",
]
INTERVENTIONS = [
    "exercise therapy",
    "motor control exercise",
    "manual therapy",
    "spinal manipulation",
    "graded activity",
    "core stabilization",
    "McKenzie therapy",
    "pilates",
    "cognitive functional therapy",
    "early physical therapy",
]
DESIGNS = [
    "a randomized controlled trial",
    "a systematic review and meta-analysis",
    "a prospective cohort study",
    "a cross-sectional survey",
    "a pragmatic trial",
]
OUTCOMES = [
    "pain intensity",
    "disability",
    "return to work",
    "opioid use",
    "health care costs",
    "recurrence at one year",
    "quality of life",
    "patient satisfaction",
]
POPULATIONS = [
    "Adults with chronic low back pain",
    "Working-age adults in primary care",
    "Patients after lumbar discectomy",
    "Older adults with spinal stenosis",
    "Survey respondents in the United States",
    "Office workers",
    "Patients referred to physical therapy",
]
KINDS = [
    "systematic-review",
    "randomized-trial",
    "cohort-study",
    "survey",
    "institutional-statement",
    "expert-opinion",
    "narrative-article",
]
WORDS = [
    "patients",
    "therapy",
    "exercise",
    "pain",
    "function",
    "outcome",
    "trial",
    "effect",
    "group",
    "week",
    "months",
    "year",
    "program",
    "session",
    "therapist",
    "clinician",
    "spine",
    "lumbar",
    "movement",
    "strength",
    "load",
    "recovery",
    "improvement",
    "follow-up",
    "baseline",
    "evidence",
    "review",
    "quality",
    "adherence",
    "risk",
    "benefit",
]
RESEARCH_KINDS = {"systematic-review", "randomized-trial", "cohort-study"}  # as evidence/certainty.py
RATED_DOWN = ["risk-of-bias", "inconsistency", "indirectness", "imprecision", "publication-bias"]
REVIEWERS = ["A. Editor", "B. Reviewer", "C. Checker", "D. Methodologist"]


@dataclass(frozen=True)
class Spec:
    """What to generate; the defaults give one reference per claim, all cited."""

    claims: int
    refs: int | None = None
    bib_size: int | None = None
    seed: int = 7
    reviewed_by: dt.date | None = None
    shape: str = "friendly"  # or "realistic" (shapes.py) or "cards" (cards.py)

    def __post_init__(self) -> None:
        if self.shape not in SHAPES:
            raise ValueError(f"unknown shape {self.shape!r}: use one of {', '.join(SHAPES)}")

    @property
    def n_refs(self) -> int:
        if self.refs is not None:
            return self.refs
        return self.claims if self.shape == "friendly" else max(1, self.claims // 10)

    @property
    def layout(self) -> Layout | None:
        """Topic and sources of each claim in the realistic shape (None: friendly)."""
        if self.shape != "realistic":
            return None
        return _layout(self.seed, self.claims, self.n_refs)

    @property
    def n_bib(self) -> int:
        return max(self.bib_size or 0, self.n_refs)

    @property
    def per_page(self) -> int:
        return max(CLAIMS_PER_PAGE, math.ceil(self.claims / MAX_TOPICS))

    @property
    def n_topics(self) -> int:
        layout = self.layout
        if layout is not None:
            return layout.n_topics
        return max(1, math.ceil(self.claims / self.per_page))

    @property
    def review_anchor(self) -> dt.date:
        return self.reviewed_by or dt.date.today().replace(day=1)


SHAPES = ("friendly", "realistic", "cards")


@functools.cache
def _layout(seed: int, claims: int, n_refs: int) -> Layout:
    return realistic(seed, claims, n_refs)


# -- references ----------------------------------------------------------------
def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)}, {rng.choice(GIVEN)}"


def _title(rng: random.Random) -> str:
    return (
        f"{rng.choice(INTERVENTIONS).capitalize()} for {rng.choice(SUBJECTS)}: "
        f"{rng.choice(DESIGNS)} of {rng.choice(OUTCOMES)}"
    )


def bib_entry(rng: random.Random, key: str) -> str:
    """One realistic entry: mostly journal articles, some books, reports and web pages."""
    authors = " and ".join(_person(rng) for _ in range(rng.randint(3, 6)))
    year = rng.randint(1995, 2025)
    prefix, journal = rng.randint(1000, 9999), rng.choice(["spine", "bmj", "ptj", "pain"])
    doi = f"10.{prefix}/{journal}.{year}.{rng.randint(100, 99999)}"
    kind = rng.random()
    if kind < 0.8:
        fields = [
            ("author", authors),
            ("title", _title(rng)),
            ("journal", rng.choice(JOURNALS)),
            ("year", str(year)),
            ("volume", str(rng.randint(1, 60))),
            ("number", str(rng.randint(1, 12))),
            ("pages", f"{(p := rng.randint(1, 900))}--{p + rng.randint(4, 20)}"),
            ("doi", doi),
        ]
        entry_type = "article"
    elif kind < 0.9:
        fields = [
            ("author", authors),
            ("title", _title(rng)),
            ("publisher", rng.choice(["Elsevier", "Springer", "Wiley", "Oxford University Press"])),
            ("address", rng.choice(["Amsterdam", "Berlin", "Hoboken", "Oxford"])),
            ("year", str(year)),
            ("doi", doi),
        ]
        entry_type = "book"
    elif kind < 0.95:
        fields = [
            ("author", authors),
            ("title", _title(rng)),
            ("institution", rng.choice(["Cochrane", "NICE", "World Health Organization"])),
            ("year", str(year)),
            ("url", f"https://example.org/reports/{key}"),
        ]
        entry_type = "techreport"
    else:
        fields = [
            ("author", "{" + rng.choice(["Example Health Site", "Spine Society", "Clinic News"]) + "}"),
            ("title", _title(rng)),
            ("howpublished", "Web article"),
            ("year", str(year)),
            ("url", f"https://example.org/articles/{key}"),
        ]
        entry_type = "online"
    if zlib.crc32(key.encode()) % 3 == 0:  # a third as biblatex exports write them
        entry_type, fields = _biblatex(key, entry_type, fields)
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{key},\n{body},\n}}\n"


#: BibTeX field → its biblatex name (Zotero's Better BibLaTeX, JabRef's biblatex mode).
_BIBLATEX_NAMES = {"journal": "journaltitle", "address": "location"}


def _biblatex(key: str, entry_type: str, fields: list[tuple[str, str]]) -> tuple[str, list[tuple[str, str]]]:
    """The same entry in biblatex's data model: an ISO date, journaltitle, location, a PubMed
    eprint, \\emph in the title, @report for @techreport. Derived from the key, so the
    random stream (and every other entry) is the same as before."""
    salt = zlib.crc32(key.encode())
    out = []
    for name, value in fields:
        if name == "year":
            out.append(("date", f"{value}-{salt % 12 + 1:02d}-{salt % 28 + 1:02d}"))
        elif name == "title" and salt % 2:
            first, _, rest = value.partition(" ")
            out.append(("title", f"\\emph{{{first}}} {rest}"))
        else:
            out.append((_BIBLATEX_NAMES.get(name, name), value))
    if entry_type == "article":
        pmid = str(10_000_000 + salt % 30_000_000)
        out += [("eprint", pmid), ("eprinttype", "pubmed"), ("langid", "english")]
    if entry_type == "techreport":
        entry_type, out = "report", [*out, ("type", "techreport")]
    return entry_type, out


def ref_key(i: int) -> str:
    return f"ref{i:05d}"


# -- claims --------------------------------------------------------------------
def topic_id(t: int) -> str:
    return f"topic-{t:04d}"


def claim_id(i: int) -> str:
    return f"claim-{i:05d}"


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def claim_data(rng: random.Random, spec: Spec, i: int) -> dict:
    """Claim i: its topic by position, its source chosen so every reference is cited
    (friendly), or both as the realistic layout says."""
    m, layout = spec.n_refs, spec.layout
    source = ref_key(layout.sources[i] if layout else i % m)
    intervention, subject = rng.choice(INTERVENTIONS), rng.choice(SUBJECTS)
    data: dict = {
        "id": claim_id(i),
        "topic": topic_id(layout.topics[i] if layout else i // spec.per_page),
        "title": f"{intervention.capitalize()} and {rng.choice(OUTCOMES)} in {subject}",
        "statement": (
            f"In {rng.choice(DESIGNS)}, {intervention} was associated with better "
            f"{rng.choice(OUTCOMES)} than usual care for people with {subject}. {_words(rng, 12)}."
        ),
    }
    if rng.random() < 0.7:
        value = rng.randint(5, 95)
        data["statistic"] = {
            "as_stated": f"{value} percent",
            "value": value,
            "unit": "percent",
            "population": rng.choice(POPULATIONS),
            "year": rng.randint(2000, 2025),
        }
    data["source"] = source
    if layout:
        if (reported := layout.reported[i]) is not None:
            data["reported_in"] = ref_key(reported)
    # Claims past the first m, and a third of the rest, name where the study was reported.
    elif m > 1 and (i >= m or rng.random() < 0.3):
        other = ref_key((i + 1 + rng.randrange(m - 1)) % m)
        if other != source:
            data["reported_in"] = other
    data["quote"] = {"text": _words(rng, rng.randint(8, 25)), "locator": f"paragraph {rng.randint(1, 40)}"}
    data["evidence"] = {"kind": rng.choice(KINDS), "primary_checked": rng.random() < 0.5}
    data["certainty"] = {"level": "very-low", "reasons": [{"domain": "indirectness", "note": "Generated."}]}
    data["certainty"] = certainty(rng, data["evidence"])
    if "reported_in" in data:  # an article's claim names its primary check (no rng: same claims)
        if data["evidence"]["primary_checked"]:
            data["primary_check"] = {
                "verdict": "confirms",
                "primary": source,
                "quote": {
                    "text": data["quote"]["text"],
                    "locator": data["quote"]["locator"],
                    "url": "https://example.org/primary",
                    "accessed": spec.review_anchor.isoformat(),
                },
                "checked": {"date": spec.review_anchor.isoformat(), "by": "Generated"},
            }
        else:
            data["primary_check"] = {"verdict": "not-yet-checked"}
            data["certainty"] = {
                "level": "very-low",
                "reasons": [{"domain": "indirectness", "note": "Generated."}],
            }
    if rng.random() < 0.6:
        data["caveats"] = [
            _words(rng, rng.randint(6, 14)).capitalize() + "." for _ in range(rng.randint(1, 3))
        ]
    if any(grade(data[field]) > GRADE_LIMIT for field in ("title", "statement")):
        # what a contributor writes when a text cannot be plainer (load/reading.py): without
        # it every such claim is a warning, which `--strict` builds must not have
        data.setdefault("caveats", []).append("Generated text: its technical terms are random words.")
    anchor = spec.review_anchor
    data["reviewed"] = {
        "date": (anchor - dt.timedelta(days=rng.randint(0, 360))).isoformat(),
        "by": rng.choice(REVIEWERS),
    }
    return data


def certainty(rng: random.Random, evidence: dict) -> dict:
    """A GRADE level the rules allow: above low only for checked research; a reason below high."""
    research = evidence["kind"] in RESEARCH_KINDS
    if research and evidence["primary_checked"]:
        level = rng.choice(["high", "moderate", "low"])
    else:
        level = rng.choice(["low", "very-low"])
    if level == "high":
        return {"level": level}
    domain = rng.choice(RATED_DOWN) if research else "not-research"
    return {"level": level, "reasons": [{"domain": domain, "note": _words(rng, 8).capitalize() + "."}]}


def claim_yaml(data: dict) -> str:
    header = "# yaml-language-server: $schema=../../schema/claim.schema.json\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


# -- site code and pages -------------------------------------------------------
def replace_block(text: str, key: str, block: str) -> str:
    """Replace the top-level `key:` block of a YAML file, keeping every other byte."""
    pattern = re.compile(rf"^{re.escape(key)}:.*?(?=^[A-Za-z_\"'][^\n]*:|\Z)", re.MULTILINE | re.DOTALL)
    if not pattern.search(text):
        return text.rstrip("\n") + "\n\n" + block
    return pattern.sub(lambda _m: block + "\n", text, count=1)


def configure_evidence(text: str, options: dict[str, str]) -> str:
    """Set options of the `evidence` plugin in mkdocs.yml text (it may have none yet)."""
    if not options:
        return text
    lines = "".join(f"      {k}: {v}\n" for k, v in options.items())
    bare = re.compile(r"^(\s*)- evidence\s*$\n", re.MULTILINE)
    if bare.search(text):
        return bare.sub(lambda m: f"{m.group(1)}- evidence:\n{lines}", text, count=1)
    configured = re.compile(r"^(\s*)- evidence:\s*$\n", re.MULTILINE)
    if configured.search(text):
        return configured.sub(lambda m: f"{m.group(1)}- evidence:\n{lines}", text, count=1)
    raise ValueError("mkdocs.yml lists no `evidence` plugin")


def copy_site_code(dest: Path) -> None:
    """The real site's configuration, macros, templates and assets (as tests/helpers.py does)."""
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(REPO / "macros", dest / "macros", ignore=ignore)
    shutil.copytree(REPO / "docs" / "assets", dest / "docs" / "assets")
    for extra in ("overrides", "hooks"):  # theme overrides and hooks, if the site has them
        if (REPO / extra).is_dir():
            shutil.copytree(REPO / extra, dest / extra, ignore=ignore)
    shutil.copytree(REPO / "content" / "schema", dest / "content" / "schema")
    if (REPO / "content" / "site.yml").is_file():  # who wrote and reviewed the site
        text = (REPO / "content" / "site.yml").read_text(encoding="utf-8")
        # the red-flag box cites one of the real site's references, which is not generated here
        text = re.sub(r"(?ms)^safety:\n(?:[ #].*?\n|\n)*", "", text)
        (dest / "content" / "site.yml").write_text(text, encoding="utf-8")


def nav(spec: Spec) -> list:
    areas = []
    topics = list(range(spec.n_topics))
    for a in range(0, len(topics), PAGES_PER_AREA):
        group = topics[a : a + PAGES_PER_AREA]
        areas.append(
            {f"Area {a // PAGES_PER_AREA + 1}": [{f"Topic {t + 1}": f"{topic_id(t)}.md"} for t in group]}
        )
    return [
        {"Home": "index.md"},
        {"Evidence": areas},
        {"All claims": "claims.md"},
        {"References": "references.md"},
        {"About": [{"Methodology": "methodology.md"}, {"Disclaimer": "disclaimer.md"}]},
    ]


def _prose(rng: random.Random, sentences: int) -> str:
    out = []
    for _ in range(sentences):
        out.append(_words(rng, rng.randint(10, 20)).capitalize() + ".")
    return " ".join(out)


#: Above each paragraph of generated page prose: its random words read far above grade 10
#: (page-reading-grade, a warning that fails the strict build), as claims say in a caveat.
EXPLAINED = "<!-- technical terms: generated text, its words are random -->\n"


def _page_prose(rng: random.Random, sentences: int) -> str:
    return EXPLAINED + _prose(rng, sentences)


def pages(rng: random.Random, spec: Spec, claims: list[dict]) -> dict[str, str]:
    """docs/*.md: topic pages list their claims; some prose cites references directly."""
    by_topic: dict[str, list[dict]] = {}
    for c in claims:
        by_topic.setdefault(c["topic"], []).append(c)
    out: dict[str, str] = {}
    for t in range(spec.n_topics):
        tid = topic_id(t)
        own = by_topic.get(tid, [])
        cites = "".join(f'{{{{ cite("{c["source"]}") }}}}' for c in own[:2])
        out[f"{tid}.md"] = (
            f"# Topic {t + 1}\n\n{_page_prose(rng, 3)}{cites}\n\n## What the sources say\n\n"
            f'{_page_prose(rng, 2)}\n\n{{{{ claims("{tid}") }}}}\n'
        )
    featured = "\n\n".join(f'{{{{ claim("{c["id"]}") }}}}' for c in claims[:4])
    out["index.md"] = f"# Synthetic evidence site\n\n{_page_prose(rng, 4)}\n\n## Key numbers\n\n{featured}\n"
    out["claims.md"] = "# All claims\n\nEvery active claim in one table.\n\n{{ claims_table() }}\n"
    out["references.md"] = "# References\n\nEvery cited document.\n\n{{ bibliography() }}\n"
    method_cites = "".join(f'{{{{ cite("{ref_key(i)}") }}}}' for i in range(min(5, spec.n_refs)))
    out["methodology.md"] = (
        f"# Methodology\n\n{_page_prose(rng, 6)}{method_cites}\n\n"
        f"## Kinds of evidence\n\n{_page_prose(rng, 4)}\n"
    )
    out["disclaimer.md"] = f"# Disclaimer\n\n{_page_prose(rng, 5)}\n"
    return out


def topics_yml(spec: Spec) -> str:
    topics = [
        {
            "id": topic_id(t),
            "title": f"Topic {t + 1}",
            "description": f"Claims of synthetic topic {t + 1}.",
            "page": f"{topic_id(t)}.md",
        }
        for t in range(spec.n_topics)
    ]
    header = "# yaml-language-server: $schema=schema/topics.schema.json\n"
    return header + yaml.safe_dump({"topics": topics}, sort_keys=False)


def generate(out: Path, spec: Spec) -> Path:
    """Write the project into `out` (which must not exist yet); return `out`."""
    if spec.shape == "cards":  # the real site, cloned: nothing here is generated
        return generate_cards(out, spec.claims)
    if spec.n_refs > spec.claims or spec.n_refs < 1:
        raise ValueError("refs must be between 1 and the number of claims, so every reference is cited")
    if out.exists():
        raise FileExistsError(out)
    rng = random.Random(spec.seed)
    copy_site_code(out)
    mkdocs = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    # the browser editor (/admin/) is the same copy of Decap's files whatever the content:
    # off here, as in tests/helpers.py's mini projects (it would need node_modules)
    mkdocs = re.sub(r"(?m)^(\s*)- evidence:\n\s+editor: true\n", r"\1- evidence\n", mkdocs, count=1)
    mkdocs = replace_block(mkdocs, "nav", yaml.safe_dump({"nav": nav(spec)}, sort_keys=False))
    if spec.n_bib > spec.n_refs:  # a shared bibliography: uncited entries are expected
        mkdocs = configure_evidence(mkdocs, {"unused_references": "ignore"})
    (out / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
    (out / "content" / "topics.yml").write_text(topics_yml(spec), encoding="utf-8")

    claims = [claim_data(rng, spec, i) for i in range(spec.claims)]
    for data in claims:
        path = out / "content" / "claims" / data["topic"] / f"{data['id']}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(claim_yaml(data), encoding="utf-8")

    # Cited entries are ref00000..; uncited ones ("unc…") are interleaved among them.
    keys = [ref_key(i) for i in range(spec.n_refs)]
    keys += [f"unc{i:05d}" for i in range(spec.n_bib - spec.n_refs)]
    rng.shuffle(keys)
    bib = "\n".join(bib_entry(rng, key) for key in keys)
    (out / "references.bib").write_text(bib, encoding="utf-8")

    for name, text in pages(rng, spec, claims).items():
        (out / "docs" / name).write_text(text, encoding="utf-8")
    (out / "benchmark.json").write_text(
        json.dumps(
            {
                "shape": spec.shape,
                "claims": spec.claims,
                "refs": spec.n_refs,
                "bib_entries": spec.n_bib,
                "topics": spec.n_topics,
                "seed": spec.seed,
                "reviewed_by": spec.review_anchor.isoformat(),
                **shape_facts(spec),
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return out


def shape_facts(spec: Spec) -> dict:
    """What the shape gave: claims per topic and the biggest sources' shares of all claims."""
    layout = spec.layout
    if layout is None:
        return {}
    sizes = [layout.topics.count(t) for t in range(layout.n_topics)]
    shares = layout.citing_shares(spec.n_refs)
    return {
        "claims_per_topic": {"min": min(sizes), "max": max(sizes)},
        "top_source_shares": [round(s, 4) for s in shares[:5]],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path, help="folder to create")
    parser.add_argument("--claims", type=int, required=True)
    parser.add_argument("--refs", type=int, help="cited references (default: one per claim)")
    parser.add_argument("--bib-size", type=int, help="entries in references.bib (default: --refs)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--shape", choices=SHAPES, default="friendly", help="see shapes.py, cards.py")
    parser.add_argument(
        "--reviewed-by-date",
        type=dt.date.fromisoformat,
        help="latest review date (default: first day of this month)",
    )
    args = parser.parse_args(argv)
    spec = Spec(args.claims, args.refs, args.bib_size, args.seed, args.reviewed_by_date, args.shape)
    generate(args.out, spec)
    if spec.shape == "cards":
        print(f"wrote {args.out}: the real site's claims cloned to {spec.claims}")
        return 0
    print(
        f"wrote {args.out}: {spec.claims} {spec.shape} claims on {spec.n_topics} topics, "
        f"{spec.n_refs} cited of {spec.n_bib} references"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
