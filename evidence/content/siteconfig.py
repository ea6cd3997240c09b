"""The evidence plugin's options in mkdocs.yml, for commands that run without MkDocs.

`python -m evidence check` must judge content the way the build does: a shared
bibliography (`unused_references: ignore`) is not 19,000 warnings in one and none in the other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from evidence.content.options import Options, from_mapping

try:  # the C parser: a mkdocs.yml with a long nav takes 0.1 s in pure Python, a millisecond in C
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _AnyTagLoader(_SafeLoader):
    """Reads mkdocs.yml even where it uses tags such as !ENV or !!python/name (as nothing)."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def parse_mkdocs(text: str) -> dict[str, Any]:
    """mkdocs.yml's text as a mapping ({} if it is not one): a file, or a revision's copy."""
    try:
        config = yaml.load(text, Loader=_AnyTagLoader)
    except yaml.YAMLError:
        return {}
    return config if isinstance(config, dict) else {}


def mkdocs_config(root: Path) -> dict[str, Any]:
    """`root`/mkdocs.yml as a mapping ({} if none or unreadable)."""
    try:
        return parse_mkdocs((root / "mkdocs.yml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}


def evidence_block(config: dict[str, Any]) -> dict[str, Any]:
    """The options mkdocs.yml (as a mapping) gives the `evidence` plugin ({} if none)."""
    plugins = config.get("plugins")
    for item in plugins if isinstance(plugins, list) else []:
        if isinstance(item, dict) and isinstance(item.get("evidence"), dict):
            return item["evidence"]
    if isinstance(plugins, dict) and isinstance(plugins.get("evidence"), dict):
        return plugins["evidence"]
    return {}


def evidence_options(root: Path) -> dict[str, Any]:
    """The options given to the `evidence` plugin in `root`/mkdocs.yml ({} if none or unreadable)."""
    return evidence_block(mkdocs_config(root))


def plugin_options(root: Path) -> Options:
    """The plugin's options as the build reads them (content/options.py), for `check`."""
    return from_mapping(evidence_options(root))


def docs_dir(root: Path) -> str:
    """mkdocs.yml's `docs_dir`, relative to the project ('docs' if unset or unreadable)."""
    return docs_dir_of(mkdocs_config(root))


def docs_dir_of(config: dict[str, Any]) -> str:
    """`docs_dir` in mkdocs.yml as a mapping ('docs' if unset)."""
    value = config.get("docs_dir")
    return value if isinstance(value, str) and value.strip() else "docs"
