"""`python -m evidence`: check, schema, new, new-source, diff, release, export, init.

One function per command. Each imports what it needs when it runs: `check` of an
unchanged project answers from the cache in a fraction of a second, less than importing
the models, pybtex, Jinja and the diff engine would take.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from evidence.cli import report
from evidence.content import siteconfig
from evidence.content.options import DEFAULTS
from evidence.core.problems import Problem, Severity
from evidence.editions import release

if TYPE_CHECKING:
    from evidence.cache.store import Cache
    from evidence.load.corpus import Settings


def _filter(problems: list[Problem], paths: Sequence[str]) -> list[Problem]:
    if not paths:
        return problems
    wanted = [Path(p).as_posix().rstrip("/") for p in paths]
    if "." in wanted:  # `check .`: the whole project
        return problems
    return [p for p in problems if any(p.path == w or p.path.startswith(w + "/") for w in wanted)]


def _fail(command: str, message: str, hint: str = "", status: int = 1) -> int:
    """Print the error with the fix on the next line; return the exit status."""
    print(f"python -m evidence {command}: error: {message}", file=sys.stderr)
    if hint:
        print(f"    hint: {hint}", file=sys.stderr)
    return status


def _usage_error(command: str, message: str, hint: str = "") -> int:
    """Exit status 2, as argparse gives for a bad argument."""
    return _fail(command, message, hint, status=2)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _project_paths(root: Path, paths: Sequence[str]) -> list[str]:
    """PATH arguments as project-relative POSIX paths; ValueError names one that is missing."""
    out = []
    base = root.resolve()
    for given in paths:
        full = (Path(given) if Path(given).is_absolute() else Path.cwd() / given).resolve()
        if not full.exists() or not full.is_relative_to(base):
            raise ValueError(given)
        out.append(full.relative_to(base).as_posix())
    return out


def cmd_check(args: argparse.Namespace) -> int:
    root = Path(args.root)
    try:
        args.paths = _project_paths(root, args.paths)
    except ValueError as exc:
        return _usage_error("check", f"no such file or folder in the project: {exc}")
    from evidence.cache.store import Cache
    from evidence.editions import release
    from evidence.editions.deleted import deleted_claims
    from evidence.editions.git import GitError
    from evidence.load.corpus import Settings
    from evidence.load.docs_check import check_docs_pages, content_and_facts

    if unsafe := _unsafe_paths(root):  # nothing is read through a link that leaves the project
        print(report.FORMATS[args.format](unsafe))
        return 1
    options = siteconfig.plugin_options(root)  # judge content as the build does
    months = args.max_review_age if args.max_review_age is not None else options.review_max_months
    kept = {"unused_references": options.unused_references, "citation_style": options.citation_style}
    settings = Settings(review_max_months=months, **kept)
    cache = Cache(root, freeze=True) if options.cache else None
    problems, facts = content_and_facts(root, settings, cache)  # runs no git
    problems = sorted(set(problems + deleted_claims(root, release.detect(root))))  # git, once
    # pages as the build reads them: their syntax, the names their calls look up, their cards
    problems += check_docs_pages(root, cache, facts)
    if args.base is not None:  # review aids against the base: opt-in, it loads two corpora
        try:
            problems += _review_aids(root, args.base or None, settings)
        except GitError as exc:
            return _usage_error("check", str(exc), "name a commit, branch or tag: `check --base main`")
    stale_files = _stale_schemas(root, cache)
    if stale_files:  # the models are imported only when a schema is out of date
        from evidence.content.schema import stale_problem

        problems += [stale_problem(path) for path in stale_files]
    for untrusted in cache.untrusted if cache is not None else []:  # on stderr: the report is unchanged
        print(untrusted.format(), file=sys.stderr)
    problems = sorted(_filter(problems, args.paths))
    print(report.FORMATS[args.format](problems))
    errors = any(p.severity is Severity.error for p in problems)
    if errors or (args.strict and problems):
        return 1
    return 0


def _review_aids(root: Path, base: str | None, settings: Settings) -> list[Problem]:
    """`editions.reviewed.unreviewed` between `base` (default: as `diff` picks it) and the tree."""
    from evidence.editions import gitrev
    from evidence.editions.diff import diff_corpora
    from evidence.editions.reviewed import unreviewed

    old, _ = gitrev.load_revision(root, base or gitrev.default_base(root), settings)
    new, _ = gitrev.load_revision(root, None, settings)
    return unreviewed(diff_corpora(old, new), new)


def _unsafe_paths(root: Path) -> list[Problem]:
    """`safepath.check_project` over the trees the build reads (docs_dir from mkdocs.yml)."""
    from evidence.core import safepath

    return safepath.check_project(root, siteconfig.docs_dir(root))


def _schema_key(root: Path, files: list[str]) -> str | None:
    """The bytes of the published schema files (None if one cannot be read)."""
    digest = hashlib.blake2b(digest_size=20)
    for rel in files:
        try:
            data = (root / rel).read_bytes()
        except FileNotFoundError:
            data = b"missing"
        except OSError:
            return None
        digest.update(f"{rel}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


def _stale_schemas(root: Path, cache: Cache | None) -> list[str]:
    """`schema.stale`, remembered by the published files' bytes in the cache of this code version.

    Generating the schemas means importing the models, the longest step of a memoised
    check; the answer depends only on them (the code version) and on those files.
    """
    saved = cache.load("schema") if cache is not None else None
    if isinstance(saved, dict) and _schema_key(root, saved["files"]) == saved["key"]:
        return list(saved["stale"])
    from evidence.content import schema

    files = [f"{schema.SCHEMA_DIR}/{name}" for name in schema.PUBLISHED]
    key = _schema_key(root, files)
    stale = schema.stale(root)
    if cache is not None and key is not None and _schema_key(root, files) == key:
        cache.save("schema", {"files": files, "key": key, "stale": stale})
    return stale


def cmd_schema(args: argparse.Namespace) -> int:
    from evidence.content import schema
    from evidence.core import safepath

    try:
        written = schema.write(Path(args.root))
    except safepath.UnsafePath as exc:
        return _fail("schema", exc.problem.message + f" ({exc.problem.path})", exc.problem.hint)
    for path in written:
        print(f"wrote {path}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from evidence.cli import scaffold

    root = Path(args.root)
    try:
        path = scaffold.new_claim(root, args.topic, args.id)
    except scaffold.ScaffoldError as exc:
        return _fail("new", exc.message, exc.hint, status=2 if exc.usage else 1)
    rel = path.relative_to(root).as_posix()
    print(f"wrote {rel}")
    print(f"next: fill in every empty field, then run `python -m evidence check {rel}`")
    return 0


def cmd_new_source(args: argparse.Namespace) -> int:
    from evidence.cli import scaffold

    if args.from_file:
        from evidence.cli.sources import import_sources

        return import_sources(Path(args.from_file))
    if not args.key:
        return _usage_error("new-source", "give the new entry's key, or --from FILE", "e.g. smith-2021")
    try:
        print(scaffold.source_skeleton(Path(args.root), args.key, args.type), end="")
    except scaffold.ScaffoldError as exc:
        return _fail("new-source", exc.message, exc.hint, status=2 if exc.usage else 1)
    return 0


def _rev_label(root: Path, rev: str, note: str = "") -> str:
    """'main (1a2b3c4d5e)': what was compared, for people (and JSON)."""
    from evidence.editions import gitrev

    commit = gitrev.resolve(root, rev)[:10]
    text = commit if rev.startswith(commit[:7]) else f"{rev} ({commit})"
    return f"{text} ({note})" if note else text


def cmd_diff(args: argparse.Namespace) -> int:
    from evidence.cli import diff_report
    from evidence.editions import gitrev
    from evidence.editions.codechanges import code_changes
    from evidence.editions.diff import diff_corpora
    from evidence.editions.reviewed import unreviewed
    from evidence.load.corpus import CLAIMS_DIR

    root = Path(args.root)
    try:
        if args.base is None:
            base, note = gitrev.default_base_and_name(root)
        else:
            base, note = args.base, ""
        base_label = _rev_label(root, base, note)
        head_label = "the working tree" if args.head is None else _rev_label(root, args.head)
        old, old_problems = gitrev.load_revision(root, base)
        new, new_problems = gitrev.load_revision(root, args.head)
        code = code_changes(root, base, args.head)  # code, not content: shown first (SECURITY.md)
        on_pages = diff_report.retired_on_pages(root, args.head, new)  # pages still calling one
    except gitrev.GitError as exc:
        return _usage_error("diff", str(exc))

    def broken(problems: list[Problem]) -> set[str]:
        """Claim files that exist and failed to load: a deletion is never one of them."""
        return {
            p.path
            for p in problems
            if p.severity is Severity.error and p.path.startswith(CLAIMS_DIR) and p.rule != "claim-deleted"
        }

    # files already broken at BASE are not news; newly broken ones are not "deleted"
    changes = diff_corpora(old, new, unreadable=broken(new_problems) - broken(old_problems))
    warnings = unreviewed(changes, new) + on_pages  # review aids: a review date kept; a retired card
    render = diff_report.as_json if args.format == "json" else diff_report.markdown
    text = render(changes, base=base_label, head=head_label, base_rev=base, warnings=warnings, code=code)
    print(text, end="")
    for problem in [c.problem() for c in code] + changes.problems(base) + warnings:
        print(problem.format(), file=sys.stderr)
    return 1 if changes.removed else 0


def cmd_release(args: argparse.Namespace) -> int:
    tag = args.tag or os.environ.get("RELEASE_TAG") or None
    try:
        return release.publish(Path(args.root), tag, push=args.push, dry_run=args.dry_run)
    except release.ReleaseError as exc:
        print(f"python -m evidence release: error: {exc}", file=sys.stderr)
        return 1


def cmd_export(args: argparse.Namespace) -> int:
    """Write the downloads (the same bytes the build publishes under data/); refuse invalid content."""
    from evidence.load.corpus import load_corpus
    from evidence.render import export

    root = Path(args.root)
    unsafe = _unsafe_paths(root)
    corpus, problems = load_corpus(root) if not unsafe else (None, unsafe)
    errors = [p for p in problems if p.severity is Severity.error]
    if errors:
        print(report.FORMATS["text"](sorted(errors)), file=sys.stderr)
        print("python -m evidence export: nothing written; fix the errors above first", file=sys.stderr)
        return 1
    out = Path(args.out) if Path(args.out).is_absolute() else root / args.out
    assert corpus is not None
    for path in export.write(corpus, out):
        print(f"wrote {path}")
    return 0


class _SourceTypes:
    """`scaffold.SOURCE_TYPES` as argparse choices, imported only when `new-source` reads them."""

    def __iter__(self) -> Iterator[str]:
        from evidence.cli import scaffold

        return iter(scaffold.SOURCE_TYPES)

    def __contains__(self, item: object) -> bool:
        return item in list(self)


#: What `--help` says: the contributor's loop, not how the module is built.
USAGE = """\
Write and check the claims of an evidence site.

