"""Derived indicators of Smart Branding (to be filled)."""
