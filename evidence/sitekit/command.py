"""The `init` subcommand: argparse wiring for `init_site`, kept beside it so the CLI adds one line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evidence.sitekit import InitError, init_site
from evidence.sitekit.origin import first_commit


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `init DIR [--title T] [--topic ID]…` to the CLI's subcommands."""
    init = sub.add_parser(
        "init",
        help="write a new evidence site into an empty folder",
        description="Writes mkdocs.yml, docs/, content/ (with one example claim), macros/, "
        "references.bib, a smoke test, a README and the CI workflows into DIR, which must be "
        "missing or empty. The new site passes `evidence check` and `mkdocs build --strict`.",
    )
    init.add_argument("dir", metavar="DIR", help="the folder to create (missing or empty)")
    init.add_argument("--title", default="My evidence summary", help="the site's name")
    init.add_argument(
        "--topic",
        action="append",
        default=[],
        metavar="ID",
        help="a topic id, one page each (repeatable; default: findings)",
    )
    init.add_argument(
        "--repo-url",
        metavar="URL",
        help="the site's repository, e.g. https://github.com/your-org/your-site: every claim then "
        "links to the correction form and to its file in the forge's editor (default: no such links)",
    )
    init.add_argument(
        "--branch", default="main", help="the branch pull requests go to, for the edit links (default: main)"
    )
    init.add_argument(
        "--no-git",
        action="store_true",
        help="do not make DIR a git repository with a first commit (default: git init and commit)",
    )
    init.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    dest = Path(args.dir)
    try:
        written = init_site(dest, args.title, args.topic, repo_url=args.repo_url, branch=args.branch)
    except InitError as exc:
        print(f"evidence init: error: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"    hint: {exc.hint}", file=sys.stderr)
        return 2 if exc.usage else 1
    print(f"Wrote {len(written)} files into {dest}.")
    if not args.no_git:
        failed = first_commit(dest)
        print(f"Not committed: {failed}" if failed else "Made it a git repository with a first commit.")
    print("Next:")
    print(f"  cd {dest} && make serve     # the README says how to run evidence and mkdocs without make")
    if args.repo_url is None:
        print("No --repo-url: pages link to no repository. Add repo_url and edit_uri to mkdocs.yml")
        print("when the site has one; then each claim links to a correction form and to its file.")
    return 0
