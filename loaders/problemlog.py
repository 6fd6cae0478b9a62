"""Collects problems for one upload, capped so that a wholly wrong column cannot flood the report.

Every problem is kept up to :data:`PER_RULE_CAP` per (rule, sheet, column); beyond that one summary
line says how many more there are, so the analyst still sees the size of the problem.
"""

from __future__ import annotations

from collections import Counter

from indicators.problems import Problem, Severity

__all__ = ["PER_RULE_CAP", "TOTAL_CAP", "ProblemLog"]

PER_RULE_CAP = 1000
TOTAL_CAP = 20_000


class ProblemLog:
    def __init__(self, per_rule_cap: int = PER_RULE_CAP, total_cap: int = TOTAL_CAP):
        self.items: list[Problem] = []
        self.per_rule_cap = per_rule_cap
        self.total_cap = total_cap
        self._counts: Counter = Counter()
        self._dropped: Counter = Counter()

    def add(
        self,
        message_id: str,
        message_en: str,
        *,
        rule: str,
        severity: Severity = "error",
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        cell: str | None = None,
        suggestion: str | None = None,
        code: str | None = None,
    ) -> None:
        key = (rule, severity, sheet, column)
        self._counts[key] += 1
        if self._counts[key] > self.per_rule_cap or len(self.items) >= self.total_cap:
            self._dropped[key] += 1
            return
        self.items.append(
            Problem(
                message_id,
                message_en,
                severity=severity,
                sheet=sheet,
                row=row,
                column=column,
                cell=cell,
                code=code,
                suggestion=suggestion,
                extra={"rule": rule},
            )
        )

    def extend(self, problems: list[Problem]) -> None:
        self.items.extend(problems)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.items) or any(k[1] == "error" for k in self._dropped)

    def finish(self) -> list[Problem]:
        """All problems, errors first then warnings then info, each in sheet/row order."""
        out = list(self.items)
        for (rule, severity, sheet, column), n in self._dropped.items():
            out.append(
                Problem(
                    f"... dan {n:,} masalah serupa lainnya ({rule})",
                    f"... and {n:,} more problems of the same kind ({rule})",
                    severity=severity,
                    sheet=sheet,
                    column=column,
                    extra={"rule": rule, "more": n},
                )
            )
        order = {"error": 0, "warning": 1, "info": 2}
        sheets: dict[str, int] = {}
        for p in out:
            sheets.setdefault(p.sheet or "", len(sheets))
        out.sort(
            key=lambda p: (order.get(p.severity, 3), sheets[p.sheet or ""], p.row or 0, len(p.cell or ""), p.cell or "")
        )
        return out
