"""Properties over generated claim files and BibTeX entries (hypothesis), and no silent loss.

- Whatever bytes a claim file or references.bib holds, loading gives a corpus and the
  project's own Problems (file, line, column), never another exception.
- No `<` or `"` from contributor data reaches the HTML unescaped: rendered through the real
  Renderer and templates, every field reads back as the text it was.
- Every accepted claim is on its topic page exactly once; nothing is lost on the way from
  files to pages, the claims table and data/claims.json.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import BIB, REPO, Project, claim_data, claim_yaml, mini_project
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from evidence.bib.library import load_library
from evidence.content import markup, yamlsafe
from evidence.content.model import Claim
from evidence.core.problems import Problem, Severity
from evidence.core.urls import doc_url
from evidence.load.corpus import Corpus, Settings, load_corpus
from evidence.load.loader import LoadedClaim
from evidence.render.renderer import Renderer

#: One "today" for loading and for builds (the plugin reads SOURCE_DATE_EPOCH); the fixture
#: claims are reviewed 30 days before it (helpers.REVIEWED), so they are never stale.
TODAY = dt.datetime.now(dt.UTC).date()
SETTINGS = Settings(today=TODAY)
PINNED = {
    "SOURCE_DATE_EPOCH": str(int(dt.datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=dt.UTC).timestamp()))
}
TEMPLATES = REPO / "evidence" / "render" / "templates"
CLAIM = "content/claims/burden/example-claim.yml"
# generated text such as 'x.org' makes BeautifulSoup wonder whether it was given a URL
pytestmark = pytest.mark.filterwarnings("ignore::bs4.MarkupResemblesLocatorWarning")
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that tries to be markup, template code, a link or an attribute break-out.
PIECES = [*"<>\"'&*_[]()!:/\\{}%#`=@ \tabcXYZ09é\u00a0", "javascript:", "https://example.org/x?a=1&b=2"]
PIECES += ["<script>", "</p>", "{{", "}}", "{%", "](", "**", "&#60;", '" onmouseover="', "<img src=x>"]
hostile = st.lists(st.sampled_from(PIECES), min_size=1, max_size=20).map("".join).filter(str.strip)
yaml_chars = st.sampled_from([*"-:?,[]{}#&*!|>'\"%@`\\ \n\t\r.0123456789eEaxyz~", "\ufeff", "\u202e", "\x00"])


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """One mini project whose files each example overwrites (loading only, no build)."""
    return mini_project(tmp_path_factory.mktemp("scratch"))


def assert_own_problems(problems: list[Problem]) -> None:
    for p in problems:
        assert isinstance(p, Problem), p
        assert p.line >= 1 and p.col >= 1, p.format()
        assert p.message and p.rule, p.format()


# -- loading: only our Problems, never a crash ---------------------------------
@FAST
@given(st.one_of(st.text(max_size=300), st.lists(yaml_chars, max_size=120).map("".join)))
def test_yaml_reader_returns_a_document_or_a_yaml_problem(text: str) -> None:
    try:
        yamlsafe.read(text)
    except yamlsafe.YamlProblem as exc:
        assert exc.line >= 1 and exc.col >= 1 and exc.rule.startswith("yaml-")


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), hostile, st.dates().map(str), st.just("")
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile, inner, max_size=3),
    max_leaves=6,
)
FIELDS = ["id", "topic", "title", "statement", "statistic", "source", "reported_in", "quote"]
FIELDS += ["evidence", "caveats", "reviewed", "status", "retired", "extra"]


@st.composite
def claim_files(draw: st.DrawFn) -> bytes:
    """A claim file: a valid one with fields replaced or dropped, mangled text, or any bytes."""
    data = claim_data()
    for name in draw(st.lists(st.sampled_from(FIELDS), max_size=4, unique=True)):
        if draw(st.booleans()):
            data.pop(name, None)
        else:
            data[name] = draw(values)
    text = claim_yaml(data)
    how = draw(st.sampled_from(["dump", "mangle", "bytes"]))
    if how == "mangle":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.lists(yaml_chars, max_size=8).map("".join)) + text[at:]
    if how == "bytes":
        return draw(st.binary(max_size=200))
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"])), "replace")


@FAST
@given(claim_files())
def test_any_claim_file_loads_or_reports_our_problems(scratch: Project, raw: bytes) -> None:
    (scratch.root / CLAIM).write_bytes(raw)
    corpus, problems = load_corpus(scratch.root, SETTINGS)
    assert_own_problems(problems)
    accepted = any(lc.path == CLAIM for lc in corpus.loaded.values())
    assert accepted or [p for p in problems if p.path == CLAIM and p.severity is Severity.error]


bib_text = st.lists(st.sampled_from([*PIECES, "{", "}", "\\", '\\"o', "\\'e", " and ", ",", "#", "@misc{"]))
FIELD_NAMES = ["title", "author", "editor", "note", "howpublished", "year", "journal", "url", "doi"]


@st.composite
def bib_entries(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["misc", "online", "article", "book", "weird"]))
    key = draw(st.sampled_from(["gen-a", "gen_b", "Gen9", "bad key", "x/y"]))
    lines = [f"@{kind}{{{key},"]
    for name in draw(st.lists(st.sampled_from(FIELD_NAMES), max_size=5)):
        value = "".join(draw(bib_text))
        lines.append(draw(st.sampled_from([f"  {name} = {{{value}}},", f'  {name} = "{value}",'])))
    return "\n".join([*lines, "}"]) + "\n"


@FAST
@given(st.lists(bib_entries(), min_size=1, max_size=3))
def test_any_bibtex_entry_loads_or_names_itself(
    scratch: Project, base_corpus: Corpus, entries: list[str]
) -> None:
    path = scratch.root / "generated.bib"  # beside the project's own references.bib
    path.write_text(BIB + "\n" + "\n".join(entries), encoding="utf-8")
    library, problems = load_library(path, "references.bib")
    assert_own_problems(problems)
    renderer = Renderer(dataclasses.replace(base_corpus, library=library), TEMPLATES)
    page = renderer.page("index.md", "")
    for ref in library.references.values():
        try:
            html, text, label = ref.html, ref.text, ref.label
        except Exception:  # the library must have named this entry at its line
            assert [p for p in problems if p.line == ref.line and p.severity is Severity.error], ref.key
            continue
        assert isinstance(label, str) and isinstance(text, str)
        for tag in BeautifulSoup(str(html), "html.parser").find_all(True):
            assert tag.name in {"span", "em", "strong", "sub", "sup", "a"}, (ref.key, str(html))
            if tag.name == "a":  # the style's DOI, PubMed and URL links: http(s) only
                assert set(tag.attrs) == {"href", "rel"} and tag["rel"] == ["noopener"], (ref.key, str(html))
                assert markup.allowed_url(tag["href"]), (ref.key, str(html))
            else:
                assert set(tag.attrs) <= {"class"}, (ref.key, str(html))
        cite = BeautifulSoup(str(renderer.cite(page, ref.key)), "html.parser").select_one("a")
        assert cite is not None and cite["title"] == text  # the tooltip: every '"' stayed inside


# -- rendering: contributor text is never markup -----------------------------
@pytest.fixture(scope="module")
def base_corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    corpus, problems = load_corpus(mini_project(tmp_path_factory.mktemp("base")).root, SETTINGS)
    assert [p for p in problems if p.severity is Severity.error] == []
    return corpus


short = hostile.filter(lambda s: len(s.strip()) <= 300)


def fenced(n: int, text: str) -> str:
    """`text` between markers that Markdown leaves alone, to find it again in the HTML."""
    return f"⟦{n}⟧{text.strip()}⟦/{n}⟧"


@st.composite
def hostile_claims(draw: st.DrawFn, claim_id: str = "generated-claim", topic: str = "burden") -> Claim:
    data = claim_data(claim_id, topic)
    data.update(title=fenced(1, draw(short)), statement=fenced(2, draw(hostile)))
    data["caveats"] = [fenced(3 + i, text) for i, text in enumerate(draw(st.lists(hostile, max_size=2)))]
    data["statistic"].update(as_stated=fenced(5, draw(short)), population=fenced(6, draw(short)))
    words = hostile.filter(lambda s: 0 < len(s.split()) <= 30)
    data["quote"] = {"text": fenced(7, draw(words)), "locator": fenced(8, draw(short))}
    data["reviewed"]["by"] = fenced(9, draw(short))
    try:
        return Claim.model_validate(data)
    except ValidationError:
        assume(False)
        raise


def text_of(element: object) -> str:
    assert element is not None
    return element.get_text()  # type: ignore[attr-defined]


#: Tags our templates write, and the three the claim Markdown may add.
TEMPLATE_TAGS = {
    tag.lower() for f in TEMPLATES.glob("*.html") for tag in re.findall(r"<([A-Za-z]\w*)", f.read_text())
}
TEMPLATE_TAGS |= {"em", "strong", "a"}
#: What markup.render may write around contributor text.
ALLOWED_MARKUP = re.compile(r'</?(em|strong)>|</a>|<a href="[^"<>]*"( title="[^"<>]*")? rel="[a-z ]+">')


@FAST
@given(hostile_claims())
def test_every_field_of_a_rendered_claim_reads_back_as_text(base_corpus: Corpus, claim: Claim) -> None:
    path = "content/claims/burden/generated-claim.yml"
    loaded = {claim.id: LoadedClaim(claim, path, yamlsafe.Document({}))}
    corpus = dataclasses.replace(base_corpus, loaded=loaded)
    renderer = Renderer(corpus, TEMPLATES)
    page = renderer.page("burden.md", "burden/")
    html = str(renderer.claims(page, "burden")) + str(renderer.page_footer(page))

    for n, region in re.findall(r"⟦(\d)⟧(.*?)⟦/\1⟧", html, flags=re.DOTALL):  # every copy of every field
        if n in "234":  # the Markdown fields: only the tags markup.render writes
            region = ALLOWED_MARKUP.sub("", region)
        assert "<" not in region and '"' not in region and ">" not in region, (n, region)
    soup = BeautifulSoup(html, "html.parser")
    card = soup.select_one(f"#claim-{claim.id}")
    assert text_of(card.select_one("h3")) == claim.title
    assert card.select_one("a.ev-card__link")["aria-label"] == f"Link to this claim: {claim.title}"
    assert text_of(card.select_one(".ev-stat__number")) == claim.statistic.as_stated  # type: ignore[union-attr]
    assert text_of(card.select_one("blockquote")) == f"“{claim.quote.text}”"
    assert text_of(card.select_one(".ev-quote__locator")) == claim.quote.locator
    statement = card.select_one(".ev-card__statement")
    for sup in statement.select("sup"):
        sup.decompose()
    expected = BeautifulSoup(str(markup.render(claim.statement)), "html.parser").get_text()
    assert statement.get_text() == expected
    for tag in soup.find_all(True):
        assert tag.name in TEMPLATE_TAGS, tag.name
        assert not [name for name in tag.attrs if name.lower().startswith("on") or name == "style"]
        if tag.name == "a":
            assert urlsplit(tag["href"]).scheme in ("", "http", "https"), tag["href"]
    for cite in soup.select("sup.ev-cite a"):
        assert cite["title"] == corpus.library[cite["href"].removeprefix("#ref-")].text


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["burden", "benefits", "shortfalls", "surgery"]), st.booleans())))
def test_a_topic_list_holds_each_active_claim_once(base_corpus: Corpus, plan: list[tuple[str, bool]]) -> None:
    loaded = dict(base_corpus.loaded)
    for n, (topic, retired) in enumerate(plan):
        extra = {"status": "retired", "retired": {"reason": "Superseded.", "date": "2026-02-01"}}
        if not retired:
            extra = {}
        claim = Claim.model_validate(claim_data(f"claim-{n}", topic, **extra))
        loaded[claim.id] = LoadedClaim(claim, f"content/claims/{topic}/{claim.id}.yml", yamlsafe.Document({}))
    renderer = Renderer(dataclasses.replace(base_corpus, loaded=loaded), TEMPLATES)
    for topic in base_corpus.topics:
        html = renderer.claims(renderer.page(f"{topic}.md", f"{topic}/"), topic)
        soup = BeautifulSoup(str(html), "html.parser")
        shown = [card["id"].removeprefix("claim-") for card in soup.select("article.ev-card")]
        wanted = [cid for cid, lc in sorted(loaded.items()) if lc.claim.topic == topic and lc.claim.active]
        assert shown == wanted


# -- whole sites: accepted claims are all there, once ------------------------
def topic_cards(project: Project) -> dict[str, list[str]]:
    """Topic id → ids of the claim cards on its page, in page order."""
    topics = yaml.safe_load((project.root / "content" / "topics.yml").read_text())["topics"]
    found = {}
    for topic in topics:
        html = project.html(doc_url(topic["page"]) + "index.html")
        cards = BeautifulSoup(html, "html.parser").select("article.ev-card")
        found[topic["id"]] = [card["id"].removeprefix("claim-") for card in cards]
    return found


def table_rows(project: Project) -> list[str]:
    rows = BeautifulSoup(project.html("claims/index.html"), "html.parser").select("table.ev-table tbody tr")
    return [row["id"].removeprefix("row-") for row in rows]


def published_ids(project: Project) -> list[str]:
    return [item["id"] for item in json.loads((project.root / "site/data/claims.json").read_text())]


@pytest.mark.slow
@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_generated_site_shows_every_accepted_claim_once(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    project = mini_project(tmp_path_factory.mktemp("generated"))
    topics = ["burden", "benefits", "shortfalls", "surgery"]
    for n in range(14):
        raw = claim_data(f"generated-{n:02d}", data.draw(st.sampled_from(topics)))
        replaced = st.lists(st.sampled_from(["title", "statement", "caveats", "quote"]), max_size=2)
        for name in data.draw(replaced):
            raw[name] = data.draw(values)
        project.write_claim(raw)
    _, problems = load_corpus(project.root, SETTINGS)
    rejected = {p.path for p in problems if p.severity is Severity.error}
    for path in rejected:
        (project.root / path).unlink()
    corpus, problems = load_corpus(project.root, SETTINGS)
    assert [p for p in problems if p.severity is Severity.error] == []
    accepted = {cid: lc.claim.topic for cid, lc in corpus.loaded.items()}

    result = project.build(env=PINNED)
    assert result.returncode == 0, result.stderr
    cards = topic_cards(project)
    for topic, ids in cards.items():
        assert sorted(ids) == sorted(cid for cid, t in accepted.items() if t == topic)
        assert len(ids) == len(set(ids))
    assert sorted(table_rows(project)) == sorted(accepted)
    assert sorted(published_ids(project)) == sorted(accepted)
    for path in rejected:
        assert Path(path).stem not in json.dumps(cards)


@pytest.mark.slow
def test_no_claim_is_lost_between_files_and_site(tmp_path: Path) -> None:
    """60 claims across the four topics: every one on its page, in the table and in claims.json."""
    topics = ["burden", "benefits", "shortfalls", "surgery"]
    planted = {f"planted-{topic}-{n:02d}": topic for topic in topics for n in range(15)}
    # each title its own, in plain words: an id such as planted-benefits-14 reads at school
    # grade 26 (claim-reading-grade, a warning that fails the --strict build)
    claims = [
        claim_data(cid, topic, title=f"Planted claim {cid[-2:]} on {topic}") for cid, topic in planted.items()
    ]
    project = mini_project(tmp_path, claims=[claim_data(), *claims])
    planted["example-claim"] = "burden"

    result = project.build(env=PINNED)
    assert result.returncode == 0, result.stderr
    cards = topic_cards(project)
    assert {topic: sorted(ids) for topic, ids in cards.items()} == {
        topic: sorted(cid for cid, t in planted.items() if t == topic) for topic in topics
    }
    assert sum(len(ids) for ids in cards.values()) == len(planted) == 61
    assert sorted(table_rows(project)) == sorted(planted)
    assert sorted(published_ids(project)) == sorted(planted)
    out = tmp_path / "export"
    done = subprocess.run(
        [sys.executable, "-m", "evidence", "export", "--out", str(out)],
        cwd=project.root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    exported = json.loads((out / "claims.json").read_text())
    assert sorted(item["id"] for item in exported) == sorted(planted)
    assert re.search(r"All 61 active claims", project.html("claims/index.html"))


# -- any Unicode mixed with markup, in each contributor field: refused where it stands, or inert and whole
ODD = [*"😀👍🏽🇫🇷", "👩\u200d💻", "\U000e0020", "\U000e0041", "\U000e007f", "\u202e", "\u2066", "\u2069"]
ODD += [
    "\u200f",
    "\ud7ff",
    "\ue000",
    "\ufffd",
    "\ufffe",
    "\uffff",
    "\U0001f600",
    "\U0010ffff",
    "\u2028",
    "\x85",
]
FRAGMENTS = [*PIECES, "{{ 7*7 }}", "{% raw %}", "{# c", "${7*7}", "*[x]: y", "<!--", "]]>", "&lt;script&gt;"]
FRAGMENTS += ['"><svg onload=alert(1)>', "javascript&#58;alert(1)", "`x`", "|", "[x](javascript:alert(1))"]
wide = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=["Cs"])
unicode_markup = (
    st.lists(
        st.one_of(st.text(wide, max_size=6), st.sampled_from(ODD), st.sampled_from(FRAGMENTS)), max_size=12
    )
    .map("".join)
    .filter(lambda s: 0 < len(s.split()) <= 30 and len(s) <= 300)
)
CLAIM_TEXT_FIELDS = ["title", "statement", "caveats", "quote.text", "quote.locator"]
CLAIM_TEXT_FIELDS += ["statistic.as_stated", "statistic.population", "reviewed.by"]
UNICODE = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


def squeeze(text: str) -> str:
    return " ".join(text.split())


def assert_inert(html: str, tags: set[str]) -> BeautifulSoup:
    """Only the template's elements, no handler, no address but http(s) or relative."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name in tags, (tag.name, html)
        assert not [a for a in tag.attrs if a.lower().startswith("on") or a == "style"], str(tag)
        for name in ("href", "src", "action", "formaction", "xlink:href"):
            if tag.get(name) is not None:
                assert urlsplit(re.sub(r"[\x00-\x20]", "", tag[name])).scheme in ("", "http", "https"), str(
                    tag
                )
    return soup


