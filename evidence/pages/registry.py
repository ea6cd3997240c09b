"""Every page a build generates: the one list of providers (a new generated page is added here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from evidence.pages.changes_page import generated_page as changes_page
from evidence.pages.claim_pages import generated_pages as claim_pages
from evidence.pages.list_pages import claims_pages
from evidence.pages.source_pages import source_pages

if TYPE_CHECKING:
    from evidence.render.page import GeneratedPage
    from evidence.render.renderer import Renderer


def generated_pages(renderer: Renderer) -> list[GeneratedPage]:
    """Every page this build generates, in a stable order."""
    return [*claim_pages(renderer.corpus), changes_page(), *source_pages(renderer), *claims_pages(renderer)]
