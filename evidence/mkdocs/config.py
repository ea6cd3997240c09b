"""The plugin's typed MkDocs config, made from `content.options.Options` (declared once)."""

from __future__ import annotations

import os
from dataclasses import fields

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from evidence.content.options import CHOICES, DEFAULTS, Options
from evidence.render.forge import Forge, ForgeError, parse_branch, parse_repo_url


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


def forge(config: MkDocsConfig) -> Forge | None:
    """The site's repository from `repo_url` and `edit_uri` (its branch), or None without one:
    then no page links to it. A value that cannot make working links stops the build."""
    if not config.repo_url:
        return None
    docs = os.path.relpath(config.docs_dir, os.path.dirname(config.config_file_path)).replace(os.sep, "/")
    try:
        return Forge(parse_repo_url(config.repo_url), parse_branch(config.edit_uri, docs))
    except ForgeError as error:
        raise PluginError(f"mkdocs.yml: {error.message}\n    hint: {error.hint}") from error
