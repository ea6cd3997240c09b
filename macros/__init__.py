"""The macros this site's pages may call: `claim`, `claims`, `findings`, `evidence_map`,
`cite`, `claims_table`, `bibliography`, `downloads`, `red_flags`.

Registration only. The evidence plugin reads each page once (evidence/content/pagesource.py),
calls `define_env` with its registry, and expands the calls it finds into our HTML after
Markdown; no template engine ever renders a page. Only the package's own macros can be
registered: leave one out to keep pages from calling it.
"""

from __future__ import annotations

from evidence.pages import macros
from evidence.pages.macros import Registry


def define_env(env: Registry) -> None:
    for macro in (
        macros.claim,
        macros.claims,
        macros.findings,
        macros.evidence_map,
        macros.cite,
        macros.claims_table,
        macros.bibliography,
        macros.downloads,
        macros.red_flags,
    ):
        env.macro(macro)
