"""The pages the build generates: one per claim and per source, What changed, the Data page's downloads."""
