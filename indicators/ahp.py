"""AHP weights: Saaty's pairwise comparisons, principal eigenvector, consistency, group AHP.

Experts (the ministry's team, Bappeda) agree on weights by comparing the children of one catalog
node two at a time on Saaty's 1-9 scale: ``a_ij = 3`` means "i is 3x as important as j", and
``a_ji = 1/a_ij``. The weights are the principal right eigenvector of the matrix, normalised to sum
to 1 (Saaty 1980); ``lambda_max`` is its eigenvalue, ``CI = (lambda_max - n) / (n - 1)`` and
``CR = CI / RI`` with Saaty's random index for matrices of order n. ``CR <= 0.1`` is acceptable;
above it the judgements contradict each other too much, and :meth:`AHPResult.inconsistencies`
names the judgements that disagree most with the weights (``a_ij`` against ``w_i / w_j``), with the
nearest Saaty value that would agree and the CR the matrix would have after that one change.

Group AHP (Aczel & Saaty 1983): several experts' matrices are combined cell by cell with the
geometric mean, which keeps the reciprocal property; each expert's own CR is still shown.

Matrix files (``python -m indicators ahp --matrix M.csv``): a square table with the labels in the
header row and in the first column, cells as numbers or fractions (``1/5``); an empty lower (or
upper) triangle is filled with reciprocals. Every problem is one clear line naming the cell.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from indicators.problems import BilingualError, column_letter

__all__ = [
    "CR_LIMIT",
    "RANDOM_INDEX",
    "SAATY_SCALE",
    "AHPError",
    "AHPResult",
    "GroupAHPResult",
    "ahp",
    "cli",
    "complete_matrix",
    "format_judgement",
    "group_ahp",
    "matrix_from_pairs",
    "parse_judgement",
    "read_matrix",
    "saaty_nearest",
]

#: Saaty's random consistency index RI for matrices of order n = 1..15 (Saaty 1980, "The Analytic
#: Hierarchy Process", table 1.7; the values most AHP software uses).
RANDOM_INDEX = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}
#: Largest acceptable consistency ratio (Saaty).
CR_LIMIT = 0.1
#: The judgements of Saaty's scale: 1/9 ... 1/2, 1, 2 ... 9.
SAATY_SCALE = tuple([1.0 / k for k in range(9, 1, -1)] + [float(k) for k in range(1, 10)])
#: Reciprocal pairs may be rounded in a file (3 and 0.33): tolerated relative error of a_ij * a_ji.
RECIPROCAL_TOLERANCE = 0.02


class AHPError(BilingualError):
    """A matrix or judgement that cannot be used; carries the message in both languages."""


# ---------------------------------------------------------------------------- judgements
def parse_judgement(value: object) -> float | None:
    """A judgement from a cell: ``3``, ``1/5``, ``0.2``, ``0,2`` (decimal comma); empty -> ``None``.

    Raises :class:`AHPError` for text that is not a positive number.
    """
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        number = float(value)
        if math.isnan(number):
            return None
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if text == "" or text.lower() in {"nan", "-"}:
            return None
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            number = float(Fraction(text)) if "/" in text else float(text)
        except (ValueError, ZeroDivisionError):
            raise AHPError(f"'{value}' bukan angka atau pecahan", f"'{value}' is not a number or fraction") from None
    if not math.isfinite(number) or number <= 0:
        raise AHPError(f"'{value}' harus bilangan positif", f"'{value}' must be a positive number")
    return number


def saaty_nearest(value: float) -> float:
    """The judgement of Saaty's scale closest to ``value`` on a log scale (3.4 -> 3, 0.3 -> 1/3)."""
    scale = np.asarray(SAATY_SCALE)
    return float(scale[np.argmin(np.abs(np.log(scale) - math.log(value)))])


