"""Derived indicators of Smart Society (to be filled)."""
