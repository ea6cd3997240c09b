"""The floor: our site's pages, pre-rendered, built by bare MkDocs + Material (and its search).

    python benchmarks/floor.py PROJECT OUT

Builds PROJECT once with a hook that records every page's Markdown as MkDocs received it
after all plugins ran (cards, citations, reference lists and footers already in it), then
writes OUT: the same pages as static files (generated ones such as claims/<id>.md and
sources/<key>.md included, so the page count is the same), the same assets, and the
project's own mkdocs.yml with no plugin but the site's search (Material's search plugin,
or the same Pagefind index the evidence plugin writes, as a hook). What is left between the two builds is
exactly the work our plugins do.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from generate import replace_block

HOOK = '''\
"""Records each page's final Markdown (benchmarks/floor.py)."""
import json
import os

from mkdocs.plugins import event_priority

OUT = os.environ["EVIDENCE_FLOOR_CAPTURE"]


@event_priority(-1000)  # after every plugin, the evidence footer included
def on_page_markdown(markdown, page, config, files):
    original = markdown
    meta = {k: v for k, v in page.meta.items() if k != "render_macros"}
    # the evidence plugin holds its HTML as placeholders until after Markdown: the floor's
    # page has the HTML itself, as a site with these pages written out would
    plugin = config.plugins.get("evidence")
    renderer = getattr(plugin, "renderer", None)
    state = renderer.pages.get(page.file.src_uri) if renderer is not None else None
    if state is not None:
        markdown = renderer.placeholders.fill(markdown, state.held)
    record = {
        "src": page.file.src_uri,
        "generated": page.file.generated_by is not None,
        "in_nav": page.file.inclusion.is_in_nav(),
        "meta": meta,
        "markdown": markdown,
    }
    with open(OUT, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, default=str) + "\\n")
    return original
'''


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml even where it uses tags such as !!python/name or !ENV."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


#: The floor's hook when the site searches with Pagefind (the evidence plugin's `search`):
#: the same index over the same pages, so the floor does the same search work.
PAGEFIND_HOOK = """from pathlib import Path

from evidence.pages.search_index import build_index


def on_post_build(config):
    build_index(Path(config.site_dir))
"""


def search_only(config_text: str) -> str:
    """The same configuration with only the site's search: Material's plugin (with its own
    options) if the site lists it, else a hook that runs the same Pagefind index."""
    config = yaml.load(config_text, Loader=_AnyTagLoader) or {}
    search: object = None
    for item in config.get("plugins") or []:
        if item == "search" or (isinstance(item, dict) and "search" in item):
            search = item
    if search is not None:
        return replace_block(config_text, "plugins", yaml.safe_dump({"plugins": [search]}, sort_keys=False))
    text = replace_block(config_text, "plugins", "plugins: []\n")
    return replace_block(text, "hooks", "hooks:\n  - floor_pagefind.py\n")


def capture(project: Path) -> list[dict]:
    """Build `project` (into a temporary folder) and return every page's final Markdown."""
    with tempfile.TemporaryDirectory() as tmp:
        hook = Path(tmp) / "capture_hook.py"
        hook.write_text(HOOK, encoding="utf-8")
        records = Path(tmp) / "pages.jsonl"
        config = project / "mkdocs.floor-capture.yml"
        config.write_text(f"INHERIT: mkdocs.yml\nhooks:\n  - {hook}\n", encoding="utf-8")
        try:
            env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "EVIDENCE_FLOOR_CAPTURE": str(records)}
            site = str(Path(tmp) / "site")
            result = subprocess.run(
                [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config.name, "-d", site],
                cwd=project,
                env=env,
                capture_output=True,
                text=True,
            )
        finally:
            config.unlink()
        if result.returncode != 0:
            raise RuntimeError(f"building {project} failed:\n{result.stderr[-4000:]}")
        return [json.loads(line) for line in records.read_text(encoding="utf-8").splitlines()]


def not_in_nav(pages: list[dict]) -> list[str]:
    """gitignore-style patterns for the generated pages: whole folders where possible."""
    generated = [p["src"] for p in pages if p["generated"] and not p["in_nav"]]
    others = {p["src"].split("/", 1)[0] for p in pages if not p["generated"] and "/" in p["src"]}
    patterns: set[str] = set()
    for src in generated:
        top = src.split("/", 1)[0]
        patterns.add(f"/{top}/" if "/" in src and top not in others else f"/{src}")
    return sorted(patterns)


def write_page(path: Path, meta: dict, markdown: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    front = f"---\n{yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)}---\n\n" if meta else ""
    path.write_text(front + markdown, encoding="utf-8")


def make_floor(project: Path, out: Path) -> Path:
    """Write the floor project for `project` into `out` (which must not exist)."""
    if out.exists():
        raise FileExistsError(out)
    pages = capture(project)
    config_text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.load(config_text, Loader=_AnyTagLoader) or {}
    docs = project / config.get("docs_dir", "docs")
    out_docs = out / config.get("docs_dir", "docs")
    shutil.copytree(docs, out_docs, ignore=shutil.ignore_patterns("*.md", "__pycache__"))
    for extra in ("overrides", "hooks"):
        if (project / extra).is_dir():
            shutil.copytree(project / extra, out / extra)
    for page in pages:
        write_page(out_docs / page["src"], page["meta"], page["markdown"])
    floor_config = search_only(config_text)
    patterns = not_in_nav(pages)
    if patterns:
        floor_config = replace_block(
            floor_config, "not_in_nav", "not_in_nav: |\n" + "".join(f"  {p}\n" for p in patterns)
        )
    (out / "mkdocs.yml").write_text(floor_config, encoding="utf-8")
    if "floor_pagefind.py" in floor_config:
        (out / "floor_pagefind.py").write_text(PAGEFIND_HOOK, encoding="utf-8")
    (out / "floor.json").write_text(
        json.dumps({"project": str(project), "pages": len(pages)}, indent=2) + "\n", encoding="utf-8"
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("project", type=Path, help="a project made by generate.py (or the real site)")
    parser.add_argument("out", type=Path, help="folder to create")
    args = parser.parse_args(argv)
    make_floor(args.project.resolve(), args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