def format_judgement(value: float, digits: int = 3) -> str:
    """A judgement as people write it: ``3``, ``1/5``, ``2.5``; reciprocals of integers as fractions."""
    if value >= 1:
        return str(round(value)) if abs(value - round(value)) < 1e-9 else f"{value:.{digits}g}"
    inverse = 1.0 / value
    if abs(inverse - round(inverse)) < 1e-9:
        return f"1/{round(inverse)}"
    return f"{value:.{digits}g}"


# ---------------------------------------------------------------------------- matrices
def complete_matrix(cells: np.ndarray | Sequence[Sequence[float | None]], labels: Sequence[str] | None = None):
    """A full reciprocal matrix from partly filled cells (``NaN``/``None`` = empty).

    The diagonal may be empty (it is 1); each pair needs at least one of ``a_ij``, ``a_ji``; when
    both are given they must be reciprocal (within 2 %, so ``3`` and ``0.33`` pass). Judgements must
    lie on Saaty's range 1/9 .. 9 (a group's geometric means always do).
    """
    a = np.array(
        [[np.nan if v is None else float(v) for v in row] for row in cells]
        if not isinstance(cells, np.ndarray)
        else cells,
        dtype=float,
    )
    n = a.shape[0]
    if a.ndim != 2 or a.shape[1] != n:
        raise AHPError(
            f"Matriks harus persegi (ditemukan {a.shape[0]} x {a.shape[1] if a.ndim == 2 else 0})",
            f"The matrix must be square (found {a.shape[0]} x {a.shape[1] if a.ndim == 2 else 0})",
        )
    labels = list(labels) if labels is not None else [str(i + 1) for i in range(n)]
    for i in range(n):
        d = a[i, i]
        if not math.isnan(d) and abs(d - 1.0) > 1e-9:
            raise AHPError(
                f"Diagonal {labels[i]} vs {labels[i]} harus 1 (tertulis {format_judgement(d)})",
                f"Diagonal {labels[i]} vs {labels[i]} must be 1 (found {format_judgement(d)})",
            )
        a[i, i] = 1.0
    lo, hi = 1.0 / 9.0, 9.0
    for i in range(n):
        for j in range(n):
            v = a[i, j]
            if i != j and not math.isnan(v):
                if not v > 0:
                    raise AHPError(
                        f"{labels[i]} vs {labels[j]}: penilaian harus positif",
                        f"{labels[i]} vs {labels[j]}: a judgement must be positive",
                    )
                if v > hi * (1 + 1e-6) or v < lo * (1 - 1e-6):
                    raise AHPError(
                        f"{labels[i]} vs {labels[j]}: {format_judgement(v)} di luar skala Saaty 1/9 .. 9",
                        f"{labels[i]} vs {labels[j]}: {format_judgement(v)} is outside Saaty's scale 1/9 .. 9",
                    )
    for i in range(n):
        for j in range(i + 1, n):
            up, low = a[i, j], a[j, i]
            if math.isnan(up) and math.isnan(low):
                raise AHPError(
                    f"Penilaian {labels[i]} vs {labels[j]} belum diisi",
                    f"Judgement {labels[i]} vs {labels[j]} is missing",
                )
            if math.isnan(low):
                a[j, i] = 1.0 / up
            elif math.isnan(up):
                a[i, j] = 1.0 / low
            elif abs(up * low - 1.0) > RECIPROCAL_TOLERANCE:
                raise AHPError(
                    f"{labels[i]} vs {labels[j]} = {format_judgement(up)} tetapi {labels[j]} vs {labels[i]} = "
                    f"{format_judgement(low)}: harus saling kebalikan ({format_judgement(1 / up)})",
                    f"{labels[i]} vs {labels[j]} = {format_judgement(up)} but {labels[j]} vs {labels[i]} = "
                    f"{format_judgement(low)}: they must be reciprocals ({format_judgement(1 / up)})",
                )
            else:
                a[j, i] = 1.0 / up  # exact reciprocal of the upper judgement
    return a


