"""The packed form the cache keeps: each entry as plain data, made a `Reference` when read.

cache/store.py writes and reads the file; this module only packs and unpacks, and says
what was formatted (`derived`) so the next build can reuse it through its `Memo`.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from pybtex.database import Entry

from evidence.bib.reference import DERIVED, Memo, Reference, make_person, person_parts
from evidence.core.problems import Problem


class LazyEntry(Entry):
    """An entry restored from the cache: its names are rebuilt only when something reads them."""

    def __init__(self, key: str, type_: str, original_type: str, fields: dict, persons: list) -> None:
        self.key, self.type, self.original_type = key, type_, original_type
        self._raw_fields: dict | None = fields
        self._raw_persons: list | None = persons
        self._fields: Any = None
        self._persons: Any = None

    @property  # type: ignore[override]
    def fields(self) -> Any:
        if self._raw_fields is not None:
            self._fields, self._raw_fields = Entry("misc", fields=self._raw_fields).fields, None
        return self._fields

    @fields.setter
    def fields(self, value: Any) -> None:
        self._fields, self._raw_fields = value, None

    def field(self, name: str) -> str | None:
        """One field (names are case-insensitive), without building pybtex's field dict:
        a warm build reads a few fields of each entry, and the dicts were a visible share
        of its memory."""
        if self._raw_fields is None:
            value = self._fields.get(name)
            return None if value is None else str(value)
        lower = name.lower()
        for key, value in self._raw_fields.items():
            if key.lower() == lower:
                return str(value)
        return None

    @property  # type: ignore[override]
    def persons(self) -> Any:
        if self._raw_persons is not None:
            persons = {role: [make_person(p) for p in people] for role, people in self._raw_persons}
            self._persons, self._raw_persons = Entry("misc", persons=persons).persons, None
        return self._persons

    @persons.setter
    def persons(self, value: Any) -> None:
        self._persons, self._raw_persons = value, None


def derived(references: Mapping[str, Reference]) -> dict[str, dict[str, Any]]:
    """The `DERIVED` values computed so far, by fingerprint, to keep for the next build."""
    out: dict[str, dict[str, Any]] = {}
    for ref in references.made() if isinstance(references, PackedReferences) else references.values():
        values = {name: ref.__dict__[name] for name in DERIVED if name in ref.__dict__}
        if values:
            if "html" in values:
                values["html"] = str(values["html"])
            if "title" in values:
                values["title"] = values["title"] or ""
            out[ref.fingerprint] = values
    return out


def pack(references: Mapping[str, Reference]) -> list[tuple[str, bytes]]:
    """Each entry packed on its own as plain data (no pybtex objects), in file order."""
    entries = []
    for ref in references.values():
        entry = ref.entry
        persons = [(role, [person_parts(p) for p in people]) for role, people in entry.persons.items()]
        data = (
            ref.type,
            ref.line,
            entry.type,
            entry.original_type,
            dict(entry.fields),
            persons,
            ref.fingerprint,
        )
        entries.append((ref.key, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)))
    return entries


class PackedReferences(Mapping[str, Reference]):
    """The entries as the cache keeps them, each made a `Reference` when first read.

    A shared bibliography may hold 20,000 entries of which a site cites 1,000: the others
    are never read from the cache file nor held in memory. Keys, order and `in` need no
    entry.
    """

    def __init__(self, keys: Iterable[str], read: Callable[[str], bytes], memo: Memo) -> None:
        self._keys = dict.fromkeys(keys)
        self._read = read
        self._memo = memo
        self._made: dict[str, Reference] = {}

    def __getitem__(self, key: str) -> Reference:
        ref = self._made.get(key)
        if ref is None:
            if key not in self._keys:
                raise KeyError(key)
            type_, line, entry_type, original_type, fields, persons, fingerprint = pickle.loads(
                self._read(key)
            )
            entry = LazyEntry(key, entry_type, original_type, fields, persons)
            ref = Reference(key, type_, line, entry, self._memo)
            ref.__dict__["fingerprint"] = fingerprint  # cached_property's slot: no names rebuilt for it
            self._made[key] = ref
        return ref

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def made(self) -> Iterable[Reference]:
        """The entries read so far (the others have nothing formatted to keep)."""
        return self._made.values()


def unpack_problems(head: dict[str, Any]) -> list[Problem]:
    return list(head["problems"])
