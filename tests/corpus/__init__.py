"""Generators of bad and messy upload files for the loader tests (no binary blobs in the repo).

``tests/corpus/files.py`` builds every file from code; ``CASES`` lists them with what a user must
see (refused or not, ok or not, which problem rules appear, how many values come out).
"""