def matrix_from_pairs(labels: Sequence[str], pairs: Mapping[tuple[str, str], float]) -> np.ndarray:
    """The full matrix from judgements ``{(a, b): v}`` meaning "a is v times as important as b".

    Pairs may be given in either order; a pair not given is an error (every pair is needed).
    """
    labels = list(labels)
    pos = {label: i for i, label in enumerate(labels)}
    cells = np.full((len(labels), len(labels)), np.nan)
    for (a, b), value in pairs.items():
        if a not in pos or b not in pos:
            unknown = a if a not in pos else b
            raise AHPError(f"'{unknown}' tidak ada dalam daftar", f"'{unknown}' is not one of the labels")
        cells[pos[a], pos[b]] = value
    return complete_matrix(cells, labels)


def _principal(a: np.ndarray) -> tuple[np.ndarray, float]:
    """Principal eigenvector (normalised to sum 1) and eigenvalue of a positive matrix.

    ``numpy.linalg.eig`` first; a positive reciprocal matrix has a real, simple largest eigenvalue
    with a positive eigenvector (Perron-Frobenius). Power iteration is the fallback should the
    solver return a vector with mixed signs through rounding.
    """
    n = a.shape[0]
    if n == 1:
        return np.ones(1), 1.0
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    vec = vectors[:, k].real
    vec = vec * np.sign(vec.sum())
    if np.all(vec > 0):
        w = vec / vec.sum()
        return w, float(values[k].real)
    w = np.full(n, 1.0 / n)
    for _ in range(1000):
        nxt = a @ w
        nxt /= nxt.sum()
        if np.max(np.abs(nxt - w)) < 1e-14:
            w = nxt
            break
        w = nxt
    return w, float((a @ w / w).mean())


@dataclass
class AHPResult:
    """Weights and consistency of one comparison matrix."""

    labels: list[str]
    matrix: np.ndarray
    weights: np.ndarray
    lambda_max: float
    ci: float
    ri: float
    cr: float

    @property
    def n(self) -> int:
        return len(self.labels)

    @property
    def consistent(self) -> bool:
        """``CR <= 0.1`` (Saaty's rule); matrices of order 1 or 2 are always consistent."""
        return bool(self.cr <= CR_LIMIT + 1e-12) if not math.isnan(self.cr) else True

    @property
    def weights_dict(self) -> dict[str, float]:
        return {label: float(w) for label, w in zip(self.labels, self.weights, strict=True)}

    def table(self) -> pd.DataFrame:
        """``label, weight`` in the matrix's order."""
        return pd.DataFrame({"label": self.labels, "weight": self.weights})

    def to_json(self) -> dict:
        """``{"weights": {label: w}, "lambda_max", "ci", "cr"}`` (the CLI's ``--json`` shape)."""
        return {
            "weights": self.weights_dict,
            "lambda_max": _json_number(self.lambda_max),
            "ci": _json_number(self.ci),
            "cr": _json_number(self.cr),
        }

    def inconsistencies(self, k: int | None = None) -> pd.DataFrame:
        """The judgements that disagree most with the weights, worst first.

        For each pair i < j the judgement ``a_ij`` is compared with the ratio the weights imply,
        ``w_i / w_j``; ``deviation = max(a_ij w_j / w_i, w_i / (a_ij w_j))`` is 1 for a judgement
        in full agreement. ``suggested`` is the Saaty value nearest to ``w_i / w_j`` and
        ``cr_if_changed`` the CR after replacing only that judgement (and its reciprocal), so the
        expert sees which single change helps most.
        Columns ``row, column, judgement, implied, deviation, suggested, cr_if_changed``.
        """
        rows = []
        w = self.weights
        for i in range(self.n):
            for j in range(i + 1, self.n):
                implied = w[i] / w[j]
                ratio = self.matrix[i, j] / implied
                suggested = saaty_nearest(implied)
                changed = self.matrix.copy()
                changed[i, j], changed[j, i] = suggested, 1.0 / suggested
                rows.append(
                    {
                        "row": self.labels[i],
                        "column": self.labels[j],
                        "judgement": float(self.matrix[i, j]),
                        "implied": float(implied),
                        "deviation": float(max(ratio, 1.0 / ratio)),
                        "suggested": suggested,
                        "cr_if_changed": ahp(changed, self.labels).cr
                        if abs(suggested - self.matrix[i, j]) > 1e-9
                        else self.cr,
                    }
                )
        frame = pd.DataFrame(
            rows, columns=["row", "column", "judgement", "implied", "deviation", "suggested", "cr_if_changed"]
        )
        frame = frame.sort_values(["deviation", "row", "column"], ascending=[False, True, True]).reset_index(drop=True)
        return frame.head(k) if k is not None else frame

    def summary_line(self) -> str:
        """One English line: ``lambda_max 4.118, CI 0.039, CR 0.044 (consistent)``."""
        verdict = "consistent" if self.consistent else f"INCONSISTENT: CR > {CR_LIMIT:g}"
        return f"lambda_max {self.lambda_max:.4f}, CI {self.ci:.4f}, CR {self.cr:.4f} ({verdict})"


