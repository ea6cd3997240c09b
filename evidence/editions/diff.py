"""What changed in the evidence between two corpora: claims and references, field by field.

A pure function of two loaded corpora, so the same engine serves `evidence diff` on a
pull request and the "What changed" page between releases. Claims are matched by id
(ids never change; a moved file is a changed `topic`), references by key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Final

from evidence.content.model import flat_fields
from evidence.core.problems import Problem, error

if TYPE_CHECKING:
    from evidence.bib.library import Reference
    from evidence.content.model import Claim
    from evidence.load.corpus import Corpus

#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset({"claim-deleted"})

#: A JSON value: what field values are compared (and reported) as.
Value = str | int | float | bool | list[Any] | None


def display_value(value: Value) -> str:
    """A field value as a reader wants it: '—' for absent, 37 not 37.0, lists joined."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return " · ".join(display_value(v) for v in value) or "(none)"
    return str(value)


class Kind(StrEnum):
    added = "added"
    retired = "retired"
    removed = "removed"
    changed = "changed"
    #: Deleted from the files, but the file still exists and failed to load: not comparable.
    unreadable = "unreadable"


@dataclass(frozen=True)
class FieldChange:
    """One field, dotted (`statistic.value`), before and after; None where it was absent."""

    field: str
    old: Value
    new: Value


@dataclass(frozen=True)
class ClaimChange:
    id: str
    kind: Kind
    path: str  # the file in the new corpus (the old one when removed)
    title: str
    topic: str
    fields: tuple[FieldChange, ...] = ()
    stated: str | None = None  # the statistic as stated (as it was, when removed)
    source: str = ""  # the key of its source
    #: What a reviewer checks against the source, as (field, value): added and changed claims.
    review: tuple[tuple[str, Value], ...] = ()

    def field(self, name: str) -> FieldChange | None:
        return next((f for f in self.fields if f.field == name), None)

    @property
    def statistic(self) -> tuple[str | None, str | None] | None:
        """The statistic as stated, old → new, when it changed (or came or went)."""
        found = self.field("statistic.as_stated")
        return None if found is None else (_str(found.old), _str(found.new))


@dataclass(frozen=True)
class ReferenceChange:
    key: str
    kind: Kind
    label: str
    line: int  # in the new references.bib (the old one when removed)
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class Changes:
    """Everything that changed, each list sorted by id or key."""

    first: bool  # there was nothing before (the first edition)
    added: tuple[ClaimChange, ...] = ()
    retired: tuple[ClaimChange, ...] = ()
    removed: tuple[ClaimChange, ...] = ()
    changed: tuple[ClaimChange, ...] = ()
    unreadable: tuple[ClaimChange, ...] = ()
    references_added: tuple[ReferenceChange, ...] = ()
    references_removed: tuple[ReferenceChange, ...] = ()
    references_changed: tuple[ReferenceChange, ...] = ()

    @property
    def claims(self) -> tuple[ClaimChange, ...]:
        return self.added + self.retired + self.removed + self.changed + self.unreadable

    @property
    def references(self) -> tuple[ReferenceChange, ...]:
        return self.references_added + self.references_removed + self.references_changed

    @property
    def empty(self) -> bool:
        return not self.claims and not self.references

    def for_claim(self, claim_id: str) -> ClaimChange | None:
        """What happened to one claim (for its own page's history), if anything."""
        return next((c for c in self.claims if c.id == claim_id), None)

    def problems(self, base_rev: str | None = None) -> list[Problem]:
        """A published claim must be retired, not deleted: each deletion is an error."""
        published_in = base_rev or "the base revision"
        return [deleted_claim(c.path, c.id, published_in, base_rev) for c in self.removed]


def deleted_claim(path: str, claim_id: str, published_in: str, restore_from: str | None) -> Problem:
    """The one message for a published claim whose file is gone (diff, check and build)."""
    restore = f"restore it (`git checkout {restore_from} -- {path}`)" if restore_from else "restore it"
    return error(
        path,
        1,
        1,
        f"claim '{claim_id}' was published in {published_in} and its file is gone",
        "claim-deleted",
        f"a published claim keeps its page: {restore} and retire it with `status: retired` "
        "and a `retired:` block (reason, date, superseded_by)",
    )


def _str(value: Value) -> str | None:
    return None if value is None else str(value)


