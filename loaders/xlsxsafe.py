"""Writing workbooks that are safe to open: no text becomes a formula or a link.

xlsxwriter turns strings starting with "=" into formulas unless told not to, and spreadsheet apps
run formulas from any cell that starts with = + - @ (CSV/formula injection, OWASP). Every workbook
this package writes uses :func:`workbook` and :func:`safe_text`.
"""

from __future__ import annotations

from typing import IO, Any

import xlsxwriter

__all__ = ["INJECTION_PREFIXES", "safe_text", "workbook"]

INJECTION_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\x00")


def safe_text(value: Any) -> Any:
    """``value`` with a leading apostrophe when it is text that a spreadsheet could run."""
    if isinstance(value, str) and value.startswith(INJECTION_PREFIXES):
        return "'" + value.replace("\x00", "")
    return value


def workbook(out: str | IO[bytes], **options: Any) -> xlsxwriter.Workbook:
    """An xlsxwriter workbook with strings never turned into formulas or URLs."""
    opts = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, **options}
    return xlsxwriter.Workbook(out, opts)
