"""Statistical disclosure control: what a count or percentage may show of a small group."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from evalkit.compute.rounding import percentages, round_half_up
from evalkit.inputs.numbers import format_number, format_pct

#: Shown instead of a hidden count or percentage (CBS: "x = geheim").
HIDDEN = "x"


@dataclass(frozen=True)
class Policy:
    """A disclosure-control policy, applied before any count or percentage reaches the book.

    Parameters
    ----------
    name : str
        ``none`` or ``cbs``.
    description : str
        What the policy does, in Dutch, for the colofon and the chapter notes.
    min_count : int
        Counts from 1 up to ``min_count - 1`` are hidden (0 means off).
    base : int
        Counts that are shown are rounded to a multiple of ``base`` (1 means unrounded).
    min_base : int
        No percentage or mean is shown on a base of fewer than this many.

    """

    name: str
    description: str
    min_count: int = 0
    base: int = 1
    min_base: int = 0

    @property
    def active(self) -> bool:
        """Whether the policy changes anything at all."""
        return self.min_count > 0 or self.base > 1 or self.min_base > 0

    def count(self, n: int | None) -> int | None:
        """One count as it may be shown: rounded, or ``None`` when hidden.

        Parameters
        ----------
        n : int or None
            The true count (``None`` passes through).

        Returns
        -------
        int or None

        """
        if n is None or pd.isna(n):
            return None
        n = int(n)
        if 0 < n < self.min_count:
            return None
        return int(round_half_up(Fraction(n, self.base))) * self.base

    def mean(self, value: float, base: int) -> float | None:
        """A mean over ``base`` units, or ``None`` when the base is too small to show it."""
        if self.active and (self.count(base) is None or base < self.min_base):
            return None
        return value

    def distribution(self, counts: Sequence[int], method: str = "half_omhoog") -> pd.DataFrame:
        """Protect the parts of one whole, with secondary suppression and percentages.

        Primary suppression hides counts from 1 to ``min_count - 1``. When exactly one part is
        hidden, the whole minus the other parts would give it away, so the smallest other part
        that is not zero is hidden too (secondary suppression). Shown counts are rounded to
        ``base``; percentages are computed from the rounded counts and the rounded whole, and
        left out when the whole is below ``min_base``.

        Parameters
        ----------
        counts : sequence of int
            The true counts of the parts.
        method : {"half_omhoog", "grootste_rest"}
            Rounding of the percentages (the report's method); used unchanged when the policy
            is not active.

        Returns
        -------
        pandas.DataFrame
            One row per part: ``gezinnen`` (nullable integer, missing when hidden), ``procent``
            (float, NaN when hidden or not shown), ``verborgen`` (bool).

        """
        true = [int(c) for c in counts]
        if not self.active:
            pcts = percentages(true, method) if sum(true) else [float("nan")] * len(true)
            return pd.DataFrame(
                {
                    "gezinnen": pd.array(true, dtype="Int64"),
                    "procent": pd.array(pcts, dtype="float64"),
                    "verborgen": [False] * len(true),
                }
            )
        hidden = [0 < c < self.min_count for c in true]
        if sum(hidden) == 1:
            candidates = [i for i, c in enumerate(true) if c > 0 and not hidden[i]]
            if candidates:
                hidden[min(candidates, key=lambda i: (true[i], i))] = True
        shown = [None if h else self.count(c) for c, h in zip(true, hidden, strict=True)]
        whole = self.count(sum(true))
        pcts = []
        for s in shown:
            if s is None or not whole or sum(true) < self.min_base:
                pcts.append(float("nan"))
            else:
                pcts.append(round_half_up(Fraction(100 * s, whole)))
        return pd.DataFrame(
            {
                "gezinnen": pd.array(shown, dtype="Int64"),
                "procent": pd.array(pcts, dtype="float64"),
                "verborgen": hidden,
            }
        )

    def total(self, counts: Sequence[int]) -> int | None:
        """The whole of a protected distribution, as it may be shown."""
        return self.count(sum(int(c) for c in counts))


def _cbs(min_count: int = 8, base: int = 5, min_base: int = 10) -> Policy:
    return Policy(
        "cbs",
        f"CBS-stijl: aantallen van 1 tot en met {min_count - 1} staan er als ‘{HIDDEN}’, andere "
        f"aantallen zijn afgerond op {base}, percentages zijn berekend na afronding en "
        f"ontbreken bij minder dan {min_base} gezinnen, en waar een verborgen aantal uit het "
        "totaal terug te rekenen is, is ook een tweede aantal verborgen.",
        min_count=min_count,
        base=base,
        min_base=min_base,
    )


#: The disclosure-control policies by name (``--disclosure``).
POLICIES: dict[str, Policy] = {
    "none": Policy(
        "none",
        "Geen: alle aantallen en percentages staan er onafgerond en niets is verborgen.",
    ),
    # The description is written from the parameters, so text and rule cannot drift apart.
    "cbs": _cbs(),
}


NONE = POLICIES["none"]


def get_policy(name: str) -> Policy:
    """The policy called ``name``; a clear error for an unknown one."""
    try:
        return POLICIES[name]
    except KeyError:
        known = ", ".join(sorted(POLICIES))
        raise ValueError(
            f"onbekend beleid voor statistische beveiliging {name!r}; kies uit {known}"
        ) from None


def count_text(n: int | None) -> str:
    """A protected count as text (``x`` when hidden)."""
    return HIDDEN if n is None or pd.isna(n) else format_number(int(n))


def pct_text(p: float, hidden: bool) -> str:
    """A protected percentage as text: ``x`` when hidden, ``–`` when not shown, else ``12%``."""
    if hidden:
        return HIDDEN
    return "–" if p != p else format_pct(p)


class UnprotectedRealRegister(ValueError):
    """A real register was to be published without disclosure control, without saying so."""


def choose_policy(requested: str | None, synthetic: bool, small_cells_accepted: bool) -> str:
    """The disclosure policy of a build: safe by default for real data.

    Parameters
    ----------
    requested : str or None
        The policy asked for, or None for the default.
    synthetic : bool
        Whether the register is synthetic (its manifest says so).
    small_cells_accepted : bool
        The explicit acknowledgement that a real register may be published with ``none``.

    Returns
    -------
    str
        ``none`` for a synthetic register by default, ``cbs`` for a real one.

    Raises
    ------
    UnprotectedRealRegister
        When ``none`` is asked for a real register without the acknowledgement.
    ValueError
        For an unknown policy.

    """
    name = requested or ("none" if synthetic else "cbs")
    get_policy(name)
    if name == "none" and not synthetic and not small_cells_accepted:
        raise UnprotectedRealRegister(
            'dit register is echt (er staat geen datapackage.json met "synthetic": true bij): '
            "zonder beveiliging (none) komen ook aantallen van één of twee gezinnen in het boek"
        )
    return name
