"""A store of sealed files under .cache/evidence/ and the keys that make one current; knows nothing of
its clients.
"""
