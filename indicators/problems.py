"""One record type for every problem found in user input (catalog tables, uploaded workbooks).

Analysts fix files in Excel, so every problem says where it is (sheet, Excel row, column letter or
header, cell reference) and what is wrong in Bahasa Indonesia and English. The catalog validator and
the loaders both produce :class:`Problem` so the UI and the CLI render them the same way.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]


def column_letter(index: int) -> str:
    """Excel column letter for a 0-based column index (0 -> A, 26 -> AA)."""
    if index < 0:
        raise ValueError("column index must be >= 0")
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    """A problem in a user's file, located as precisely as the file allows.

    ``row`` is the 1-based row number as Excel (or a text editor, for CSV) shows it, so a user can
    jump to it; ``cell`` is the A1 reference when both row and column are known.
    """

    message_id: str
    message_en: str
    severity: Severity = "error"
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    code: str | None = None
    suggestion: str | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def message(self, lang: str = "id") -> str:
        """The message in the user's language (``id`` or ``en``)."""
        return self.message_en if lang == "en" else self.message_id

    def location(self) -> str:
        """Human-readable place: ``sheet 'data', row 17, column nilai (D17)``."""
        parts = []
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        text = ", ".join(parts)
        if self.cell:
            text += f" ({self.cell})"
        return text

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("extra")
        data["message"] = f"{self.message_id} / {self.message_en}"
        return data

    def __str__(self) -> str:
        where = self.location()
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.message_id} / {self.message_en}"


class ProblemsError(ValueError):
    """Raised when input has errors; carries every problem found (not just the first)."""

    def __init__(self, problems: list[Problem], what: str = "input"):
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        head = "; ".join(str(p) for p in errors[:5])
        more = f" (+{len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"{len(errors)} error(s) in {what}: {head}{more}")

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


class BilingualError(ValueError):
    """A refused request whose message exists in Bahasa Indonesia and English.

    The core raises it (or a subclass named for its area); the UI shows ``message(lang)`` and the
    CLI prints ``str(error)`` (both languages).
    """

    def __init__(self, message_id: str, message_en: str):
        self.message_id = message_id
        self.message_en = message_en
        super().__init__(f"{message_id} / {message_en}")

    def message(self, lang: str = "id") -> str:
        return self.message_en if lang == "en" else self.message_id
