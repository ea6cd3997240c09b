"""What every layer shares: problems and their format, the character policy, safe paths, URLs, packaged
files.
"""
