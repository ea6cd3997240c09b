"""Contributor text stays inert on the built site: nothing in any page can run or navigate away.

The real site is scanned page by page (tests/helpers.py `scan_site`), then a mini project
with a hostile payload in every contributor field: each field is refused with a located
problem, or built, scanned and found whole as text (visible, or in the JSON-LD when the
field is shown only there), never evaluated (`{{ 7*7 }}` is never `49`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import (
    BIB,
    REPO,
    Project,
    claim_data,
    copy_real_project,
    editor_scripts,
    live_markup,
    mini_project,
    scan_site,
)

from evidence.content import markup
from evidence.core.problems import Severity
from evidence.load.corpus import Settings, load_corpus

pytestmark = pytest.mark.filterwarnings("ignore::bs4.MarkupResemblesLocatorWarning")
TODAY = dt.datetime.now(dt.UTC).date()
PINNED = {
    "SOURCE_DATE_EPOCH": str(int(dt.datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=dt.UTC).timestamp()))
}

PAYLOADS = {
    "plain": "plain words",
    "script": "<script>alert(1)</script>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "md-js-link": "[x](javascript:alert(1))",
    "md-attr-link": "[x](onmouseover=alert(49)//)",
    "jinja-expr": "{{ 7*7 }}",
    "jinja-raw": "{% raw %}",
    "jinja-comment": "{# c",
    "template-literal": "${7*7}",
    "abbr": "*[x]: y",
    "html-comment": "<!--",
    "cdata-end": "]]>",
    "entity": "&lt;script&gt;",
    "svg-breakout": '"><svg onload=alert(1)>',
    "entity-colon": "javascript&#58;alert(1)",
    "backticks": "`x` ``y``",
    "pipes": "| a | b |",
}
CLAIM_FIELDS = [
    "title",
    "statement",
    "caveats",
    "quote.text",
    "quote.locator",
    "statistic.as_stated",
    "statistic.population",
    "reviewed.by",
]
MARKDOWN_FIELDS = {"statement", "caveats"}
#: Each BibTeX field in an entry type whose style (AMA 11th ed.) shows it: an organization as
#: a web page's site, an address as where a talk was given (AMA leaves out a publisher's place).
BIB_FIELDS = {
    "title": "misc",
    "author": "misc",
    "journal": "article",
    "note": "misc",
    "url": "misc",
    "howpublished": "misc",
    "organization": "online",
    "publisher": "book",
    "booktitle": "inproceedings",
    "editor": "book",
    "address": "unpublished",
}
SITE_FIELDS = ["authors.name", "authors.role", "reviewers.name", "disclosure.funding", "about.name"]
TOPIC_FIELDS = ["title", "description"]
#: Accepted fields that no page shows, even as plain words (the "plain" case proves the rest show).
NOT_SHOWN = {"authors.role"}
#: A located problem in the build's log: ours (path:line:col) or MkDocs' (a page by name).
FOUND = re.compile(r"([\w./-]+):(\d+):\d+: (?:error|warning): (.*)$", re.MULTILINE)
MKDOCS_FOUND = re.compile(r"WARNING -  Doc file '([^']+)' (.*)$", re.MULTILINE)
#: What LaTeX itself makes of some ASCII (BibTeX's documented typography, not a loss).
LATEX_LIGATURES = [("{", ""), ("}", ""), ("---", "—"), ("--", "–"), ("``", "“"), ("''", "”")]


def marked(slot: str, text: str) -> str:
    """The payload between markers Markdown and BibTeX leave alone, to find the slot again."""
    return f"⟦{slot}⟧ {text} ⟦/{slot}⟧"


def slug(field: str) -> str:
    """A field as a claim id: `statistic.as_stated` → `statistic-as-stated`."""
    return re.sub(r"[._]", "-", field)


def squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
def test_the_real_site_has_nothing_live(tmp_path: Path) -> None:
    project = copy_real_project(tmp_path)
    result = project.build()
    assert result.returncode == 0, result.stderr
    pages = sorted((project.root / "site").rglob("*.html"))
    assert len(pages) > 50  # every claim page, the 404 page, the topic pages
    # mkdocs.yml turns the browser editor on: its page is scanned too, its two scripts allowed
    assert (project.root / "site" / "admin" / "index.html") in pages
    assert scan_site(project.root / "site") == []


def test_the_scan_allows_the_editors_scripts_on_its_page_only(tmp_path: Path) -> None:
    """admin/index.html may load exactly the editor's two scripts, each the very file the
    plugin copies; any other script there, a changed copy, or the same script on another
    page is reported."""
    site = tmp_path / "site"
    (tmp_path / "mkdocs.yml").write_text("site_url: https://example.org/x/\n")
    shipped = editor_scripts()
    for rel, source in shipped.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, site / rel)
    (site / "admin" / "decap" / "1.decap-cms.js").write_text("alert(1)")
    (site / "admin" / "other.js").write_text("alert(1)")
    (site / "assets").mkdir()
    (site / "assets" / "evidence.js").write_text("ours")
    admin = site / "admin" / "index.html"
    good = '<script src="evidence-editor.js"></script><script src="decap/decap-cms.js"></script>'
    assert live_markup(good, admin, site, []) == []
    for bad in (
        '<script src="other.js"></script>',
        '<script src="decap/1.decap-cms.js"></script>',
        '<script src="../assets/evidence.js"></script>',  # not the editor's
        "<script>alert(1)</script>",
        '<script src="evidence-editor.js" type="module"></script>',
    ):
        assert live_markup(bad, admin, site, []), bad
    elsewhere = site / "index.html"
    assert live_markup('<script src="admin/evidence-editor.js"></script>', elsewhere, site, [])
    (site / "admin" / "decap" / "decap-cms.js").write_text("alert(1)")  # not what npm installed
    assert live_markup(good, admin, site, [])


def test_the_scan_sees_each_kind_of_live_markup(tmp_path: Path) -> None:
    """The scanner itself can fail: each planted construct is reported."""
    site = tmp_path / "site"
    site.mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_url: https://example.org/x/\n")
    planted = [
        "<p onclick=x>",
        '<a href=" JaVa\tscript:alert(1)">',
        '<img srcset="a.png 1x, data:image/svg+xml,x 2x">',
        '<svg><a xlink:href="javascript:x"></a></svg>',
        "<iframe></iframe>",
        "<object></object>",
        "<embed>",
        "<base href=x>",
        '<meta http-equiv="Refresh" content="0;url=x">',
        "<form action=x></form>",
        "<script>alert(1)</script>",
        '<script src="https://evil.example/x.js"></script>',
        '<script type="application/ld+json">{"a": </script>',
        '<button formaction="vbscript:x">',
        "<style>body { background: url(https://evil.example/x) }</style>",
        '<style media="print">@page { @bottom-left { content: "a"; } } body { color: red }</style>',
        '<style media="print">@page { @bottom-left { content: "a\\"; } }</style>',
    ]
    for n, html in enumerate(planted):
        page = site / f"{n}.html"
        page.write_text(html)
        assert live_markup(html, page, site, []), html


# -- a mini project with a payload in every contributor field -------------------
def hostile_project(root: Path, payload: str) -> Project:
    claims = []
    for field in CLAIM_FIELDS:
        data = claim_data(f"f-{slug(field)}")
        value = marked(field, payload)
        if field == "caveats":
            data["caveats"] = [value]
        elif "." in field:
            outer, inner = field.split(".")
            data[outer] = {**data[outer], inner: value}
        else:
            data[field] = value
        claims.append(data)
    bib = []
    for field, kind in BIB_FIELDS.items():
        fields = {
            "title": f"Entry {field}",
            "author": "{Org}",
            "year": "2020",
            "journal": "J",
            "booktitle": "B",
        }
        fields["publisher"] = "P"
        value = marked(f"bib.{field}", payload)
        fields[field] = f"https://example.org/?q={value}" if field == "url" else value
        if field in ("author", "editor"):  # braced: one corporate name, not first and last
            fields[field] = f"{{{value}}}"
        if field == "editor":  # the style shows an editor only where there is no author
            del fields["author"]
        if field == "address":  # a talk: Presented at: Meeting; place
            fields["eventtitle"] = "M"
        body = "".join(f"  {name} = {{{text}}},\n" for name, text in fields.items())
        bib.append(f"@{kind}{{b-{field},\n{body}}}\n")
        claims.append(claim_data(f"c-b-{field}", source=f"b-{field}"))
    project = mini_project(root, claims=claims, bib=BIB + "\n" + "\n".join(bib))
    topics = yaml.safe_load((root / "content/topics.yml").read_text())
    for field in TOPIC_FIELDS:
        topics["topics"][0][field] = marked(f"topic.{field}", payload)
    project.write("content/topics.yml", yaml.safe_dump(topics, sort_keys=False, allow_unicode=True))
    site = yaml.safe_load((root / "content/site.yml").read_text())
    site["authors"][0].update(name=marked("authors.name", payload), role=marked("authors.role", payload))
    site["reviewers"][0]["name"] = marked("reviewers.name", payload)
    site["disclosure"]["funding"] = [marked("disclosure.funding", payload)]
    site["about"][0]["name"] = marked("about.name", payload)
    project.write("content/site.yml", yaml.safe_dump(site, sort_keys=False, allow_unicode=True))
    methodology = f"# Methodology\n\n{marked('docs', payload)}\n\nA line of prose.\n"
    project.write("docs/methodology.md", methodology)
    return project


def slots_of(path: str) -> list[str]:
    """The planted slots a refused file (or BibTeX entry key) held."""
    name = Path(path).stem
    if name.startswith("f-"):
        return [next(f for f in CLAIM_FIELDS if slug(f) == name[2:])]
    if name.startswith("c-b-") or path.startswith("b-"):
        return [f"bib.{name.split('b-', 1)[1]}"]
    if path == "content/topics.yml":
        return [f"topic.{f}" for f in TOPIC_FIELDS]
    if path == "content/site.yml":
        return SITE_FIELDS
    return ["docs"] if path.startswith("docs/") else []


def drop_refused(project: Project, refused: dict[str, str]) -> None:
    """Take out what the loader refuses (recording why), until the rest loads clean."""
    for _ in range(6):
        _, problems = load_corpus(project.root, Settings(today=TODAY))
        errors = [p for p in problems if p.severity is Severity.error]
        if not errors:
            return
        for p in errors:
            assert p.line >= 1 and p.rule, p.format()
            target = project.root / p.path
            if p.path.startswith("content/claims/") and target.exists():
                refused.update(dict.fromkeys(slots_of(p.path), p.format()))
                target.unlink()
            elif p.path == "references.bib":
                continue  # all at once below: dropping one entry moves the lines of the rest
            elif p.path in ("content/topics.yml", "content/site.yml"):
                refused.update(dict.fromkeys(slots_of(p.path), p.format()))
                shutil.copy(REPO / p.path, target)
            else:
                pytest.fail(f"refused where no field was planted: {p.format()}")
        bib = [p for p in errors if p.path == "references.bib"]
        for key in drop_entries_at(project, [p.line for p in bib]) if bib else []:
            why = " | ".join(p.format() for p in bib if f"'{key}'" in p.message)
            refused.update(dict.fromkeys(slots_of(key) or [key], why))
    pytest.fail(f"still refused after dropping: {refused}")


def drop_entries_at(project: Project, at: list[int]) -> list[str]:
    """Remove the BibTeX entries holding these lines, and the claims that cite them."""
    lines = (project.root / "references.bib").read_text().splitlines(keepends=True)
    starts = [n for n, text in enumerate(lines) if text.startswith("@")]
    chosen = {max([n for n in starts if n < line] or starts[:1]) for line in at}
    keys, kept, start = [], [], None
    for n, text in enumerate(lines):
        if n in starts:
            start = n
            if n in chosen:
                keys.append(re.match(r"@\w+\{([^,]*),", text)[1])  # type: ignore[index]
        if start not in chosen:
            kept.append(text)
    project.write("references.bib", "".join(kept))
    for key in keys:
        for claim in (project.root / "content/claims").rglob(f"c-{key}.yml"):
            claim.unlink()
    return keys


def build_what_is_accepted(project: Project, refused: dict[str, str]) -> None:
    """Build; a build error must name a file and line: the docs page is then put back plain."""
    for _ in range(3):
        result = project.build(env=PINNED)
        if result.returncode == 0:
            assert "Traceback" not in result.stderr, result.stderr
            return
        located = FOUND.findall(result.stderr)
        located += [(f"docs/{page}", "0", why) for page, why in MKDOCS_FOUND.findall(result.stderr)]
        assert located, f"the build failed without naming a file:\n{result.stderr[-3000:]}"
        assert "Traceback" not in result.stderr, result.stderr[-3000:]
        for path, _line, message in located:
            refused.update(dict.fromkeys(slots_of(path) or [path], f"{path}:{_line}: {message}"))
            if path.startswith("docs/"):
                project.write(path, "# Methodology\n\nPlain prose.\n")
            elif path.startswith("content/claims/"):
                (project.root / path).unlink(missing_ok=True)
            else:
                pytest.fail(f"the build refused a file the loader accepted: {path}: {message}")
    pytest.fail(f"the build still fails: {refused}")


def json_strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in json_strings(v)]
    return [squeeze(value)] if isinstance(value, str) else []


def shown_text(site: Path) -> tuple[str, str]:
    """Visible text of every page (scripts left out), and every string of their JSON-LD."""
    visible, data = [], []
    for path in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for script in soup.find_all("script", type="application/ld+json"):
            data += json_strings(json.loads(script.string))
        for tag in soup.find_all(["script", "style", "head"]):
            tag.decompose()
        visible.append(squeeze(soup.get_text()))
    return "\n".join(visible), "\n".join(data)


def expected_text(slot: str, payload: str) -> str:
    """What a reader must see: the text itself, or what the Markdown of a claim leaves."""
    text = marked(slot, payload)
    if slot in MARKDOWN_FIELDS:
        text = BeautifulSoup(str(markup.render(text)), "html.parser").get_text()
    if slot.startswith("bib."):  # braces group in BibTeX: they never show
        for latex, shown in LATEX_LIGATURES:
            text = text.replace(latex, shown)
    return squeeze(text)


@pytest.mark.slow
@pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))
def test_a_payload_in_every_field_is_refused_or_inert_and_whole(tmp_path: Path, payload: str) -> None:
    project = hostile_project(tmp_path, payload)
    refused: dict[str, str] = {}
    drop_refused(project, refused)
    build_what_is_accepted(project, refused)
    print(f"\nREFUSED {payload!r}: {json.dumps(refused, indent=1, ensure_ascii=False)}")
    site = project.root / "site"
    assert scan_site(site) == []

    visible, data = shown_text(site)
    lost = []
    slots = [*CLAIM_FIELDS, *(f"bib.{f}" for f in BIB_FIELDS), *(f"topic.{f}" for f in TOPIC_FIELDS)]
    for slot in [*slots, *SITE_FIELDS, "docs"]:
        if slot in refused or slot in NOT_SHOWN:
            continue
        region = re.findall(rf"⟦{re.escape(slot)}⟧(.*?)⟦/{re.escape(slot)}⟧", visible + "\n" + data)
        if slot == "docs":  # a page's Markdown and HTML are the author's: only never evaluated
            if "7*7" in payload and any("49" in r for r in region):
                lost.append(f"docs: evaluated: {region}")
            continue
        wanted = expected_text(slot, payload)
        if wanted not in visible and wanted not in squeeze(data):
            lost.append(f"{slot}: wanted {wanted!r}, shown {region[:2]!r}")
    assert lost == [], "\n".join(lost)
