"""`check`'s docs-page rules are memoised by every input they read, so a hit is never stale."""

from __future__ import annotations

from pathlib import Path

from helpers import mini_project


def test_page_rules_follow_the_pages_and_the_names_they_use(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    page = project.root / "docs" / "index.md"
    original = page.read_text("utf-8")
    assert "page-" not in project.check().stdout
    assert "page-" not in project.check().stdout  # from the memo
    page.write_text(original + '\n{{ config.site_name }}\n{{ claim("example-claim") }}\n', "utf-8")
    first = project.check().stdout
    assert "docs/index.md:" in first and "[page-template-" in first
    assert project.check().stdout == first  # the memo gives the same report
    page.write_text(original + '\n{{ claim("example-claim") }}\n', "utf-8")
    assert "page-" not in project.check().stdout
    # the page is unchanged, the name it uses is gone: the memo of the page does not hide it
    (project.root / "content/claims/burden/example-claim.yml").rename(
        project.root / "content/claims/burden/other-claim.yml"
    )
    assert "[page-unknown-claim]" in project.check().stdout
