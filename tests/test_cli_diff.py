# ruff: noqa: E501  (golden Markdown output has long lines)
"""`python -m evidence diff`: what a pull request does to the evidence, from git revisions."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from gitrepo import commit, evidence, git, init
from helpers import BIB, Project, claim_data, mini_project
from markdown_it import MarkdownIt
from test_cli_check import planted

from evidence.cli.diff_report import code_span
from evidence.editions.diff import Kind, diff_corpora
from evidence.editions.gitrev import corpus_at
from evidence.load.corpus import Settings, load_corpus

CLAIM = "content/claims/burden/example-claim.yml"

EXTRA_BIB = textwrap.dedent(
    """
    @misc{old-report,
      author = {{Example Institute}},
      title = {A report nobody cites any more},
      howpublished = {Report},
    }
    """
)


def _edit_claim(project: Project, rel: str, change) -> None:
    path = project.root / rel
    header, body = path.read_text(encoding="utf-8").split("\n", 1)
    data = yaml.safe_load(body)
    change(data)
    path.write_text(header + "\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def _repo(tmp_path: Path) -> tuple[Project, str]:
    """A committed mini project with three claims; returns it and the first commit."""
    project = mini_project(
        tmp_path,
        claims=[
            claim_data(),
            claim_data("to-retire", "benefits", title="A claim that will be retired"),
            claim_data("to-delete", "shortfalls", title="A claim that will be deleted", source="old-report"),
        ],
        bib=BIB + EXTRA_BIB,
    )
    init(project.root)
    return project, commit(project.root, "first edition")


def _set_statistic(data: dict) -> None:
    data["statistic"].update(as_stated="41 percent", value=41)


def test_diff_between_two_commits_shows_the_statistic_old_to_new(tmp_path: Path) -> None:
    """The issue's "done when": on the planted repository, the statistic change reads old → new."""
    project = planted(tmp_path)
    init(project.root)
    first = commit(project.root, "planted")
    _edit_claim(project, CLAIM, _set_statistic)
    second = commit(project.root, "new figure")
    result = evidence(project.root, "diff", first, second)
    assert result.returncode == 0, result.stderr
    assert f"Comparing **{first[:10]}** with **{second[:10]}**." in result.stdout
    assert "**1 claim changed.**" in result.stdout
    section = result.stdout.split("### Claims changed (1)\n", 1)[1]
    assert section == textwrap.dedent(
        """
        #### `example-claim` — `An example claim`

        Statistic: **`37 percent`** → **`41 percent`**

        To check against the source:
        - Quote: `37 percent of people said so`
        - Locator: `paragraph 1`
        - Kind: `survey`
        - Primary source read: `false`
        - Certainty: `very-low`
        - Source: `survey-b`
        - Reported in: `article-a`

        | Field | Before | After |
        | --- | --- | --- |
        | `statistic.as_stated` | `37 percent` | `41 percent` |
        | `statistic.value` | `37` | `41` |
        """
    )


