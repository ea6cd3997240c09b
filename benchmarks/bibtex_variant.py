"""The same pages and citations for mkdocs-bibtex 4.4.0 (the `bench` extra), to compare with.

    python benchmarks/bibtex_variant.py FLOOR PROJECT OUT

Starts from the floor (floor.py: our pages pre-rendered) and hands the citations back to
a plugin: every citation `<sup class="ev-cite">…</sup>` becomes `[@key]`, each page's
"References on this page" list is dropped (mkdocs-bibtex appends its own as footnotes),
and the HTML blocks holding citations get `markdown="1"` (md_in_html) so the footnote
references inside them are processed. mkdocs-bibtex reads the project's references.bib
(all of it, as it always does) and formats each cited entry with pybtex.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path

import yaml
from floor import _AnyTagLoader, replace_block

_CITE = re.compile(r'<sup class="ev-cite">.*?href="#ref-([^"]+)".*?</sup>', re.DOTALL)
_PAGE_REFS = re.compile(r'<section class="ev-page-refs".*?</section>\n?', re.DOTALL)
_BLOCK_TAGS = re.compile(r"<(article|div|section|p|td|th|li|details|blockquote|footer|header)(?=[\s>])")


def convert(markdown: str) -> tuple[str, int]:
    """One page for mkdocs-bibtex, and how many citations it holds."""
    body, count = _CITE.subn(lambda m: f"[@{m.group(1)}]", markdown)
    if not count:
        return body, 0
    body = _PAGE_REFS.sub("", body)
    return _BLOCK_TAGS.sub(lambda m: f'<{m.group(1)} markdown="1"', body), count


def make_variant(floor: Path, project: Path, out: Path) -> Path:
    if out.exists():
        raise FileExistsError(out)
    shutil.copytree(floor, out, ignore=shutil.ignore_patterns("site"))
    shutil.copy(project / "references.bib", out / "references.bib")
    config_text = (out / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.load(config_text, Loader=_AnyTagLoader) or {}
    citations = 0
    for page in sorted((out / config.get("docs_dir", "docs")).rglob("*.md")):
        text, count = convert(page.read_text(encoding="utf-8"))
        citations += count
        page.write_text(text, encoding="utf-8")
    plugins = {"plugins": ["search", {"bibtex": {"bib_file": "references.bib"}}]}
    config_text = replace_block(config_text, "plugins", yaml.safe_dump(plugins, sort_keys=False))
    extensions = [e for e in config.get("markdown_extensions") or [] if e is not None]
    if "footnotes" not in extensions:  # mkdocs-bibtex writes its references as footnotes
        extensions.append("footnotes")
    config_text = replace_block(
        config_text,
        "markdown_extensions",
        yaml.safe_dump({"markdown_extensions": extensions}, sort_keys=False),
    )
    (out / "mkdocs.yml").write_text(config_text, encoding="utf-8")
    (out / "bibtex.json").write_text(json.dumps({"citations": citations}, indent=2) + "\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("floor", type=Path)
    parser.add_argument("project", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    make_variant(args.floor, args.project, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
