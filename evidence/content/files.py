"""Where a project keeps its content, and how a file's name splits: one place for loader, rules and git."""

from __future__ import annotations

CONTENT_DIR = "content"
CLAIMS_DIR = "content/claims"
TOPICS_FILE = "content/topics.yml"
SITE_FILE = "content/site.yml"
BIB_FILE = "references.bib"
CLAIM_SUFFIX = ".yml"


def name_suffix(name: str) -> str:
    """`PurePath(name).suffix`: '.yml' for 'a.yml', '' for '.yml' or 'a.'."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def name_stem(name: str) -> str:
    """`PurePath(name).stem`."""
    return name[: -len(suffix)] if (suffix := name_suffix(name)) else name


#: Claim ids: lowercase ASCII letters, digits and single hyphens (they become URLs). Kept
#: here, with no model import, so cheap readers (a memoised check) can match them.
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
#: BibTeX keys as written (`westfahl:space`, `baez/article`): what BibTeX and biber read as
#: a key, less what breaks YAML or a BibTeX field. Links use `evidence.bib.keys.anchor`.
KEY_PATTERN = r"^[^\s,{}()\\" + '"' + r"#%'=]+$"