def _json_number(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def ahp(matrix: np.ndarray | Sequence[Sequence[float | None]], labels: Sequence[str] | None = None) -> AHPResult:
    """Weights, lambda_max, CI and CR of a (possibly half-filled) pairwise comparison matrix.

    Matrices of order 1 and 2 are consistent by construction (CR = 0). Beyond order 15 Saaty's
    table has no random index and CR is NaN (weights are still computed).
    """
    a = complete_matrix(matrix, labels)
    n = a.shape[0]
    if n == 0:
        raise AHPError("Matriks kosong", "The matrix is empty")
    labels = list(labels) if labels is not None else [str(i + 1) for i in range(n)]
    if len(labels) != n:
        raise AHPError(f"{len(labels)} label untuk matriks {n} x {n}", f"{len(labels)} labels for an {n} x {n} matrix")
    if len(set(labels)) != n:
        dup = sorted({x for x in labels if labels.count(x) > 1})
        raise AHPError(f"Label ganda: {', '.join(dup)}", f"Duplicate labels: {', '.join(dup)}")
    weights, lambda_max = _principal(a)
    if n <= 2:
        lambda_max, ci, ri, cr = float(n), 0.0, 0.0, 0.0
    else:
        ci = (lambda_max - n) / (n - 1)
        ri = RANDOM_INDEX.get(n, math.nan)
        cr = ci / ri if ri and not math.isnan(ri) else math.nan
        # a perfectly consistent matrix gives lambda_max = n up to rounding: show 0, not -1e-16
        if abs(ci) < 1e-12:
            ci, cr = 0.0, 0.0 if not math.isnan(cr) else cr
    return AHPResult(labels=labels, matrix=a, weights=weights, lambda_max=lambda_max, ci=ci, ri=ri, cr=cr)


# ---------------------------------------------------------------------------- group AHP
@dataclass
class GroupAHPResult:
    """Several experts' judgements combined by the element-wise geometric mean."""

    combined: AHPResult
    experts: list[AHPResult]
    names: list[str] = field(default_factory=list)

    def experts_table(self) -> pd.DataFrame:
        """One row per expert (``expert, cr, consistent``, then each label's weight) plus the group."""
        rows = []
        for name, res in zip([*self.names, "group"], [*self.experts, self.combined], strict=True):
            row = {"expert": name, "lambda_max": res.lambda_max, "cr": res.cr, "consistent": res.consistent}
            row.update(res.weights_dict)
            rows.append(row)
        return pd.DataFrame(rows)


def group_ahp(
    matrices: Sequence[np.ndarray | Sequence[Sequence[float | None]]],
    labels: Sequence[str],
    names: Sequence[str] | None = None,
) -> GroupAHPResult:
    """Combine experts' matrices cell by cell with the geometric mean (Aczel & Saaty 1983).

    The geometric mean of reciprocal matrices is reciprocal, so the group matrix is a valid AHP
    matrix whatever the experts said; a consistent group result does not make an inconsistent
    expert consistent, which is why every expert's CR is reported too.
    """
    if not matrices:
        raise AHPError("Tidak ada matriks", "No matrices given")
    experts = [ahp(m, labels) for m in matrices]
    stack = np.stack([e.matrix for e in experts])
    combined = ahp(np.exp(np.log(stack).mean(axis=0)), labels)
    names = list(names) if names is not None else [f"expert {i + 1}" for i in range(len(experts))]
    return GroupAHPResult(combined=combined, experts=experts, names=names)


# ---------------------------------------------------------------------------- files
def _read_grid(source: str | Path | bytes, name: str | None) -> pd.DataFrame:
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise AHPError(f"Berkas tidak ditemukan: {path}", f"File not found: {path}")
        name = name or path.name
        data = path.read_bytes()
    else:
        data = source
        name = name or "matrix.csv"
    suffix = Path(name).suffix.lower()
    try:
        if suffix in {".xlsx", ".xlsm", ".xls", ".ods"}:
            return pd.read_excel(io.BytesIO(data), sheet_name=0, header=None, dtype=object, engine="calamine")
        text = data.decode("utf-8-sig", errors="replace")
        first = next((line for line in text.splitlines() if line.strip()), "")
        counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
        sep = max(counts, key=counts.get)
        rows = list(csv.reader(io.StringIO(text), delimiter=sep))
        width = max((len(r) for r in rows), default=0)
        return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    except AHPError:
        raise
    except Exception as exc:  # any parser error: the file is unreadable
        raise AHPError(f"{name} tidak dapat dibaca: {exc}", f"{name} cannot be read: {exc}") from exc


def read_matrix(source: str | Path | bytes, name: str | None = None) -> tuple[list[str], np.ndarray]:
    """Labels and the completed matrix from a CSV/xlsx file (header row + first column = labels).

    The first column may list the labels in another order than the header; rows are matched by
    label. Every error names the cell (``C3``) and the pair.
    """
    grid = _read_grid(source, name)
    grid = grid.dropna(how="all").dropna(axis=1, how="all")
    grid = grid.loc[~grid.map(lambda v: str(v).strip() in {"", "nan", "None"}).all(axis=1)]
    if grid.shape[0] < 2 or grid.shape[1] < 2:
        raise AHPError(
            "Matriks perlu baris judul dan kolom pertama berisi label",
            "The matrix needs a header row and a first column of labels",
        )
    header = [str(v).strip() for v in grid.iloc[0, 1:]]
    while header and header[-1] in {"", "nan", "None"}:
        header.pop()
    n = len(header)
    if any(h in {"", "nan", "None"} for h in header):
        raise AHPError("Ada label kosong di baris judul", "A label in the header row is empty")
    if len(set(header)) != n:
        dup = sorted({h for h in header if header.count(h) > 1})
        raise AHPError(
            f"Label ganda di baris judul: {', '.join(dup)}", f"Duplicate labels in the header: {', '.join(dup)}"
        )
    body = grid.iloc[1:]
    row_labels = [str(v).strip() for v in body.iloc[:, 0]]
    if len(row_labels) != n:
        raise AHPError(
            f"Matriks tidak persegi: {n} kolom label tetapi {len(row_labels)} baris",
            f"The matrix is not square: {n} label columns but {len(row_labels)} rows",
        )
    if set(row_labels) != set(header):
        extra = sorted(set(row_labels) ^ set(header))
        raise AHPError(
            f"Label baris dan kolom berbeda: {', '.join(extra)}",
            f"Row and column labels differ: {', '.join(extra)}",
        )
    cells = np.full((n, n), np.nan)
    col_pos = {h: j for j, h in enumerate(header)}
    # cell references as the file shows them (blank rows/columns were dropped above)
    excel_rows = [int(ix) + 1 for ix in body.index]
    excel_cols = [int(c) for c in grid.columns[1 : n + 1]]
    for r, (label, values) in enumerate(zip(row_labels, body.iloc[:, 1 : n + 1].itertuples(index=False), strict=True)):
        i = col_pos[label]
        for j, raw in enumerate(values):
            try:
                value = parse_judgement(raw)
            except AHPError as exc:
                cell = f"{column_letter(excel_cols[j])}{excel_rows[r]}"
                raise AHPError(
                    f"Sel {cell} ({label} vs {header[j]}): {exc.message_id}",
                    f"Cell {cell} ({label} vs {header[j]}): {exc.message_en}",
                ) from None
            if value is not None:
                cells[i, j] = value
    return header, complete_matrix(cells, header)


# ---------------------------------------------------------------------------- command line
def _plain(result: AHPResult, group: GroupAHPResult | None) -> str:
    width = max(len("label"), *(len(x) for x in result.labels))
    lines = []
    if group is not None:
        lines.append(f"Group AHP of {len(group.experts)} matrices (element-wise geometric mean)")
        for name, res in zip(group.names, group.experts, strict=True):
            flag = "" if res.consistent else "  <- CR > 0.1"
            lines.append(f"  {name}: CR {res.cr:.4f}{flag}")
        lines.append("")
    lines.append(f"{'label':<{width}}  weight")
    for label, w in zip(result.labels, result.weights, strict=True):
        lines.append(f"{label:<{width}}  {w:.4f}")
    lines.append("")
    lines.append(f"lambda_max  {result.lambda_max:.4f}")
    lines.append(f"CI          {result.ci:.4f}")
    cr_text = "n/a (no random index for n > 15)" if math.isnan(result.cr) else f"{result.cr:.4f}"
    verdict = (
        "" if math.isnan(result.cr) else ("  consistent (<= 0.1)" if result.consistent else "  INCONSISTENT (> 0.1)")
    )
    lines.append(f"CR          {cr_text}{verdict}")
    if not result.consistent:
        lines.append("Most inconsistent judgements (judgement vs ratio of the weights; suggested value):")
        for row in result.inconsistencies(3).itertuples():
            lines.append(
                f"  {row.row} vs {row.column} = {format_judgement(row.judgement)} (weights imply "
                f"{row.implied:.2f}); try {format_judgement(row.suggested)} -> CR {row.cr_if_changed:.3f}"
            )
    return "\n".join(lines)


def cli(args: argparse.Namespace) -> int:
    """``python -m indicators ahp --matrix M.csv [--matrix M2.csv ...] [--json]``.

    Exit 0 with the result (an inconsistent matrix is a result, flagged, not an error); exit 2 with
    one line on stderr for a missing, unreadable or invalid matrix.
    """
    paths = list(args.matrix or [])
    read = []
    for path in paths:
        try:
            read.append(read_matrix(Path(path)))
        except AHPError as exc:
            prefix = "" if str(path) in exc.message_en else f"{path}: "
            sys.stderr.write(f"error: {prefix}{exc.message_en}\n")
            return 2
    try:
        labels = read[0][0]
        for path, (other, _) in zip(paths[1:], read[1:], strict=True):
            if set(other) != set(labels):
                raise AHPError(
                    f"{path}: label berbeda dari {paths[0]}", f"{path}: labels differ from those of {paths[0]}"
                )
        matrices = []
        for other, m in read:
            order = [other.index(label) for label in labels]
            matrices.append(m[np.ix_(order, order)])
        if len(matrices) > 1:
            group = group_ahp(matrices, labels, names=[Path(p).name for p in paths])
            result = group.combined
        else:
            group, result = None, ahp(matrices[0], labels)
    except AHPError as exc:
        sys.stderr.write(f"error: {exc.message_en}\n")
        return 2
    if args.json:
        print(json.dumps(result.to_json()))
    else:
        print(_plain(result, group))
    return 0


def weights_for_children(result: AHPResult, codes: Iterable[str]) -> dict[str, float]:
    """AHP weights keyed by catalog codes (labels must be the codes), for ``Method.weights``."""
    weights = result.weights_dict
    missing = [c for c in codes if c not in weights]
    if missing:
        raise AHPError(f"Tidak ada bobot untuk: {', '.join(missing)}", f"No weight for: {', '.join(missing)}")
    return {c: weights[c] for c in codes}
