"""The content model and how its files are read: claims, topics, site meta, the YAML reader, the schemas."""