A contributor's loop:
  python -m evidence new <topic> <id>     write a claim file to fill in
  python -m evidence new-source <key>     print a references.bib entry to fill in
  python -m evidence check [PATH ...]     every problem, with file, line and fix
  python -m evidence diff [BASE [HEAD]]   what a reviewer sees (exit 1: a claim deleted)

Run `python -m evidence <command> --help` for a command's options."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m evidence",
        description=USAGE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--root", default=".", help="project root (default: current folder)")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="validate claims, topics and references.bib")
    check.add_argument("paths", nargs="*", help="only report problems in these files or folders")
    check.add_argument("--format", choices=sorted(report.FORMATS), default="text")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.add_argument(
        "--max-review-age",
        type=_positive,
        metavar="MONTHS",
        help="warn when a claim was last reviewed longer ago (default: the plugin's "
        f"review_max_months in mkdocs.yml, else {DEFAULTS.review_max_months})",
    )
    check.add_argument(
        "--base",
        nargs="?",
        const="",
        metavar="REV",
        help="also warn when a claim's statistic, quote, statement or source changed since REV "
        "(default: the base `diff` uses) and its reviewed.date did not",
    )
    check.set_defaults(func=cmd_check)

    sch = sub.add_parser("schema", help="regenerate content/schema/*.schema.json from the model")
    sch.set_defaults(func=cmd_schema)

    new = sub.add_parser("new", help="write the skeleton of a new claim file")
    new.add_argument("topic", help="a topic id from content/topics.yml")
    new.add_argument("id", help="the new claim's id: lowercase letters, digits and hyphens")
    new.set_defaults(func=cmd_new)

    source = sub.add_parser("new-source", help="print a BibTeX entry to add to references.bib")
    source.add_argument("key", nargs="?", help="the entry's key, e.g. smith-2021")
    source.add_argument("--from", dest="from_file", metavar="FILE", help="a .nbib, RIS or CSL-JSON export")
    source.add_argument(
        "--type",
        choices=_SourceTypes(),
        default="article",
        metavar="TYPE",  # given, so that argparse does not list (import) the choices to build the parser
        help="article, online or report (default: article)",
    )
    source.set_defaults(func=cmd_new_source)

    diff = sub.add_parser(
        "diff",
        help="what changed in claims and references between two git revisions",
        description="BASE defaults to the merge-base of HEAD with the default branch, "
        "HEAD to the working tree. Exit 1 when a published claim was deleted.",
    )
    diff.add_argument("base", nargs="?", metavar="BASE", help="a commit, branch or tag")
    diff.add_argument("head", nargs="?", metavar="HEAD", help="a commit, branch or tag")
    diff.add_argument("--format", choices=["markdown", "json"], default="markdown")
    diff.set_defaults(func=cmd_diff)

    rel = sub.add_parser(
        "release",
        help="deploy the tagged edition with mike (after `git tag vX.Y`)",
        description="Builds the checked-out release tag and deploys it with mike to gh-pages as "
        f"'{release.DEFAULT_ALIAS}', the default version. The tree must be clean and HEAD tagged.",
    )
    rel.add_argument("--tag", help="the release tag (default: $RELEASE_TAG, else the vX.Y tag on HEAD)")
    rel.add_argument("--push", action="store_true", help="push gh-pages to origin (CI does)")
    rel.add_argument("--dry-run", action="store_true", help="print the mike commands, run nothing")
    rel.set_defaults(func=cmd_release)

    exp = sub.add_parser("export", help="write claims.json, claims.csv, references.bib and CSL-JSON")
    exp.add_argument("--out", default="build/data", help="folder to write to (default: build/data)")
    exp.set_defaults(func=cmd_export)

    from evidence.sitekit import command as init_command  # `init DIR`: a new site from the package's skeleton

    init_command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))
