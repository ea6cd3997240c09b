"""Where the files the package ships live: templates, stylesheet and script, theme overrides, schemas.

Everything the renderer needs is package data, so a site needs only its content; a site
overrides a packaged template by a file of the same name in its own `macros/templates/`.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
#: Jinja templates: the HTML the renderer writes, the claim and source skeletons, the diff report.
TEMPLATES = PACKAGE / "render" / "templates"
#: The stylesheet and script every page loads, published under assets/ unless the site has its own.
ASSETS = PACKAGE / "render" / "assets"
#: the print rules are a file of their own; evidence-rows.js fetches the rows of a paged All
#: claims table (pages/list_pages.py); evidence-table.js holds what it shares with
#: evidence.js, so it comes first (scripts run in this order)
ASSET_FILES = ("evidence.css", "evidence-table.js", "evidence.js", "evidence-print.css", "evidence-rows.js")
#: Where in the built site they are published.
ASSET_DIR = "assets"
#: Material theme overrides (the earlier-edition banner), searched after the site's custom_dir.
OVERRIDES = PACKAGE / "render" / "overrides"
#: The authoritative JSON Schemas (generated from the model, as the site's published copies are).
SCHEMAS = PACKAGE / "content" / "schemas"
