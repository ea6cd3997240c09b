"""Skeletons for `new` (a claim file) and `new-source` (a BibTeX entry).

The text lives in `evidence/render/templates/*.j2`; the comments on each claim field are the
field descriptions from `model.py`, so the skeleton and the schema say the same thing.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from evidence.content.files import CLAIM_SUFFIX, ID_PATTERN, KEY_PATTERN
from evidence.content.model import Claim, EvidenceKind, Unit
from evidence.load.corpus import BIB_FILE, CLAIMS_DIR, TOPICS_FILE, default_claim_path
from evidence.load.loader import load_topics

#: `new-source --type` → the BibTeX entry type written.
SOURCE_TYPES = {"article": "article", "online": "online", "report": "techreport"}
_COMMENT_WIDTH = 88


class ScaffoldError(Exception):
    """A refusal with its fix; `usage` marks a bad argument (exit 2) rather than a conflict (1)."""

    def __init__(self, message: str, hint: str = "", *, usage: bool = False) -> None:
        super().__init__(message)
        self.message, self.hint, self.usage = message, hint, usage


def _descriptions() -> dict[str, str]:
    """Field descriptions by dotted name (`statistic.unit`), read from the model."""
    out: dict[str, str] = {}

    def walk(model: Any, prefix: str) -> None:
        for name, info in model.model_fields.items():
            out[prefix + name] = info.description or ""
            for arg in (info.annotation, *getattr(info.annotation, "__args__", ())):
                if hasattr(arg, "model_fields"):
                    walk(arg, f"{prefix}{name}.")

    walk(Claim, "")
    return out


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("evidence.render", "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # YAML and BibTeX out; every value is checked before it gets here
    )
    descriptions = _descriptions()

    def help_filter(field: str, indent: int = 0, extra: str = "") -> str:
        """`# description extra`, wrapped, as a comment at `indent`."""
        text = f"{descriptions[field]} {extra}".strip()
        width = _COMMENT_WIDTH - indent - 2
        return ("\n" + " " * indent).join("# " + line for line in textwrap.wrap(text, width))

    def optional_filter(field: str, indent: int = 0, extra: str = "") -> str:
        """A commented-out field with its description above it, for a block most claims leave
        out: deleting the first `# ` of each line of the block makes it YAML."""
        text = f"{descriptions[field]} {extra}".strip()
        pad = "# " + " " * indent
        lines = [pad + "# " + line for line in textwrap.wrap(text, _COMMENT_WIDTH - indent - 4)]
        return "\n".join([*lines, pad + field.rsplit(".", 1)[-1] + ":"])

    env.filters["help"] = help_filter
    env.filters["optional"] = optional_filter
    return env


def suggest_id(text: str) -> str:
    """A valid id close to what was typed: 'PT_Works Well' → 'pt-works-well'."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))[:80].strip("-")


def claim_skeleton(topic: str, claim_id: str, today: dt.date) -> str:
    path = f"{CLAIMS_DIR}/{topic}/{claim_id}{CLAIM_SUFFIX}"
    return (
        _environment()
        .get_template("claim.yml.j2")
        .render(
            id=claim_id,
            topic=topic,
            today=today.isoformat(),
            path=path,
            units=", ".join(u.value for u in Unit),
            kinds=", ".join(k.value for k in EvidenceKind),
        )
    )


def new_claim(root: Path, topic: str, claim_id: str, today: dt.date | None = None) -> Path:
    """Write the skeleton of a new claim; refuse bad ids, unknown topics and ids in use."""
    if not re.match(ID_PATTERN, claim_id) or len(claim_id) > 80:
        suggestion = suggest_id(claim_id)
        raise ScaffoldError(
            f"'{claim_id}' is not a valid claim id",
            "ids are lowercase ASCII letters, digits and single hyphens, at most 80 characters"
            + (f", e.g. '{suggestion}'" if suggestion else ""),
            usage=True,
        )
    topics, _problems = load_topics(root / TOPICS_FILE, TOPICS_FILE)
    if topics is None:
        raise ScaffoldError(
            f"cannot read {TOPICS_FILE}", "run `python -m evidence check` to see why", usage=True
        )
    known = [t.id for t in topics.topics]
    if topic not in known:
        raise ScaffoldError(f"'{topic}' is not a topic", "known topics: " + ", ".join(known), usage=True)
    base = root / CLAIMS_DIR
    for existing in sorted(base.glob(f"*/*{CLAIM_SUFFIX}")):
        if existing.stem.lower() == claim_id:
            rel = existing.relative_to(root).as_posix()
            raise ScaffoldError(
                f"the id '{claim_id}' is already used by {rel}",
                "ids are unique across all topics and never reused; choose another",
            )
    path = default_claim_path(root, topic, claim_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = claim_skeleton(topic, claim_id, today or dt.date.today())
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path.relative_to(root).as_posix()} already exists") from None
    return path


def source_skeleton(root: Path, key: str, kind: str) -> str:
    """A BibTeX entry to paste into references.bib; refuse bad keys and keys in use."""
    if not re.match(KEY_PATTERN, key) or len(key) > 80:
        raise ScaffoldError(
            f"'{key}' is not a usable key",
            "use letters, digits, '-' and '_', starting with a letter, e.g. 'smith-2021'",
            usage=True,
        )
    bib = root / BIB_FILE
    if bib.exists():
        text = bib.read_text(encoding="utf-8-sig", errors="replace")
        match = re.search(rf"^[ \t]*@[ \t]*\w+[ \t]*[{{(][ \t]*{re.escape(key)}[ \t]*,", text, re.M | re.I)
        if match:
            line = text.count("\n", 0, match.start()) + 1
            raise ScaffoldError(
                f"{BIB_FILE}:{line}: the key '{key}' is already in use (BibTeX ignores case)",
                "cite the existing entry, or choose another key",
            )
    return _environment().get_template("source.bib.j2").render(key=key, kind=kind)