@UNICODE
@given(st.sampled_from(CLAIM_TEXT_FIELDS), unicode_markup)
def test_any_unicode_in_a_claim_field_is_refused_or_shown_whole(
    scratch: Project, field: str, text: str
) -> None:
    data = claim_data()
    outer, _, inner = field.partition(".")
    if inner:
        data[outer] = {**data[outer], inner: text}
    else:
        data[outer] = [text] if outer == "caveats" else text
    scratch.write(CLAIM, claim_yaml(data))
    corpus, problems = load_corpus(scratch.root, SETTINGS)
    assert_own_problems(problems)
    if [p for p in problems if p.path == CLAIM and p.severity is Severity.error]:
        event("claim field refused")
        return  # refused, at its line, with a rule (assert_own_problems)
    event("claim field accepted")
    claim = corpus.claim("example-claim")
    loaded = getattr(getattr(claim, outer), inner) if inner else getattr(claim, outer)
    loaded = loaded[0] if outer == "caveats" else loaded
    assert squeeze(loaded) == squeeze(text), "the loader changed the text"
    renderer = Renderer(corpus, TEMPLATES)
    html = str(renderer.claims(renderer.page("burden.md", "burden/"), "burden"))
    card = assert_inert(html, TEMPLATE_TAGS).select_one("#claim-example-claim")
    shown = text
    if outer in ("statement", "caveats"):  # their inline Markdown: emphasis and links turn into tags
        shown = BeautifulSoup(str(markup.render(text)), "html.parser").get_text()
    assert squeeze(shown) in squeeze(card.get_text()), (field, text)


