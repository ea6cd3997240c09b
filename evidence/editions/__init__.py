"""Editions: one git runner, edition detection, diffs between commits, claim history, the deleted-claim
rule.
"""
