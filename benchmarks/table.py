"""A benchmark's measurements, printed as a fixed-width table beside their targets."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    """One measurement, its unit, and the target it is held against (if any)."""

    measure: str
    value: float
    unit: str
    target: str = ""
    met: bool | None = None


def format_rows(rows: list[Row]) -> str:
    """The measurements as a fixed-width table beside their targets."""
    width = max(len(row.measure) for row in rows)
    lines = [f"{'measure':<{width}}  {'value':>10}  {'unit':<6}  {'target':<9}  met"]
    for row in rows:
        met = "" if row.met is None else ("yes" if row.met else "NO")
        value = f"{row.value:,.4g}" if row.value < 1000 else f"{row.value:,.0f}"
        lines.append(f"{row.measure:<{width}}  {value:>10}  {row.unit:<6}  {row.target:<9}  {met}")
    return "\n".join(lines)
