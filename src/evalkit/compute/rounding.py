"""Percentages and the rounding methods the reports used."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

METHODS = ("half_omhoog", "grootste_rest")


def round_half_up(value: float | Fraction, decimals: int = 0) -> float:
    """Round half away from zero (5,5 → 6), the way people round by hand."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        value = Decimal(repr(float(value)))
    q = Decimal(1).scaleb(-decimals)
    return float(value.quantize(q, rounding=ROUND_HALF_UP))


def percentages(
    counts: Sequence[int], method: str = "half_omhoog", decimals: int = 0
) -> list[float]:
    """Percentages of a whole, rounded by ``method``.

    Parameters
    ----------
    counts : sequence of int
        The parts; the whole is their sum.
    method : {"half_omhoog", "grootste_rest"}
        ``half_omhoog`` rounds every percentage on its own (they may add up to 99 or 101);
        ``grootste_rest`` (largest remainder, Hamilton) rounds down and hands the missing units
        to the largest remainders, so that the percentages add up to exactly 100.
    decimals : int
        Decimals to keep.

    Returns
    -------
    list of float
        One percentage per count (all NaN when the whole is zero).

    """
    if method not in METHODS:
        raise ValueError(f"unknown rounding method {method!r}; choose from {METHODS}")
    total = sum(int(c) for c in counts)
    if total == 0:
        return [float("nan")] * len(counts)
    scale = 10**decimals
    exact = [Fraction(int(c) * 100 * scale, total) for c in counts]
    if method == "half_omhoog":
        return [round_half_up(x / scale, decimals) for x in exact]
    floors = [x.numerator // x.denominator for x in exact]
    missing = 100 * scale - sum(floors)
    # Largest remainder first; ties go to the larger part, then to the earlier position.
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), -counts[i], i))
    for i in order[:missing]:
        floors[i] += 1
    return [f / scale for f in floors]


def percentage(part: int, whole: int, decimals: int = 0) -> float:
    """One percentage rounded half up (NaN when ``whole`` is zero)."""
    if whole == 0:
        return float("nan")
    return round_half_up(Fraction(int(part) * 100, int(whole)), decimals)