LATEX_SPECIAL = set("\\{}$%~`'^_-#&")
BIB_TEXT_FIELDS = {"title": "misc", "note": "misc", "howpublished": "misc", "journal": "article"}
BIB_TEXT_FIELDS |= {"organization": "manual", "author": "misc"}


@UNICODE
@given(st.sampled_from(sorted(BIB_TEXT_FIELDS)), unicode_markup)
def test_any_unicode_in_a_bibtex_field_is_refused_or_shown_whole(
    scratch: Project, field: str, text: str
) -> None:
    fields = {"title": "A title", "author": "{Org}", "year": "2020", "journal": "J", field: text}
    if field == "author":
        fields["author"] = "{" + text + "}"  # one corporate name, kept whole
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields.items())
    path = scratch.root / "generated.bib"
    path.write_text(f"{BIB}\n@{BIB_TEXT_FIELDS[field]}{{gen,\n{body}}}\n", encoding="utf-8")
    library, problems = load_library(path, "references.bib")
    assert_own_problems(problems)
    ref = library.references.get("gen")
    if ref is None or [p for p in problems if p.severity is Severity.error]:
        assert [p for p in problems if p.severity is Severity.error and p.line >= 1], "dropped silently"
        event("bib field refused")
        return
    event("bib field accepted")
    soup = assert_inert(str(ref.html), {"span", "em", "strong", "sub", "sup"})
    if not LATEX_SPECIAL & set(text):  # LaTeX's own syntax aside, every character shows (case aside)
        assert squeeze(text).casefold() in squeeze(soup.get_text()).casefold(), (field, text, str(ref.html))
