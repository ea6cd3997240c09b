"""The plugin's typed MkDocs config, made from `content.options.Options` (declared once)."""

from __future__ import annotations

from dataclasses import fields

from mkdocs.config import base
from mkdocs.config import config_options as c

from evidence.content.options import CHOICES, DEFAULTS, Options


def _option(name: str) -> c.BaseConfigOption:
    default = getattr(DEFAULTS, name)
    if name in CHOICES:
        return c.Choice(CHOICES[name], default=default)
    if isinstance(default, list):  # code_files: a list of paths
        return c.ListOfItems(c.Type(str), default=default)
    return c.Type(type(default), default=default)


#: `plugins: - evidence:` in mkdocs.yml; unknown keys warn by themselves (MkDocs).
EvidenceConfig: type[base.Config] = type(
    "EvidenceConfig", (base.Config,), {option.name: _option(option.name) for option in fields(Options)}
)
