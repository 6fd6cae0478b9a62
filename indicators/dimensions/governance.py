"""Derived indicators of Smart Governance (to be filled)."""