def test_json_lists_each_field_old_and_new(tmp_path: Path) -> None:
    project, first = _repo(tmp_path)
    _edit_claim(project, CLAIM, _set_statistic)
    result = evidence(project.root, "diff", first, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["head"] == "the working tree"
    assert data["changed"] == [
        {
            "id": "example-claim",
            "kind": "changed",
            "path": CLAIM,
            "title": "An example claim",
            "topic": "burden",
            "fields": [
                {"field": "statistic.as_stated", "old": "37 percent", "new": "41 percent"},
                {"field": "statistic.value", "old": 37.0, "new": 41.0},
            ],
            "stated": "41 percent",
            "source": "survey-b",
            "review": {
                "quote.text": "37 percent of people said so",
                "quote.locator": "paragraph 1",
                "evidence.kind": "survey",
                "evidence.primary_checked": False,
                "certainty.level": "very-low",
                "source": "survey-b",
                "reported_in": "article-a",
            },
        }
    ]
    assert [w["rule"] for w in data["warnings"]] == ["review-date-unchanged"]
    assert data["errors"] == [] and data["removed"] == [] and data["added"] == []


def test_report_of_a_pull_request_with_every_kind_of_change(tmp_path: Path) -> None:
    project, first = _repo(tmp_path)
    project.write_claim(
        claim_data("new-claim", "surgery", title="A new claim", source="article-a", reported_in=None)
    )
    _edit_claim(
        project,
        "content/claims/benefits/to-retire.yml",
        lambda d: d.update(
            status="retired", retired={"reason": "The source withdrew it.", "date": "2026-02-01"}
        ),
    )
    _edit_claim(project, CLAIM, lambda d: d.update(caveats=["Small survey.", "Self-reported."]))
    (project.root / "content/claims/shortfalls/to-delete.yml").unlink()
    bib = (project.root / "references.bib").read_text()
    bib = bib.replace(EXTRA_BIB, "").replace("An Example Article About Back Pain", "An Example Article")
    project.write("references.bib", bib + "\n@misc{new-book,\n  title = {A new book},\n}\n")
    head = commit(project.root, "every kind of change")
    result = evidence(project.root, "diff", first, "HEAD")
    assert result.returncode == 1
    assert result.stderr == (
        f"content/claims/shortfalls/to-delete.yml:1:1: error: claim 'to-delete' was published in {first} "
        "and its file is gone [claim-deleted]\n"
        f"    hint: a published claim keeps its page: restore it (`git checkout {first} -- "
        "content/claims/shortfalls/to-delete.yml`) and retire it with `status: retired` and a `retired:` "
        "block (reason, date, superseded_by)\n"
    )
    assert result.stdout == textwrap.dedent(
        f"""\
        ## Evidence changes

        Comparing **{first[:10]}** with **HEAD ({head[:10]})**.

        > [!CAUTION]
        > **1 published claim(s) deleted.** A published claim must be retired, not deleted:
        > restore the file and set `status: retired` with a `retired:` block (reason, date).

        **1 claim added, 1 changed, 1 retired, 1 deleted; 1 reference added, 1 changed, 1 removed.**

        ### Claims deleted — not allowed (1)

        - `to-delete` — `A claim that will be deleted`: **`37 percent`**, source `old-report` (`content/claims/shortfalls/to-delete.yml`)

        ### Claims added (1)

        - `new-claim` — `A new claim`: **`37 percent`**, source `article-a` (`content/claims/surgery/new-claim.yml`)
          - Quote: `37 percent of people said so`
          - Locator: `paragraph 1`
          - Kind: `survey`
          - Primary source read: `false`
          - Certainty: `very-low`
          - Source: `article-a`

        ### Claims retired (1)

        #### `to-retire` — `A claim that will be retired`

        | Field | Before | After |
        | --- | --- | --- |
        | `status` | `active` | `retired` |
        | `retired.reason` | — | `The source withdrew it.` |
        | `retired.date` | — | `2026-02-01` |

        ### Claims changed (1)

        #### `example-claim` — `An example claim`

        To check against the source:
        - Quote: `37 percent of people said so`
        - Locator: `paragraph 1`
        - Kind: `survey`
        - Primary source read: `false`
        - Certainty: `very-low`
        - Source: `survey-b`
        - Reported in: `article-a`

        | Field | Before | After |
        | --- | --- | --- |
        | `caveats` | (none) | `Small survey. · Self-reported.` |

        ### References added (1)

        - `new-book` — `A new book`

        ### References changed (1)

        #### `article-a` — `An Example Article`

        | Field | Before | After |
        | --- | --- | --- |
        | `title` | `An Example Article About Back Pain` | `An Example Article` |

        ### References removed (1)

        - `old-report` — `A report nobody cites any more`
        """
    )


def test_default_base_is_the_merge_base_and_head_the_working_tree(tmp_path: Path) -> None:
    project, first = _repo(tmp_path)
    git(project.root, "checkout", "-q", "-b", "feature")
    project.write_claim(claim_data("committed-claim", "surgery"))
    commit(project.root, "on the branch")
    git(project.root, "checkout", "-q", "main")
    project.write("README.md", "main moved on\n")
    commit(project.root, "main moves on")
    git(project.root, "checkout", "-q", "feature")
    project.write_claim(claim_data("uncommitted-claim", "surgery"))  # not even added to git
    result = evidence(project.root, "diff")
    assert result.returncode == 0, result.stderr
    assert (
        f"Comparing **{first[:10]} (merge-base of HEAD and main)** with **the working tree**."
        in result.stdout
    )
    assert "- `committed-claim` — `An example claim`: **`37 percent`**, source `survey-b`" in result.stdout
    assert "- `uncommitted-claim` — `An example claim`: **`37 percent`**, source `survey-b`" in result.stdout


def test_default_branch_comes_from_origin_head(tmp_path: Path) -> None:
    (tmp_path / "origin").mkdir()
    origin, first = _repo(tmp_path / "origin")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin.root), str(clone))
    git(clone, "checkout", "-q", "-b", "fix")
    (clone / CLAIM).write_text((clone / CLAIM).read_text().replace("37 percent", "38 percent"))
    result = evidence(clone, "diff")
    assert f"**{first[:10]} (merge-base of HEAD and origin/main)**" in result.stdout
    assert "Statistic: **`37 percent`** → **`38 percent`**" in result.stdout


