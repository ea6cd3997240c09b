"""`python -m evidence`: check, schema (later: new, diff, export). One function per command."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from . import report, schema
from .corpus import Settings, load_corpus
from .problems import Problem, Severity


def _filter(problems: list[Problem], paths: Sequence[str]) -> list[Problem]:
    if not paths:
        return problems
    wanted = [Path(p).as_posix().rstrip("/") for p in paths]
    return [p for p in problems if any(p.path == w or p.path.startswith(w + "/") for w in wanted)]


def cmd_check(args: argparse.Namespace) -> int:
    root = Path(args.root)
    settings = Settings(review_max_months=args.max_review_age)
    _corpus, problems = load_corpus(root, settings)
    for stale in schema.stale(root):
        problems.append(
            Problem(
                stale,
                1,
                1,
                Severity.error,
                "published JSON Schema is out of date",
                "schema-stale",
                "run `python -m evidence schema`",
            )
        )
    problems = sorted(_filter(problems, args.paths))
    print(report.FORMATS[args.format](problems))
    errors = any(p.severity is Severity.error for p in problems)
    if errors or (args.strict and problems):
        return 1
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    for path in schema.write(Path(args.root)):
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m evidence", description=__doc__)
    parser.add_argument("--root", default=".", help="project root (default: current folder)")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="validate claims, topics and references.bib")
    check.add_argument("paths", nargs="*", help="only report problems in these files or folders")
    check.add_argument("--format", choices=sorted(report.FORMATS), default="text")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.add_argument(
        "--max-review-age",
        type=int,
        default=24,
        metavar="MONTHS",
        help="warn when a claim was last reviewed longer ago (default: 24)",
    )
    check.set_defaults(func=cmd_check)

    sch = sub.add_parser("schema", help="regenerate content/schema/*.schema.json from the model")
    sch.set_defaults(func=cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))
