"""The memo of a whole check (`.cache/evidence/<version>/checked.pickle`) is never stale.

`check` answers from the memo when the fingerprint of every input of `load_corpus` (the
settings, references.bib and every file under content/ by path and bytes) equals the one a
full load left. Each test changes one input after the memo was written and compares the
answer with a full load that uses no cache at all: same problems, same order.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from gitrepo import GIT_ENV, commit, git, init
from helpers import BIB, Project, claim_data, mini_project

from evidence.bib import library as bib
from evidence.cache import store as cache
from evidence.cache.store import CACHE_DIR, Cache
from evidence.core.problems import Problem
from evidence.load import checks, loader, trust
from evidence.load.corpus import Settings, check_content, claim_entries, claim_files, fingerprint, load_corpus

TODAY = dt.date.today()
SETTINGS = Settings(today=TODAY)
UNUSED = "\n@misc{unused-c,\n  title = {An entry no claim cites},\n  howpublished = {Web},\n}\n"


def base_project(root: Path) -> Project:
    """Two valid claims, one citing an unknown key, a symlink and an unused entry: errors and warnings."""
    project = mini_project(root, bib=BIB + UNUSED)
    project.write_claim(claim_data("odd-claim", "benefits", source="no-such-key", reported_in=None))
    (root / "content/claims/burden/alias.yml").symlink_to("example-claim.yml")
    return project


def memoised(root: Path, settings: Settings = SETTINGS) -> list[Problem]:
    """`check_content` with the project's cache (what `python -m evidence check` runs)."""
    return check_content(root, settings, cache=Cache(root))


def truth(root: Path, settings: Settings = SETTINGS) -> list[Problem]:
    """A full load with no cache at all."""
    return load_corpus(root, settings)[1]


def has_memo(root: Path, settings: Settings = SETTINGS) -> bool:
    now = fingerprint(root, settings)
    return now is not None and Cache(root).checked(now.key) is not None


