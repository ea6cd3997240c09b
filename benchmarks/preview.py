"""Edit-to-page time under `make serve` (`mkdocs serve --dirty`): issue 15, point 6.

    python benchmarks/preview.py                 # 1,000 realistic claims, 3 edits
    python benchmarks/preview.py --claims 100 --edits 2

Generates a project (generate.py), starts `mkdocs serve --dirty -q` on 127.0.0.1 at a free
port, waits for the first build, then edits one claim's statement at a time and polls
until both the claim's page and its topic page serve the new text. `-q` as run.py's
builds: the generated words read above grade 10, and strict mode would stop on those
warnings. Prints the median seconds; `measure` is what run.py calls.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml
from generate import Spec, generate

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
FIRST_BUILD = 600.0  # seconds the first build may take
PER_EDIT = 120.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_until(urls: list[str], text: str, seconds: float) -> float:
    """Seconds until every one of `urls` serves `text`."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if all(text in fetch(url) for url in urls):
            return time.monotonic() - start
        time.sleep(0.1)
    raise RuntimeError(f"{urls} did not serve {text!r} within {seconds:.0f} s")


def _claim(project: Path, index: int) -> tuple[Path, str, str]:
    """The index-th claim file, its id and its topic page (from content/topics.yml)."""
    path = sorted((project / "content" / "claims").rglob("*.yml"))[index]
    topic = path.parent.name
    topics = yaml.safe_load((project / "content" / "topics.yml").read_text(encoding="utf-8"))["topics"]
    page = next(t["page"] for t in topics if t["id"] == topic)
    return path, path.stem, page.removesuffix(".md")


def measure(project: Path, edits: int = 3) -> list[float]:
    """Seconds from each claim edit to its page and its topic page serving the new text."""
    port = free_port()
    with tempfile.TemporaryFile() as errors:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-q", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        try:
            base = f"http://127.0.0.1:{port}/pt-back-pain/"
            path, claim_id, _page = _claim(project, 0)
            wait_until([f"{base}claims/{claim_id}/"], claim_id, FIRST_BUILD)
            took = []
            for n in range(edits):
                path, claim_id, page = _claim(project, n * 7)
                marker = f"Preview edit number {n} of claim {claim_id}."
                text = path.read_text(encoding="utf-8")
                text = re.sub(r"^statement: .*(\n  .*)*", f"statement: {marker}", text, count=1, flags=re.M)
                time.sleep(1.0)  # the watcher settles after the previous build
                path.write_text(text, encoding="utf-8")
                took.append(wait_until([f"{base}claims/{claim_id}/", f"{base}{page}/"], marker, PER_EDIT))
            return took
        except RuntimeError:
            errors.seek(0)
            sys.stderr.write(errors.read().decode("utf-8", "replace")[-3000:])
            raise
        finally:
            server.terminate()
            server.wait(timeout=60)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--shape", default="realistic")
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/evidence-preview"), help="scratch folder")
    args = parser.parse_args(argv)
    shutil.rmtree(args.work / f"{args.claims}-{args.shape}", ignore_errors=True)
    project = generate(args.work / f"{args.claims}-{args.shape}", Spec(claims=args.claims, shape=args.shape))
    took = measure(project, args.edits)
    print(
        f"preview, {args.claims:,} {args.shape} claims: edit to page " + ", ".join(f"{t:.1f}" for t in took)
    )
    print(f"median {statistics.median(took):.1f} s; load average {Path('/proc/loadavg').read_text().strip()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