def _field_changes(old: dict[str, Value], new: dict[str, Value]) -> tuple[FieldChange, ...]:
    order = list(new) + [name for name in old if name not in new]
    return tuple(
        FieldChange(name, old.get(name), new.get(name)) for name in order if old.get(name) != new.get(name)
    )


def claim_fields(claim: Claim) -> dict[str, Value]:
    """A claim as dotted fields in schema order; absent optional fields are left out."""
    return flat_fields(claim)  # type: ignore[return-value]  # lists (caveats) stay whole


def reference_fields(ref: Reference) -> dict[str, Value]:
    """An entry as compared: its type, people and fields as written (LaTeX and all)."""
    fields: dict[str, Value] = {"type": ref.type}
    for role, people in ref.entry.persons.items():
        fields[role.lower()] = " and ".join(str(p) for p in people)
    for name, value in ref.entry.fields.items():
        fields[name.lower()] = str(value)
    return fields


#: The fields a reviewer must hold against the source (issue 16): shown for added and
#: changed claims in `evidence diff`.
REVIEW_FIELDS = (
    "quote.text",
    "quote.locator",
    "evidence.kind",
    "evidence.primary_checked",
    "certainty.level",
    "source",
    "reported_in",
)


def _claim_change(cid: str, kind: Kind, claim: Claim, path: str, fields=()) -> ClaimChange:
    stated = claim.statistic.as_stated if claim.statistic else None
    review: tuple[tuple[str, Value], ...] = ()
    if kind in (Kind.added, Kind.changed):
        flat = claim_fields(claim)
        review = tuple((name, flat[name]) for name in REVIEW_FIELDS if name in flat)
    return ClaimChange(cid, kind, path, claim.title, claim.topic, tuple(fields), stated, claim.source, review)


def _sorted(changes: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(sorted(changes, key=lambda c: getattr(c, "id", None) or c.key))


def diff_corpora(old: Corpus | None, new: Corpus, *, unreadable: Iterable[str] = ()) -> Changes:
    """Compare two corpora. `old` None means a first edition: everything is added.

    `unreadable`: claim files in `new` that exist but failed to load. They are reported as
    not comparable; a claim of `old` whose file is among them is not reported as deleted.
    """
    broken = set(unreadable)
    old_claims = old.loaded if old is not None else {}
    added, retired, removed, changed, unknown = [], [], [], [], []
    for cid, lc in new.loaded.items():
        before = old_claims.get(cid)
        if before is None:
            added.append(_claim_change(cid, Kind.added, lc.claim, lc.path))
            continue
        fields = _field_changes(claim_fields(before.claim), claim_fields(lc.claim))
        if not fields:
            continue
        kind = Kind.retired if before.claim.active and not lc.claim.active else Kind.changed
        (retired if kind is Kind.retired else changed).append(
            _claim_change(cid, kind, lc.claim, lc.path, fields)
        )
    for cid, lc in old_claims.items():
        if cid not in new.loaded:
            if lc.path in broken:
                broken.discard(lc.path)
                unknown.append(_claim_change(cid, Kind.unreadable, lc.claim, lc.path))
            else:
                removed.append(_claim_change(cid, Kind.removed, lc.claim, lc.path))
    for path in broken - {lc.path for lc in new.loaded.values()}:
        unknown.append(ClaimChange(PurePosixPath(path).stem, Kind.unreadable, path, "", ""))

    old_refs = old.library.references if old is not None else {}
    new_refs = new.library.references
    refs_added = [
        ReferenceChange(k, Kind.added, r.label, r.line) for k, r in new_refs.items() if k not in old_refs
    ]
    refs_removed = [
        ReferenceChange(k, Kind.removed, r.label, r.line) for k, r in old_refs.items() if k not in new_refs
    ]
    refs_changed = []
    for key, ref in new_refs.items():
        if key in old_refs:
            fields = _field_changes(reference_fields(old_refs[key]), reference_fields(ref))
            if fields:
                refs_changed.append(ReferenceChange(key, Kind.changed, ref.label, ref.line, fields))
    return Changes(
        first=old is None,
        added=_sorted(added),
        retired=_sorted(retired),
        removed=_sorted(removed),
        changed=_sorted(changed),
        unreadable=_sorted(unknown),
        references_added=_sorted(refs_added),
        references_removed=_sorted(refs_removed),
        references_changed=_sorted(refs_changed),
    )