def _edit(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def _drop_topic(root: Path) -> None:
    path = root / "content/topics.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["topics"] = [t for t in data["topics"] if t["id"] != "benefits"]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _drop_authors(root: Path) -> None:
    path = root / "content/site.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["authors"]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _retarget(root: Path) -> None:
    link = root / "content/claims/burden/alias.yml"
    link.unlink()
    link.symlink_to("no-such-file.yml")


EXAMPLE = "content/claims/burden/example-claim.yml"
ODD = "content/claims/benefits/odd-claim.yml"

#: (what changes, does the answer change). Where it does not, the memo must still be dropped
#: (the fingerprint covers every file under content/) and the answer stay that of a full run.
MUTATIONS: dict[str, tuple[Callable[[Path], None], bool]] = {
    "one byte of a claim": (_edit(EXAMPLE, "source: survey-b", "source: survey-c"), True),
    "a line above a reported field": (
        _edit(ODD, "id: odd-claim", "# a new comment line\nid: odd-claim"),
        True,
    ),
    "the claim's own id": (_edit(EXAMPLE, "id: example-claim", "id: example-claim-2"), True),
    "a claim removed": (lambda root: (root / EXAMPLE).unlink(), True),
    "a claim renamed": (
        lambda root: (root / EXAMPLE).rename(root / "content/claims/burden/renamed.yml"),
        True,
    ),
    "a non-.yml file added": (lambda root: (root / "content/claims/burden/notes.txt").write_text("x"), True),
    "a hidden file added": (lambda root: (root / "content/claims/.DS_Store").write_bytes(b"\0"), True),
    "a claim in a sub-folder": (
        lambda root: shutil.copytree(root / "content/claims/burden", root / "content/claims/burden/sub"),
        True,
    ),
    "a symlink added": (
        lambda root: (root / "content/claims/benefits/link.yml").symlink_to("odd-claim.yml"),
        True,
    ),
    "a symlink renamed": (
        lambda root: (root / "content/claims/burden/alias.yml").rename(root / "content/claims/burden/b.yml"),
        True,
    ),
    "a symlink removed": (lambda root: (root / "content/claims/burden/alias.yml").unlink(), True),
    "a symlink's target": (_retarget, False),
    "topics.yml": (_drop_topic, True),
    "site.yml": (_drop_authors, True),
    "references.bib: an entry added": (_edit("references.bib", "@misc{unused-c", "@misc{unused-d"), True),
    "references.bib: one byte": (_edit("references.bib", "Back Pain}", "Back Pains}"), False),
    "references.bib removed": (lambda root: (root / "references.bib").unlink(), True),
    "an empty folder": (lambda root: (root / "content/claims/burden/empty").mkdir(), False),
    "a file elsewhere in content/": (lambda root: (root / "content/notes.md").write_text("notes"), False),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_the_memo_follows_every_input(tmp_path: Path, name: str) -> None:
    mutate, changes_answer = MUTATIONS[name]
    base_project(tmp_path)
    before = memoised(tmp_path)
    assert before == truth(tmp_path)
    assert any(p.severity == "error" for p in before) and any(p.severity == "warning" for p in before)
    assert has_memo(tmp_path), "a full check leaves the memo"
    assert memoised(tmp_path) == before

    memo_key = fingerprint(tmp_path, SETTINGS)
    mutate(tmp_path)
    assert fingerprint(tmp_path, SETTINGS) != memo_key, "every change under content/ changes the fingerprint"
    assert not has_memo(tmp_path)
    after = memoised(tmp_path)
    assert after == truth(tmp_path)
    assert (after != before) == changes_answer
    assert memoised(tmp_path) == after, "and the next check answers the same from the new memo"


@pytest.mark.parametrize(
    "settings",
    [
        Settings(today=TODAY + dt.timedelta(days=3 * 365)),  # every review is stale
        Settings(today=TODAY - dt.timedelta(days=60)),  # every review is in the future
        Settings(today=TODAY, review_max_months=24, unused_references="ignore"),
    ],
    ids=["today later", "today earlier", "unused_references"],
)
def test_the_memo_follows_the_settings(tmp_path: Path, settings: Settings) -> None:
    base_project(tmp_path)
    before = memoised(tmp_path)
    after = memoised(tmp_path, settings)
    assert after == truth(tmp_path, settings)
    assert after != before
    assert memoised(tmp_path) == before == truth(tmp_path)


def test_the_review_age_setting_is_part_of_the_key(tmp_path: Path) -> None:
    project = base_project(tmp_path)
    old = (TODAY - dt.timedelta(days=400)).isoformat()
    project.write_claim(claim_data(reviewed={"date": old, "by": "Test Reviewer"}))
    strict = Settings(today=TODAY, review_max_months=6)
    assert memoised(tmp_path) == truth(tmp_path)
    assert memoised(tmp_path, strict) == truth(tmp_path, strict) != truth(tmp_path)


def test_a_linked_topics_file_is_followed(tmp_path: Path) -> None:
    """load_corpus reads through a symlink to topics.yml: so does the fingerprint."""
    base_project(tmp_path)
    shared = tmp_path / "shared-topics.yml"
    shutil.move(tmp_path / "content/topics.yml", shared)
    (tmp_path / "content/topics.yml").symlink_to(shared)
    before = memoised(tmp_path)
    assert before == truth(tmp_path)
    _drop_topic(tmp_path)  # writes through the link, into the file outside content/
    assert (tmp_path / "content/topics.yml").is_symlink()
    assert memoised(tmp_path) == truth(tmp_path) != before


def test_a_linked_claims_folder_is_walked(tmp_path: Path) -> None:
    """content/claims itself may be a link (load_corpus walks what it points to)."""
    base_project(tmp_path)
    shutil.move(tmp_path / "content/claims", tmp_path / "claims-elsewhere")
    (tmp_path / "content/claims").symlink_to(tmp_path / "claims-elsewhere")
    before = memoised(tmp_path)
    assert before == truth(tmp_path)
    _edit("claims-elsewhere/burden/example-claim.yml", "source: survey-b", "source: survey-c")(tmp_path)
    assert memoised(tmp_path) == truth(tmp_path) != before


def test_a_special_file_is_never_memoised(tmp_path: Path) -> None:
    base_project(tmp_path)
    os.mkfifo(tmp_path / "content/claims/burden/pipe.yml")
    assert fingerprint(tmp_path, SETTINGS) is None
    assert memoised(tmp_path) == truth(tmp_path)
    assert not any((tmp_path / CACHE_DIR).glob("*/checked.pickle"))


def refuse_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every public way to read a claim, the topics or the bibliography raises from now on."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a memo hit must not load anything")

    monkeypatch.setattr(loader, "load_claim", refuse)
    monkeypatch.setattr(loader, "claim_from_bytes", refuse)
    monkeypatch.setattr(loader, "load_topics", refuse)
    monkeypatch.setattr(bib, "load_library", refuse)
    monkeypatch.setattr(cache.Cache, "claim", refuse)
    monkeypatch.setattr(cache.Cache, "library", refuse)


def test_a_memo_hit_loads_no_claim_nor_bibliography(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base_project(tmp_path)
    before = memoised(tmp_path)
    refuse_loading(monkeypatch)
    assert memoised(tmp_path) == before
    (tmp_path / "content/claims/burden/notes.txt").write_text("x")
    with pytest.raises(AssertionError, match="must not load"):
        memoised(tmp_path)


def test_a_build_leaves_the_memo_for_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plugin calls load_corpus with the cache: that stores the memo too."""
    base_project(tmp_path)
    _corpus, problems = load_corpus(tmp_path, SETTINGS, cache=Cache(tmp_path))
    assert problems == truth(tmp_path)
    refuse_loading(monkeypatch)  # the build's memo answers, or loading raises
    assert memoised(tmp_path) == problems


def test_a_file_changed_while_loading_leaves_no_memo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fingerprint is taken before and after: a file edited in between is not memoised as read."""
    base_project(tmp_path)
    rules = checks.corpus_rules

    def edit_meanwhile(*args: object, **kwargs: object) -> list[Problem]:
        found = rules(*args, **kwargs)  # type: ignore[arg-type]
        _edit(EXAMPLE, "source: survey-b", "source: survey-c")(tmp_path)  # after every claim was read
        return found

    monkeypatch.setattr(checks, "corpus_rules", edit_meanwhile)
    during = memoised(tmp_path)
    monkeypatch.undo()
    assert not has_memo(tmp_path)
    assert memoised(tmp_path) == truth(tmp_path) != during


def test_a_file_changed_before_it_was_read_is_not_memoised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edited after the first fingerprint and before it is read, then restored: no memo of the edit."""
    base_project(tmp_path)
    original = (tmp_path / EXAMPLE).read_bytes()
    load_site = trust.load_site

    def edit_first(root: Path) -> object:
        _edit(EXAMPLE, "source: survey-b", "source: survey-c")(tmp_path)  # before any claim is read
        return load_site(root)

    monkeypatch.setattr(trust, "load_site", edit_first)
    during = memoised(tmp_path)
    monkeypatch.undo()
    (tmp_path / EXAMPLE).write_bytes(original)  # the bytes of the fingerprint taken before loading
    assert memoised(tmp_path) == truth(tmp_path) != during


def test_valid_claims_keep_no_positions_and_where_is_exact(tmp_path: Path) -> None:
    base_project(tmp_path)
    memoised(tmp_path)
    for use_cache in (None, Cache(tmp_path)):
        found, _ = load_corpus(tmp_path, SETTINGS, cache=use_cache)
        assert all(lc.doc is None for lc in found.loaded.values()), "no position table is held per claim"
        odd = found.loaded["odd-claim"]
        text = (tmp_path / ODD).read_text(encoding="utf-8")
        line = text.splitlines().index("source: no-such-key") + 1
        assert odd.where("source") == (line, len("source: ") + 1)
        assert odd.where("statistic", "unit", key=True)[0] == text.splitlines().index("  unit: percent") + 1


def test_where_never_points_into_a_changed_file(tmp_path: Path) -> None:
    base_project(tmp_path)
    found, _ = load_corpus(tmp_path, SETTINGS)
    example = found.loaded["example-claim"]  # no problem reported on it: its file was not read again
    _edit(EXAMPLE, "id: example-claim", "# moved\n# down\nid: example-claim")(tmp_path)
    assert example.where("source") == (1, 1), "positions come only from the bytes that were validated"
    _edit(EXAMPLE, "# moved\n# down\n", "")(tmp_path)  # the same bytes again
    assert example.where("source") != (1, 1)


def _rglob_claim_files(root: Path) -> list[Path]:
    """claim_files as it was written with pathlib (the reference for the os.scandir version)."""
    base = root / "content/claims"
    if not base.is_dir():
        return []
    return sorted(p for p in base.rglob("*") if p.is_file() or p.is_symlink())


def test_claim_files_lists_what_rglob_listed_in_the_same_order(tmp_path: Path) -> None:
    base_project(tmp_path)
    claims = tmp_path / "content/claims"
    for rel in (
        "a/x.yml",
        "a-b/x.yml",
        "a.b/x.yml",
        "a/b/c/deep.yml",
        ".hidden/x.yml",
        "a/.x",
        "a/x.",
        "Z.yml",
    ):
        (claims / rel).parent.mkdir(parents=True, exist_ok=True)
        (claims / rel).write_text("x")
    (claims / "dirlink").symlink_to(claims / "a")  # listed as a file, never entered
    (claims / "a/dangling.yml").symlink_to("nowhere.yml")
    os.mkfifo(claims / "a/pipe.yml")  # neither a file nor a link: rglob's filter left it out
    expected = _rglob_claim_files(tmp_path)
    assert claim_files(tmp_path) == expected
    links = {p.relative_to(tmp_path).as_posix() for p in expected if p.is_symlink()}
    assert {rel for rel, link in claim_entries(tmp_path) if link} == links
    assert claim_files(tmp_path / "nowhere") == []


# -- the command line ---------------------------------------------------------------------


def run_check(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "evidence", "check", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV, **(env or {})},
        timeout=120,
    )


def uncached(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The truth: `check` with the cache deleted first (and after)."""
    shutil.rmtree(root / ".cache", ignore_errors=True)
    done = run_check(root, *args, env=env)
    shutil.rmtree(root / ".cache", ignore_errors=True)
    return done


@pytest.mark.parametrize("args", [(), ("--format", "json"), ("--strict",), ("content/claims/benefits",)])
def test_check_prints_and_exits_the_same_from_the_memo(tmp_path: Path, args: tuple[str, ...]) -> None:
    base_project(tmp_path)
    full = uncached(tmp_path, *args)
    first, second = run_check(tmp_path, *args), run_check(tmp_path, *args)
    assert has_memo(tmp_path, Settings())
    for done in (first, second):
        assert (done.returncode, done.stdout, done.stderr) == (full.returncode, full.stdout, full.stderr)
    assert full.returncode == 1 and full.stdout.strip()


def test_source_date_epoch_changes_the_answer(tmp_path: Path) -> None:
    base_project(tmp_path)
    later = {"SOURCE_DATE_EPOCH": str(int(dt.datetime(TODAY.year + 3, 1, 1, tzinfo=dt.UTC).timestamp()))}
    now = run_check(tmp_path, "--format", "json")
    then = run_check(tmp_path, "--format", "json", env=later)
    assert "review-stale" not in now.stdout and "review-stale" in then.stdout
    assert run_check(tmp_path, "--format", "json", env=later).stdout == then.stdout
    assert then.stdout == uncached(tmp_path, "--format", "json", env=later).stdout


def test_a_memo_hit_imports_neither_models_nor_pybtex_nor_jinja(tmp_path: Path) -> None:
    base_project(tmp_path)
    script = (
        "import json, sys\n"
        "from evidence.cli.commands import main\n"
        "status = main(['check', '--format', 'json'])\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )

    def modules() -> set[str]:
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120
        )
        return set(json.loads(done.stderr.strip().splitlines()[-1]))

    first = modules()  # fills the cache: loads everything
    assert {"pydantic", "pybtex", "evidence.content.model"} <= first
    second = modules()
    heavy = {"pydantic", "pybtex", "jinja2", "evidence.content.model", "evidence.load.loader"}
    heavy |= {"evidence.bib.library", "evidence.editions.diff", "evidence.editions.gitrev"}
    heavy |= {"evidence.cli.scaffold", "evidence.content.schema"}
    assert not heavy & second, sorted(heavy & second)


def test_the_schema_check_follows_the_published_files(tmp_path: Path) -> None:
    """`schema.stale` is remembered by the schema files' bytes (the models are the code version)."""
    base_project(tmp_path)
    published = tmp_path / "content/schema/claim.schema.json"
    original = published.read_bytes()
    assert "schema-stale" not in run_check(tmp_path).stdout
    assert "schema-stale" not in run_check(tmp_path).stdout
    published.write_bytes(original.replace(b'"title"', b'"Title"', 1))
    assert "content/schema/claim.schema.json:1:1: error" in run_check(tmp_path).stdout
    published.unlink()
    assert "content/schema/claim.schema.json:1:1: error" in run_check(tmp_path).stdout
    published.write_bytes(original)
    assert "schema-stale" not in run_check(tmp_path).stdout


def test_deleted_published_claims_are_worked_out_afresh_on_a_hit(tmp_path: Path) -> None:
    """git is not an input of the memo: a release tag added or removed changes the answer."""
    project = base_project(tmp_path)
    (tmp_path / ".gitignore").write_text(".cache/\nsite/\n")
    init(tmp_path)
    ghost = project.write_claim(claim_data("ghost-claim", "burden"))
    commit(tmp_path, "with ghost")
    git(tmp_path, "tag", "-a", "v1.0", "-m", "Edition v1.0")
    ghost.unlink()
    commit(tmp_path, "ghost deleted")

    first = run_check(tmp_path)
    assert "claim-deleted" in first.stdout
    assert has_memo(tmp_path, Settings())
    assert run_check(tmp_path).stdout == first.stdout
    git(tmp_path, "tag", "-d", "v1.0")
    gone = run_check(tmp_path)
    assert has_memo(tmp_path, Settings()), "the tree did not change: the memo answered"
    assert "claim-deleted" not in gone.stdout
    assert gone.stdout == uncached(tmp_path).stdout
