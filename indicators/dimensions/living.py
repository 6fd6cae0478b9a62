"""Derived indicators of Smart Living (to be filled)."""
