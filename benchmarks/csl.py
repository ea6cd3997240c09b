"""Formatting 1,000 references in a CSL style against AMA, cold and warm (issue 25, point 3).

    .venv/bin/python benchmarks/csl.py [--refs 1000] [--styles apa vancouver-nlm]

The references are the benchmark generator's (`generate.bib_entry`: articles, books, web
pages and reports). Cold: every reference formatted as a build's References page reads it
(`text` and `html`). Warm: a second build, its memo given the first's formatted values, as
the cache gives them (`Cache.remember_formatted`). CPU seconds (time.process_time), so
other work on the machine does not count.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import bib_entry, ref_key

from evidence.bib import library as bib


def run(path: Path, style: str, reuse: dict | None = None) -> tuple[float, dict]:
    start = time.process_time()
    memo = bib.Memo(reuse=reuse or {}, style=style)
    library, problems = bib.load_library(path, "references.bib", format_all=False, memo=memo)
    assert not [p for p in problems if p.severity.name == "error"], problems[:3]
    for ref in library.references.values():
        ref.text  # noqa: B018
        ref.html  # noqa: B018
    return time.process_time() - start, bib.derived(library)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refs", type=int, default=1000)
    styles = ["ama", "vancouver-nlm", "apa", "harvard-cite-them-right"]
    parser.add_argument("--styles", nargs="+", default=styles)
    args = parser.parse_args()
    rng = random.Random(25)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "references.bib"
        path.write_text("\n".join(bib_entry(rng, ref_key(i)) for i in range(args.refs)), encoding="utf-8")
        print(f"| style | {args.refs} references, cold (s) | warm (s) | per reference, cold (ms) |")
        print("|---|---|---|---|")
        for style in args.styles:
            cold, derived = run(path, style)
            warm, _ = run(path, style, derived)
            print(f"| {style} | {cold:.2f} | {warm:.2f} | {cold / args.refs * 1000:.2f} |")


if __name__ == "__main__":
    main()
