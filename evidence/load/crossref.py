"""Rules that look a claim's names up elsewhere: its topic, its sources, its successor.

They run on every claim file that parsed, valid or not: a claim that fails the model is
checked on its raw data (the fields that hold a well-formed name), so a typo in one field
does not hide an unknown source key until the next run. Each miss says what was meant,
when one known name is close (difflib).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from evidence.content.files import CLAIM_SUFFIX, ID_PATTERN, KEY_PATTERN, name_stem
from evidence.core.problems import Problem, error

if TYPE_CHECKING:
    from evidence.load.corpusdata import Corpus

Where = Callable[..., tuple[int, int]]

#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset(
    {
        "claim-id-filename",
        "claim-superseded-missing",
        "claim-topic-folder",
        "claim-unknown-reference",
        "claim-unknown-topic",
    }
)


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """ "did you mean 'x'? " when one known name is close (case first), else ''."""
    choices = sorted(set(known))
    folded = [c for c in choices if c.casefold() == name.casefold() and c != name]
    close = folded or difflib.get_close_matches(name, choices, n=1, cutoff=0.75)
    return f"did you mean '{close[0]}'? " if close else ""


def unknown_folder(display: str, folder: str, topics: Collection[str]) -> Problem:
    """A claim file in a folder that is not a topic (the placement check asks, before the
    file is read; the same rule as a `topic:` that names no topic)."""
    known = ", ".join(sorted(topics)) or "none defined"
    message = f"folder '{folder}' is not a topic in content/topics.yml"
    return error(display, 1, 1, message, "claim-unknown-topic", f"known topics: {known}")


def unknown_topic(path: str, where: Where, topic: str, folder: str, topics: Collection[str]) -> list[Problem]:
    if topic not in topics:
        known = sorted(topics)
        hint = did_you_mean(topic, known) + "known topics: " + (", ".join(known) or "none defined")
        message = f"topic '{topic}' is not defined in content/topics.yml"
        return [error(path, *where("topic"), message, "claim-unknown-topic", hint)]
    if topic != folder:
        return [
            error(
                path,
                *where("topic"),
                f"topic '{topic}' does not match the folder '{folder}'",
                "claim-topic-folder",
                f"move the file to content/claims/{topic}/ or set `topic: {folder}`",
            )
        ]
    return []


def unknown_reference(path: str, where: Where, field: str, key: str, keys: Collection[str]) -> list[Problem]:
    """`keys`: a set or mapping (the library's references), looked up before it is listed."""
    if key in keys:
        return []
    add = "add the entry to references.bib (`python -m evidence new-source`)"
    close = did_you_mean(key, keys)
    hint = f"{close}or {add}" if close else f"{add}, or fix the key"
    return [
        error(
            path,
            *where(field),
            f"{field} '{key}' is not a key in references.bib",
            "claim-unknown-reference",
            hint,
        )
    ]


def unknown_successor(path: str, where: Where, target: str, ids: Collection[str]) -> list[Problem]:
    if target in ids:
        return []
    return [
        error(
            path,
            *where("retired", "superseded_by"),
            f"superseded_by '{target}' is not a claim id",
            "claim-superseded-missing",
            did_you_mean(target, ids) + "name an existing claim, or leave superseded_by out",
        )
    ]


def id_and_file_name(path: str, where: Where, claim_id: str) -> list[Problem]:
    stem = name_stem(path.rpartition("/")[2])
    if claim_id == stem:
        return []
    return [
        error(
            path,
            *where("id"),
            f"id '{claim_id}' does not match the file name '{stem}{CLAIM_SUFFIX}'",
            "claim-id-filename",
            f"set `id: {stem}` or rename the file to {claim_id}{CLAIM_SUFFIX}",
        )
    ]


@dataclass(frozen=True)
class Partial:
    """A claim file that parsed but failed the model: its raw data, and the file to place it."""

    path: str
    file: str
    data: dict[str, Any]

    def where(self, *loc: str | int) -> tuple[int, int]:
        """Positions are read again only for a problem (the cache keeps data, not positions)."""
        from evidence.content import yamlsafe

        try:
            with open(self.file, encoding="utf-8-sig") as handle:
                doc = yamlsafe.read(handle.read(yamlsafe.MAX_BYTES + 1))
        except (OSError, UnicodeDecodeError, yamlsafe.YamlProblem):
            return (1, 1)
        return doc.where(tuple(loc))


def _name(value: object, pattern: str) -> str | None:
    """The value if it is a well-formed name (the model reports a malformed one itself)."""
    return value if isinstance(value, str) and re.match(pattern, value) else None


def partial_rules(corpus: Corpus, partials: list[Partial]) -> list[Problem]:
    """The cross-reference rules on what each invalid claim's raw data names."""
    ids = set(corpus.loaded) | {name_stem(p.path.rpartition("/")[2]) for p in partials}
    problems: list[Problem] = []
    for part in partials:
        data, path, where = part.data, part.path, part.where
        folder = path.rpartition("/")[0].rpartition("/")[2]
        if (claim_id := _name(data.get("id"), ID_PATTERN)) is not None:
            problems += id_and_file_name(path, where, claim_id)
        if (topic := _name(data.get("topic"), ID_PATTERN)) is not None:
            problems += unknown_topic(path, where, topic, folder, corpus.topics)
        for field in ("source", "reported_in"):
            if (key := _name(data.get(field), KEY_PATTERN)) is not None:
                problems += unknown_reference(path, where, field, key, corpus.library.references)
        retired = data.get("retired")
        target = _name(retired.get("superseded_by"), ID_PATTERN) if isinstance(retired, dict) else None
        if target is not None:
            problems += unknown_successor(path, where, target, ids)
    return problems