def test_project_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    project = mini_project(tmp_path / "site")
    init(tmp_path)
    first = commit(tmp_path, "site in a subfolder")
    _edit_claim(project, CLAIM, _set_statistic)
    result = evidence(project.root, "diff", first)
    assert "Statistic: **`37 percent`** → **`41 percent`**" in result.stdout
    assert evidence(tmp_path, "--root", "site", "diff", first).stdout == result.stdout


def test_a_broken_claim_file_is_not_reported_as_deleted(tmp_path: Path) -> None:
    project, first = _repo(tmp_path)
    project.write("content/claims/shortfalls/to-delete.yml", "id: to-delete\ntitle: [unclosed\n")
    result = evidence(project.root, "diff", first)
    assert result.returncode == 0, result.stderr
    assert "Claims deleted" not in result.stdout and result.stderr == ""
    assert "### Claim files that could not be compared (1)" in result.stdout
    assert (
        "- `to-delete` — `A claim that will be deleted`: **`37 percent`**, source `old-report` (`content/"
        in (result.stdout)
    )


#: Contributor text that GitHub would turn into links, pings, references or HTML if it were
#: plain text in a pull-request comment; backticks and `|` try to leave a code span or a cell.
HOSTILE = (
    "See https://evil.example and www.evil.example, ask @octocat about #123: "
    "[x](javascript:alert(1)) <img src=x onerror=alert(1)> ``a`b`` | cell | `code`"
)
#: Where GitHub leaves text alone: code spans (and links it made itself, which must not exist).
INERT = {"code"}
#: The structure the report itself writes.
OUR_TAGS = {
    "h2",
    "h3",
    "h4",
    "p",
    "ul",
    "li",
    "blockquote",
    "strong",
    "code",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


def _gfm(markdown: str) -> BeautifulSoup:
    """The report as GitHub shows it: tables, raw HTML on, bare addresses and www. autolinked."""
    md = MarkdownIt("gfm-like")
    md.linkify.set({"fuzzy_link": True, "fuzzy_email": True})
    return BeautifulSoup(md.render(markdown), "html.parser")


def _plain_text(soup: BeautifulSoup) -> list[str]:
    """Every piece of text outside a code span: where GitHub autolinks, pings and references."""
    return [t for t in soup.find_all(string=True) if not any(p.name in INERT for p in t.parents)]


def test_gfm_check_sees_what_github_would_link() -> None:
    """The check below can fail: the same text outside code spans is linked or kept as HTML."""
    soup = _gfm(f"- {HOSTILE}\n")
    assert soup.find("a") is not None and soup.find("img") is not None
    assert any("@octocat" in text for text in _plain_text(soup))


def test_contributor_text_is_inert_in_github_markdown(tmp_path: Path) -> None:
    project, first = _repo(tmp_path)
    _edit_claim(
        project,
        CLAIM,
        lambda d: d.update(
            title=f"Changed {HOSTILE}",
            statement=f"Some people {HOSTILE}",
            quote={"text": f"37 percent {HOSTILE}", "locator": f"page 2 {HOSTILE}"},
        ),
    )
    project.write_claim(claim_data("hostile-claim", "surgery", title=HOSTILE))
    out = evidence(project.root, "diff", first).stdout
    soup = _gfm(out)
    assert {tag.name for tag in soup.find_all(True)} <= OUR_TAGS, out  # no a, img or other HTML
    for text in _plain_text(soup):
        for needle in ("evil", "@octocat", "#123", "javascript", "<img", "alert"):
            assert needle not in text, (needle, text)
    codes = [code.get_text() for code in soup.find_all("code")]
    for value in (HOSTILE, f"Changed {HOSTILE}", f"Some people {HOSTILE}", f"page 2 {HOSTILE}"):
        assert value in codes, value  # shown exactly, as one code span
    rows = soup.find("tbody").find_all("tr")
    assert {len(row.find_all("td")) for row in rows} == {3}  # a `|` in a value ends no cell
    assert [row.find("td").get_text() for row in rows] == [
        "title",
        "statement",
        "quote.text",
        "quote.locator",
    ]
    added = next(li for li in soup.find_all("li") if li.find("code", string="hostile-claim"))
    assert [code.get_text() for code in added.find_all("code")][:2] == ["hostile-claim", HOSTILE]


@pytest.mark.parametrize(
    ("value", "span"),
    [
        ("plain", "`plain`"),
        ("a`b", "``a`b``"),
        ("``a`b``", "``` ``a`b`` ```"),
        ("x | y", "`x | y`"),
        ("line\nbreak  and\ttab", "`line break and tab`"),
        ("", "(empty)"),
    ],
)
def test_code_span_fences_longer_than_any_backtick_run(value: str, span: str) -> None:
    assert code_span(value) == span
    if value.strip():
        assert _gfm(span).find("code").get_text() == " ".join(value.split())


def test_code_span_in_a_table_cell_escapes_pipes() -> None:
    cell = code_span("a | b \\| c", in_table=True)
    assert cell == "`a \\| b \\\\| c`"
    soup = _gfm(f"| x | y |\n| --- | --- |\n| {cell} | z |\n")
    assert [td.get_text() for td in soup.find_all("td")] == ["a | b \\| c", "z"]


def test_no_changes(tmp_path: Path) -> None:
    project, _first = _repo(tmp_path)
    result = evidence(project.root, "diff", "HEAD")
    assert (result.returncode, result.stderr) == (0, "")
    assert "No changes to claims or references." in result.stdout
    assert result.stdout == evidence(project.root, "diff", "HEAD").stdout  # same input, same bytes


def test_errors_are_messages_not_tracebacks(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    project = mini_project(tmp_path / "plain")
    not_repo = evidence(project.root, "diff")
    assert not_repo.returncode == 2
    assert "is not inside a git repository" in not_repo.stderr
    init(project.root)
    empty = evidence(project.root, "diff")
    assert "the repository has no commits yet" in empty.stderr
    commit(project.root, "one")
    bad = evidence(project.root, "diff", "no-such-branch")
    assert (bad.returncode, bad.stdout) == (2, "")
    assert bad.stderr.strip() == (
        "python -m evidence diff: error: 'no-such-branch' is not a commit in this repository "
        "(try a branch, tag or commit id)"
    )
    option_like = evidence(project.root, "diff", "--", "--output=/tmp/x")
    assert option_like.returncode == 2 and "is not a commit" in option_like.stderr
    git(project.root, "branch", "-m", "main", "trunk")
    no_default = evidence(project.root, "diff")
    assert (
        "cannot find the main branch (no origin/HEAD, main or master) nor an edition tag; name BASE"
        in no_default.stderr
    )
    for result in (not_repo, empty, bad, no_default):
        assert "Traceback" not in result.stderr


def test_missing_git_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, _first = _repo(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    result = evidence(project.root, "diff", "HEAD")
    assert result.returncode == 2
    assert "git is not installed (or not on PATH)" in result.stderr


def test_engine_first_edition_and_claim_history(tmp_path: Path) -> None:
    """The pure function the "What changed" page also uses: no old corpus means everything is new."""
    project, first = _repo(tmp_path)
    _edit_claim(project, CLAIM, _set_statistic)
    new, _ = load_corpus(project.root, Settings())
    initial = diff_corpora(None, new)
    assert initial.first
    assert [c.id for c in initial.added] == ["example-claim", "to-delete", "to-retire"]
    assert [r.key for r in initial.references_added] == ["article-a", "old-report", "survey-b"]
    changes = diff_corpora(corpus_at(project.root, first), new)
    assert not changes.first
    change = changes.for_claim("example-claim")
    assert change is not None and change.kind is Kind.changed
    assert change.statistic == ("37 percent", "41 percent")
    assert changes.for_claim("to-retire") is None
