"""Derived indicators of Smart Environment (to be filled)."""
