"""Derived indicators of Smart Economy (to be filled)."""
