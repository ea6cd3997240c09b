"""Links from the site to its repository on the forge: report a correction, edit a claim.

GitHub's shapes: an issue form opened at `<repo>/issues/new?template=<form>.yml&title=…&<field
id>=…` fills in its `input` and `textarea` fields from the query (never a `dropdown`: GitHub
shows a blank issue instead of the form when one is given), and the web editor of a file is
`<repo>/edit/<branch>/<path>` (it offers a fork and a pull request to anyone without write
access). Every value is percent-encoded into its own parameter or path segment, so an id, a
title or a key (all contributor-controlled) can neither end its parameter nor add another.

Plain data and plain strings: no MkDocs, no templates (they print these as `href` values).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

__all__ = ["CORRECTION_FORM", "NEW_CLAIM_FORM", "Forge", "ForgeError", "parse_branch", "parse_repo_url"]

#: The issue forms in .github/ISSUE_TEMPLATE/ (and in the skeleton `evidence init` writes).
CORRECTION_FORM = "correction.yml"
NEW_CLAIM_FORM = "new-claim.yml"
#: An owner or repository name as GitHub, GitLab and Gitea allow them.
_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?")
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::[0-9]{1,5})?")
#: A branch name: git's refname rules, narrowed to what needs no thought in a URL path.
_BRANCH = re.compile(r"[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*")


class ForgeError(ValueError):
    """`repo_url` or `edit_uri` cannot make working links; `hint` says what to write."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def parse_repo_url(text: str) -> str:
    """`https://<host>/<owner>/<name>` (a trailing `/` or `.git` dropped), or ForgeError."""
    hint = "write the repository's web address, e.g. https://github.com/your-org/your-site"
    url = text.strip()
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.query or parts.fragment or parts.username or parts.password:
        raise ForgeError(f"repo_url {text!r} is not a plain https:// address", hint)
    segments = parts.path.strip("/").removesuffix(".git").split("/")
    if not _HOST.fullmatch(parts.netloc) or len(segments) != 2 or not all(map(_NAME.fullmatch, segments)):
        raise ForgeError(f"repo_url {text!r} is not https://<host>/<owner>/<repository>", hint)
    return f"https://{parts.netloc}/{segments[0]}/{segments[1]}"


def parse_branch(edit_uri: str | None, docs_dir: str = "docs") -> str:
    """The branch in MkDocs' `edit_uri` (`edit/<branch>/<docs_dir>/`), or ForgeError."""
    docs = docs_dir.strip("/")
    found = re.fullmatch(rf"(?:edit|blob)/(.+)/{re.escape(docs)}/?", (edit_uri or "").strip())
    if found is None or not _BRANCH.fullmatch(found[1]) or ".." in found[1]:
        raise ForgeError(
            f"edit_uri {edit_uri!r} does not name a branch as edit/<branch>/{docs}/",
            f"set edit_uri in mkdocs.yml, e.g. `edit_uri: edit/main/{docs}/`",
        )
    return found[1]


@dataclass(frozen=True)
class Forge:
    """The site's repository (`parse_repo_url`) and the branch its content is edited on."""

    repo_url: str
    branch: str

    @property
    def name(self) -> str:
        """What a reader is told the link opens ("GitHub", or the forge's host)."""
        host = urlsplit(self.repo_url).netloc
        return "GitHub" if host == "github.com" else host

    def issue(self, form: str, fields: dict[str, str], title: str | None = None) -> str:
        """The new-issue page with `form` open and `fields` (input or textarea ids) filled in."""
        query = {"template": form} | ({"title": title} if title is not None else {}) | fields
        return f"{self.repo_url}/issues/new?{urlencode(query, quote_via=quote)}"

    def edit(self, *segments: str) -> str:
        """The forge's web editor on the file at `segments` (folders, then the file name) on
        the branch; each is one path segment whatever it holds, and `.`, `..` (which a browser
        resolves, encoded or not) and empty ones are refused."""
        if any(part in ("", ".", "..") for part in segments):
            raise ValueError(f"not a file path: {segments!r}")
        path = "/".join(quote(part, safe="") for part in segments)
        return f"{self.repo_url}/edit/{quote(self.branch, safe='/')}/{path}"

    def correction(self, claim_id: str, permalink: str, edition: str) -> str:
        """The correction form for one claim: its id, permanent address and edition filled in."""
        fields = {"claim": claim_id, "where": permalink, "edition": edition}
        return self.issue(CORRECTION_FORM, fields, title=f"Correction: {claim_id}")

    def edit_claim(self, topic: str, claim_id: str) -> str:
        """The claim's YAML file, `content/claims/<topic>/<id>.yml`, in the web editor."""
        return self.edit("content", "claims", topic, f"{claim_id}.yml")

    def suggest_claim(self, topic: str) -> str:
        """The new-claim form with the topic filled in."""
        return self.issue(NEW_CLAIM_FORM, {"topic": topic})

    def reference_problem(self, key: str, permalink: str, edition: str) -> str:
        """The correction form for a reference: its key, its page's address and the edition."""
        fields = {"reference": key, "where": permalink, "edition": edition}
        return self.issue(CORRECTION_FORM, fields, title=f"Correction: reference {key}")
