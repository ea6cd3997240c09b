"""The renderer: Jinja templates (packaged, overridable by the site), stencils, citations, JSON-LD,
page checks.
"""
