"""Issue 23, items 1 and 2: a retired claim is retired everywhere, and `check` runs the page rules.

A retired claim called on a page renders as a short notice, never a card; `check`, `diff`
and the build warn at the call; the claim's own page says which page still calls it.
`check` reports placement (each active claim once on its topic page) as the build does,
and its page memo follows a claim that is retired, made active again or moved to a topic.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from gitrepo import commit, evidence, init
from helpers import Project, claim_data, mini_project

from evidence.cache.store import Cache
from evidence.load import docs_check
from evidence.load.corpus import Settings

RETIREMENT = {"reason": "A newer survey replaced it.", "date": "2026-01-05", "superseded_by": "new-claim"}
#: A topic page as the real site writes one: each card under the heading that discusses it.
BURDEN = '# Burden\n\nIntro.\n\n## How common it is\n\nProse.\n\n{{ claim("new-claim") }}\n'


def _project(root: Path, *, retired: bool = True) -> Project:
    old = (
        claim_data("old-claim", status="retired", retired=RETIREMENT) if retired else claim_data("old-claim")
    )
    project = mini_project(root, [claim_data("new-claim"), old])
    project.write("docs/burden.md", BURDEN + '\n## Older findings\n\n{{ claim("old-claim") }}\n')
    return project


def _retire(project: Project, retired: bool) -> None:
    data = (
        claim_data("old-claim", status="retired", retired=RETIREMENT) if retired else claim_data("old-claim")
    )
    project.write_claim(data)


def test_check_warns_where_a_page_calls_a_retired_claim(tmp_path: Path) -> None:
    project = _project(tmp_path)
    done = project.check()
    assert done.returncode == 0, done.stdout
    assert done.stdout.splitlines()[:2] == [
        "docs/burden.md:13:1: warning: claim(\"old-claim\"): claim 'old-claim' was retired on 2026-01-05; "
        "the page shows a retirement notice, not a card [page-retired-claim]",
        '    hint: replace it with {{ claim("new-claim") }} (its successor), or delete the call',
    ]
    assert project.check("--strict").returncode == 1


def test_check_reports_placement_as_the_build_does(tmp_path: Path) -> None:
    project = mini_project(tmp_path, [claim_data("new-claim"), claim_data("other-claim")])
    project.write(
        "docs/burden.md", BURDEN + '\n## Again\n\n{{ claim("new-claim") }}\n{{ claim("no-such") }}\n'
    )
    out = project.check().stdout
    assert (
        "docs/burden.md:1:1: error: active claim 'other-claim' of topic 'burden' is not on its topic page "
        "[page-claim-placement]"
    ) in out
    assert "docs/burden.md:13:1: error: claim 'new-claim' appears 2 times on its topic page" in out
    assert "docs/burden.md:14:11: error: claim(\"no-such\"): no claim id 'no-such'" in out  # at the name
    assert project.check().stdout == out  # from the memo, the same


def test_check_memo_follows_a_claim_retired_revived_or_moved(tmp_path: Path) -> None:
    """The page memo is keyed by what the rules read: a claim file that changes only its
    status or its folder (its name, the pages and topics.yml unchanged) is seen."""
    project = _project(tmp_path, retired=False)
    assert project.check().stdout == "No problems found.\n"
    _retire(project, True)
    assert "[page-retired-claim]" in project.check().stdout
    _retire(project, False)
    assert project.check().stdout == "No problems found.\n"
    # moved to benefits, whose page places its cards one by one and does not call it
    project.write("docs/benefits.md", "# Benefits\n\n## What helps\n\nProse.\n")
    assert project.check().stdout == "No problems found.\n"
    (tmp_path / "content/claims/burden/old-claim.yml").unlink()
    project.write_claim(claim_data("old-claim", topic="benefits"))
    out = project.check().stdout
    assert "docs/benefits.md:1:1: error: active claim 'old-claim' of topic 'benefits' is not on its" in out


def test_a_memo_hit_reads_the_facts_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path)
    settings = Settings()
    problems, facts = docs_check.content_and_facts(project.root, settings, Cache(project.root))
    assert facts.claims["old-claim"] == ("burden", "2026-01-05", "new-claim")

    def no_load(*args: object, **kwargs: object) -> None:
        raise AssertionError("a memo hit loads no claim")

    monkeypatch.setattr(docs_check, "load_corpus", no_load)
    assert docs_check.content_and_facts(project.root, settings, Cache(project.root)) == (problems, facts)


def test_diff_lists_the_page_that_still_calls_a_retired_claim(tmp_path: Path) -> None:
    project = _project(tmp_path, retired=False)
    init(project.root)
    commit(project.root, "before")
    _retire(project, True)
    done = evidence(project.root, "diff")
    assert done.returncode == 0, done.stderr
    assert "**1 page call(s) of a retired claim.**" in done.stdout
    assert "(`docs/burden.md` line 13)" in done.stdout
    assert "docs/burden.md:13:1: warning:" in done.stderr and "[page-retired-claim]" in done.stderr
    as_json = evidence(project.root, "diff", "--format", "json").stdout
    assert '"rule": "page-retired-claim"' in as_json
    # a revision's pages too: HEAD committed with the retirement, compared with the first commit
    commit(project.root, "retire")
    assert "(`docs/burden.md` line 13)" in evidence(project.root, "diff", "HEAD~1", "HEAD").stdout


@pytest.mark.slow
def test_a_retired_claim_on_a_page_is_a_notice_and_its_page_says_where(tmp_path: Path) -> None:
    project = _project(tmp_path)
    strict = project.build()
    assert strict.returncode != 0  # the warning stops a strict build, at the call
    assert 'docs/burden.md:13:1: warning: claim("old-claim")' in strict.stderr
    built = project.build("--no-strict")
    assert built.returncode == 0, built.stderr
    topic = BeautifulSoup(project.html("burden/index.html"), "html.parser")
    assert topic.select_one("#claim-old-claim") is None  # never a card
    assert [card["id"] for card in topic.select("article.ev-card")] == ["claim-new-claim"]
    (notice,) = topic.select(".ev-retired-notice")
    assert notice.get_text(" ", strip=True).startswith("Retired on 2026-01-05 :")
    assert RETIREMENT["reason"] in notice.get_text()
    assert notice.select_one("time")["datetime"] == "2026-01-05"
    assert notice.select_one(".ev-retired-notice__successor")["href"] == "../claims/new-claim/"
    assert notice.select_one("a")["href"] == "../claims/old-claim/"
    own = BeautifulSoup(project.html("claims/old-claim/index.html"), "html.parser")
    banner = own.select_one(".ev-retired")
    assert "no longer appears on the topic pages" not in banner.get_text()
    called = banner.select_one(".ev-retired__called")
    assert "One page still calls it" in called.get_text()
    assert [a["href"] for a in called.select("a")] == ["../../burden/"]


@pytest.mark.slow
def test_a_retired_claim_no_page_calls_says_it_appears_on_none(tmp_path: Path) -> None:
    project = mini_project(
        tmp_path, [claim_data("new-claim"), claim_data("old-claim", status="retired", retired=RETIREMENT)]
    )
    built = project.build()
    assert built.returncode == 0, built.stderr
    own = BeautifulSoup(project.html("claims/old-claim/index.html"), "html.parser")
    assert "It no longer appears on the topic pages" in own.select_one(".ev-retired").get_text()
    assert own.select_one(".ev-retired__called") is None
