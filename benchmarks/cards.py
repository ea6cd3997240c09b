"""The "cards" shape of generate.py: the real site with its claims cloned, card-heavy pages.

The friendly and realistic shapes generate their content; this one keeps the repository's
own: its mkdocs.yml (only the browser editor is turned off: it would need node_modules),
docs/ pages, content/ (claims, topics.yml, site.yml, schema), references.bib and macros/.
Each active claim that has a card on its topic's page is cloned, round-robin in file
order, until the project holds N claims: clone k of claim `x` is `x-c0001`, `x-c0002`, …
(the same file, byte for byte, but for its `id:` line), in the same topic folder, and its
card `{{ claim("x-c000k") }}` stands right after the original's on the topic page. Four
topic pages of about 250 cards each at 1,000 claims, the real 13-odd sources cited by all.

Nothing is random: the same repository and N give the same bytes.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
#: A card macro call on a page, as the site's pages write it.
CARD = re.compile(r"""\{\{\s*claim\(\s*["']([A-Za-z0-9_-]+)["']\s*\)\s*\}\}""")


def clone_id(claim_id: str, k: int) -> str:
    return f"{claim_id}-c{k:04d}"


def _topic_pages(content: Path) -> dict[str, str]:
    """Topic id → its page (docs-relative), from content/topics.yml."""
    data = yaml.safe_load((content / "topics.yml").read_text(encoding="utf-8"))
    return {t["id"]: t["page"] for t in data["topics"]}


def _carded(docs: Path, pages: dict[str, str], claims: dict[str, Path]) -> list[str]:
    """The claims whose card is on their own topic's page, in file order."""
    on_page: dict[str, set[str]] = {}
    for topic, page in pages.items():
        on_page[topic] = set(CARD.findall((docs / page).read_text(encoding="utf-8")))
    return [cid for cid, path in claims.items() if cid in on_page.get(path.parent.name, set())]


def _with_clones(text: str, clones: dict[str, list[str]]) -> str:
    """Each original's card followed by its clones' cards (a blank line between cards)."""

    def place(match: re.Match[str]) -> str:
        extra = clones.get(match.group(1), [])
        return match.group(0) + "".join(f'\n\n{{{{ claim("{c}") }}}}' for c in extra)

    return CARD.sub(place, text)


def generate_cards(out: Path, claims: int) -> Path:
    """Write the cards project with `claims` claims in all into `out` (which must not exist)."""
    if out.exists():
        raise FileExistsError(out)
    out.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__")
    for folder in ("content", "docs", "macros", "overrides", "hooks"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, out / folder, ignore=ignore)
    shutil.copyfile(REPO / "references.bib", out / "references.bib")
    mkdocs = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    # the browser editor (/admin/): Decap's files from node_modules, the same whatever the content
    mkdocs = re.sub(r"(?m)^(\s*)- evidence:\n\s+editor: true\n", r"\1- evidence\n", mkdocs, count=1)
    (out / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")

    content, docs = out / "content", out / "docs"
    files = {p.stem: p for p in sorted((content / "claims").rglob("*.yml"))}
    pages = _topic_pages(content)
    originals = _carded(docs, pages, files)
    if claims < len(files):
        raise ValueError(f"the cards shape starts from the {len(files)} real claims: ask for at least that")
    if not originals:
        raise ValueError("no claim has a card on its topic page: nothing to clone")
    clones: dict[str, list[str]] = {cid: [] for cid in originals}
    for n in range(claims - len(files)):
        original = originals[n % len(originals)]
        clones[original].append(clone_id(original, len(clones[original]) + 1))
    for original, ids in clones.items():
        path = files[original]
        text = path.read_text(encoding="utf-8")
        line = re.compile(rf"(?m)^id:\s*{re.escape(original)}\s*$")
        if not line.search(text):
            raise ValueError(f"{path}: no `id: {original}` line to rewrite")
        for cid in ids:
            (path.parent / f"{cid}.yml").write_text(line.sub(f"id: {cid}", text, count=1), encoding="utf-8")
    for page in pages.values():
        page_path = docs / page
        page_path.write_text(_with_clones(page_path.read_text(encoding="utf-8"), clones), encoding="utf-8")
    per_topic = {t: sum(1 for _ in (content / "claims" / t).glob("*.yml")) for t in pages}
    facts = {
        "shape": "cards",
        "claims": claims,
        "real_claims": len(files),
        "cloned": len(originals),
        "claims_per_topic": per_topic,
    }
    (out / "benchmark.json").write_text(json.dumps(facts, indent=2) + "\n", encoding="utf-8")
    return out
