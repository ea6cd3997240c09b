"""The Jinja environment of a build: sandboxed, autoescaped, site templates over packaged ones."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from evidence.content import markup
from evidence.core import packaged


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, remembering its verdict on each attribute a template reads.

    The verdict depends only on the object's type and the attribute's name (see
    `jinja2.sandbox.is_internal_attribute`), and templates read the same few attributes
    hundreds of thousands of times per build.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict


def make_environment(templates: Path) -> SandboxedEnvironment:
    """The site's `templates` folder first, then the package's: a file of the same name in
    the site's folder overrides the packaged template (as Material's custom_dir does)."""
    env = _Sandbox(
        loader=ChoiceLoader([FileSystemLoader(str(templates)), FileSystemLoader(str(packaged.TEMPLATES))]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # one environment per build: no stat of the template on every render
    )
    env.filters["isodate"] = lambda d: d.isoformat() if isinstance(d, dt.date) else ""
    env.filters["markdown"] = markup.render  # escapes, then only *em*, **strong**, http(s) links
    return env


def templates_digest(templates: Path) -> str:
    """What `make_environment(templates)` compiles, as a digest: every file's path and bytes
    in the site's folder and the package's, so a memoised environment is reused only while
    no template changed (it never reloads one: `auto_reload=False`)."""
    records: list[str] = []
    for top in (templates, packaged.TEMPLATES):
        records.append(f"top {top}")
        for folder, dirs, names in os.walk(top):
            dirs.sort()
            for name in sorted(names):
                path = os.path.join(folder, name)
                try:
                    with open(path, "rb") as handle:
                        data = handle.read()
                except OSError as error:
                    records.append(f"{path}\0unreadable {error.errno}")
                    continue
                records.append(f"{path}\0{hashlib.blake2b(data, digest_size=16).hexdigest()}")
    return hashlib.blake2b("\0".join(records).encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()
