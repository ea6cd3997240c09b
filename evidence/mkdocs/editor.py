"""The browser editor at /admin/ (Decap CMS): the files the build adds when mkdocs.yml sets
`editor: true` in the evidence plugin's options.

- `admin/index.html`, `admin/evidence-editor.js` and `.css`: packaged (`evidence/render/editor/`);
- `admin/config.json`: generated from the claim schema and content/topics.yml
  (`evidence/pages/editor_config.py`);
- `admin/decap/`: Decap's own dist files, copied from the project's npm install
  (`node_modules/decap-cms/dist/`, put there by `npm ci` from package-lock.json, which pins
  the version and each package's sha512). No CDN: the editor loads nothing from elsewhere.
  They are read like every other file of the project (`core/safepath.resolve`): a link that
  leads out of the project (a `node_modules` linked to another checkout's, a committed
  `decap-cms.js` linked to a file of the reviewer's) is refused, so the build publishes
  only files that are in the project folder. Tests give a copied project its own copy of
  these files (tests/helpers.py, `copy_editor_files`).

No other page refers to any of these files (the page templates never name them).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from evidence.content.model import Claim
from evidence.content.schema import json_schema
from evidence.core import packaged, safepath
from evidence.pages import editor_config

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from evidence.load.corpus import Corpus

#: The admin page and its script, shipped in the package.
EDITOR_FILES: Final = packaged.PACKAGE / "render" / "editor"
ADMIN: Final = "admin"
#: Where `npm ci` puts Decap's build, relative to the project.
DIST: Final = "node_modules/decap-cms/dist"
#: Decap's files the page loads: the entry, its chunks (loaded from beside it), its WebAssembly.
_DIST_FILE: Final = re.compile(r"(?:[0-9]+\.)?decap-cms\.js|decap-cms\.js\.LICENSE\.txt|[0-9a-f]+\.wasm")

_NPM_HINT: Final = (
    "run `npm ci` in the project (make build, make serve and make test do), or set `editor: false`"
)


def decap_dist(root: Path) -> Path:
    """Decap's dist folder from the project's npm install, at the version package-lock.json pins."""
    dist = _inside(root, DIST)
    installed = _inside(root, "node_modules/decap-cms/package.json")
    if not (dist / "decap-cms.js").is_file() or not installed.is_file():
        raise PluginError(
            f"editor: Decap CMS is not installed ({DIST}/decap-cms.js is missing)\n    hint: {_NPM_HINT}"
        )
    lock = root / "package-lock.json"
    if lock.is_file():
        pinned = (
            json.loads(lock.read_text(encoding="utf-8")).get("packages", {}).get("node_modules/decap-cms", {})
        )
        have = json.loads(installed.read_text(encoding="utf-8")).get("version")
        if pinned.get("version") and pinned["version"] != have:
            raise PluginError(
                f"editor: node_modules has decap-cms {have}, package-lock.json pins {pinned['version']}\n"
                f"    hint: {_NPM_HINT}"
            )
    return dist


def _inside(root: Path, rel: str) -> Path:
    """`root / rel`, refused when a link on the way leads out of the project."""
    try:
        return safepath.resolve(root, rel)
    except safepath.UnsafePath as unsafe:
        raise PluginError(f"editor: {unsafe.problem.format()}\n    hint: {_NPM_HINT}") from unsafe


def _repo(repo_url: str | None) -> str | None:
    """`owner/name` of a GitHub-shaped `repo_url`, or None."""
    if not repo_url:
        return None
    parts = [p for p in urlsplit(repo_url).path.removesuffix(".git").split("/") if p]
    return "/".join(parts[:2]) if len(parts) >= 2 else None


def _branch(edit_uri: str | None) -> str | None:
    found = re.fullmatch(r"(?:edit|blob)/([A-Za-z0-9._/-]+?)/[^/]+/?", (edit_uri or "").strip())
    return found[1] if found else None


def site_config(config: MkDocsConfig, options: Any, corpus: Corpus) -> dict[str, Any]:
    """Decap's configuration for this site (the plugin's `editor_*` options, its repository)."""
    topics = [{"id": t.id, "title": t.title, "description": t.description} for t in corpus.topics.values()]
    try:
        block = editor_config.backend(
            options.editor_backend, _repo(config.repo_url), _branch(config.edit_uri)
        )
    except editor_config.EditorConfigError as error:
        raise PluginError(f"mkdocs.yml: {error}") from error
    return editor_config.editor_config(
        json_schema(Claim),
        topics,
        backend_block=block,
        local_backend=options.editor_local_backend,
        site_url=config.site_url,
    )


def files(config: MkDocsConfig, options: Any, corpus: Corpus) -> list[File]:
    """Every file of /admin/, or none when the site does not enable the editor."""
    if not options.editor:
        return []
    root = Path(config.config_file_path).resolve().parent
    dist = decap_dist(root)
    made = [
        File.generated(
            config,
            f"{ADMIN}/{name}",
            abs_src_path=str(EDITOR_FILES / name),
            inclusion=InclusionLevel.NOT_IN_NAV,
        )
        for name in ("index.html", "evidence-editor.js", "evidence-editor.css")
    ]
    made.append(
        File.generated(
            config,
            f"{ADMIN}/config.json",
            content=editor_config.render_json(site_config(config, options, corpus)),
        )
    )
    for name in sorted(p.name for p in dist.iterdir()):
        if _DIST_FILE.fullmatch(name):
            path = _inside(root, f"{DIST}/{name}")
            if path.is_file():
                made.append(File.generated(config, f"{ADMIN}/decap/{name}", abs_src_path=str(path)))
    return made
