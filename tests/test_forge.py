"""evidence/render/forge.py: the addresses of the correction and new-claim forms and the editor.

Ids, titles and keys come from contributors: each must stay inside its own query parameter
or path segment, whatever it holds (`&`, `#`, `?`, `=`, `/`, `%`, newlines, quotes, `..`).
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from evidence.render.forge import Forge, ForgeError, parse_branch, parse_repo_url

FORGE = Forge("https://github.com/pt-back-pain/pt-back-pain", "main")
HOSTILE = [
    "a&template=evil.yml&title=x",
    "x#frag?y=z",
    "50% = half / ../../settings",
    'line\nbreak "quoted" <b>tag</b>',
    "+plus+ and spaces",
    "日本語 ✓",
]


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True, strict_parsing=True)


def test_correction_fills_the_claim_its_address_and_the_edition() -> None:
    url = FORGE.correction(
        "some-claim", "https://example.org/site/v1.2/claims/some-claim/", "v1.2 (2026-05-01)"
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "github.com",
        "/pt-back-pain/pt-back-pain/issues/new",
    )
    assert query(url) == {
        "template": ["correction.yml"],
        "title": ["Correction: some-claim"],
        "claim": ["some-claim"],
        "where": ["https://example.org/site/v1.2/claims/some-claim/"],
        "edition": ["v1.2 (2026-05-01)"],
    }
    assert not parts.fragment


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_values_stay_inside_their_parameter(hostile: str) -> None:
    for url, name in [
        (FORGE.correction(hostile, hostile, hostile), "claim"),
        (FORGE.suggest_claim(hostile), "topic"),
        (FORGE.reference_problem(hostile, hostile, hostile), "reference"),
    ]:
        parts = urlsplit(url)
        assert parts.fragment == "" and parts.path.endswith("/issues/new"), url
        found = query(url)
        assert found[name] == [hostile]
        assert found["template"] in (["correction.yml"], ["new-claim.yml"])
        assert all(len(values) == 1 for values in found.values()), found  # no parameter added
        assert not set(url) & set(" \n\"'<>#"), url  # nothing that ends an href or the URL


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_path_parts_stay_inside_their_segment(hostile: str) -> None:
    url = FORGE.edit_claim(hostile, hostile)
    parts = urlsplit(url)
    assert (parts.query, parts.fragment) == ("", "")
    segments = parts.path.split("/")
    assert segments[:7] == ["", "pt-back-pain", "pt-back-pain", "edit", "main", "content", "claims"]
    assert [unquote(s) for s in segments[7:]] == [hostile, hostile + ".yml"]


def test_edit_opens_the_claim_file_on_the_branch() -> None:
    assert FORGE.edit_claim("benefits", "exercise-pain") == (
        "https://github.com/pt-back-pain/pt-back-pain/edit/main/content/claims/benefits/exercise-pain.yml"
    )
    assert Forge("https://github.com/o/r", "release/v2").edit("docs", "index.md") == (
        "https://github.com/o/r/edit/release/v2/docs/index.md"
    )


@pytest.mark.parametrize("segment", ["..", ".", ""])
def test_a_segment_a_browser_would_resolve_is_refused(segment: str) -> None:
    with pytest.raises(ValueError, match="not a file path"):
        FORGE.edit_claim(segment, "some-claim")


def test_suggest_claim_fills_only_the_topic() -> None:
    assert query(FORGE.suggest_claim("Benefits (benefits)")) == {
        "template": ["new-claim.yml"],
        "topic": ["Benefits (benefits)"],
    }


def test_reference_problem_names_the_key_and_its_page() -> None:
    url = FORGE.reference_problem("smith-2020:a/b", "https://example.org/sources/smith-2020-a-b/", "v1.0")
    assert query(url) == {
        "template": ["correction.yml"],
        "title": ["Correction: reference smith-2020:a/b"],
        "reference": ["smith-2020:a/b"],
        "where": ["https://example.org/sources/smith-2020-a-b/"],
        "edition": ["v1.0"],
    }


def test_the_forge_is_named_for_the_reader() -> None:
    assert FORGE.name == "GitHub"
    assert Forge("https://git.example.org/o/r", "main").name == "git.example.org"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://github.com/o/r", "https://github.com/o/r"),
        ("https://github.com/o/r/", "https://github.com/o/r"),
        ("https://github.com/o/r.git", "https://github.com/o/r"),
        ("https://git.example.org:8443/my.org/my_site", "https://git.example.org:8443/my.org/my_site"),
    ],
)
def test_repo_url_is_read_as_an_address(given: str, expected: str) -> None:
    assert parse_repo_url(given) == expected


@pytest.mark.parametrize(
    "given",
    [
        "http://github.com/o/r",
        "javascript:alert(1)",
        "https://github.com/o",
        "https://github.com/o/r/tree/main",
        "https://github.com/o/r?x=1",
        "https://github.com/o/r#x",
        "https://user:pw@github.com/o/r",
        'https://github.com/o/r"onmouseover=x',
        "https://github.com/o/-r-",
        "https://GitHub.com/o/r extra",
        "//github.com/o/r",
    ],
)
def test_repo_url_refuses_what_makes_no_working_link(given: str) -> None:
    with pytest.raises(ForgeError) as raised:
        parse_repo_url(given)
    assert "https://github.com/your-org/your-site" in raised.value.hint


@pytest.mark.parametrize(
    ("edit_uri", "docs", "branch"),
    [
        ("edit/main/docs/", "docs", "main"),
        ("edit/main/docs", "docs", "main"),
        ("blob/gh-pages-source/docs/", "docs", "gh-pages-source"),
        ("edit/release/v2/site/docs/", "site/docs", "release/v2"),
    ],
)
def test_the_branch_comes_from_edit_uri(edit_uri: str, docs: str, branch: str) -> None:
    assert parse_branch(edit_uri, docs) == branch


@pytest.mark.parametrize(
    "edit_uri", [None, "", "edit/main/", "edit/a b/docs/", "edit/../docs/", "tree/main/docs/"]
)
def test_an_edit_uri_without_a_branch_is_refused(edit_uri: str | None) -> None:
    with pytest.raises(ForgeError, match="edit/<branch>/docs/"):
        parse_branch(edit_uri)
