"""Large random registers for benchmarks and scale tests (not consistent with any publication)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from evalkit.inputs.register import Reference


def random_register(
    n: int, reference: Reference, seed: int = 1, years: tuple[int, int] = (2022, 2023)
) -> dict[str, pd.DataFrame]:
    """A valid register of ``n`` trajecten with random dates, categories, hours and children.

    Parameters
    ----------
    n : int
        Number of trajecten.
    reference : Reference
        Vocabularies the values are drawn from.
    seed : int
        Seed of the generator (the same seed gives the same register).
    years : tuple of int
        First and last year of the register.

    Returns
    -------
    dict of str to DataFrame
        ``trajecten``, ``jaarregistratie`` and ``kinderen`` as they would be written to CSV.

    """
    rng = np.random.default_rng(seed)
    first, last = pd.Timestamp(years[0], 1, 1), pd.Timestamp(years[1], 12, 31)
    span = (last - first).days
    ids = np.char.add("T", np.char.zfill(np.arange(1, n + 1).astype(str), 7))
    start = first + pd.to_timedelta(rng.integers(0, span - 30, n), unit="D")
    aanmeld = start - pd.to_timedelta(rng.integers(0, 21, n), unit="D")
    aanmeld = aanmeld.where(aanmeld >= first, first)
    duration = pd.to_timedelta(rng.integers(30, 540, n), unit="D")
    end = start + duration
    open_ = end > last
    end = end.where(~open_)
    reden = rng.choice(list(reference.reden_einde["code"]), n)
    trajecten = pd.DataFrame(
        {
            "traject_id": ids,
            "wijk": rng.choice(list(reference.wijken), n),
            "aanmelddatum": aanmeld.strftime("%Y-%m-%d"),
            "startdatum": start.strftime("%Y-%m-%d"),
            "einddatum": pd.Series(end).dt.strftime("%Y-%m-%d").fillna("").to_numpy(),
            "reden_einde": np.where(open_, "", reden),
        }
    )
    rows = []
    end_year = np.where(open_, years[1], pd.Series(end).dt.year.fillna(years[1]).astype(int))
    for jaar in range(years[0], years[1] + 1):
        active = (start.year <= jaar) & (end_year >= jaar)
        k = int(active.sum())
        rows.append(
            pd.DataFrame(
                {
                    "traject_id": ids[active],
                    "jaar": jaar,
                    "gezinssamenstelling": rng.choice(
                        list(reference.gezinssamenstelling["code"]), k
                    ),
                    "hoofdvraag": rng.choice(list(reference.hoofdvraag["code"]), k),
                    "uren_per_week": np.round(rng.uniform(1, 12, k), 1),
                }
            )
        )
    jaarregistratie = pd.concat(rows, ignore_index=True)
    per_family = rng.integers(1, 5, n)
    owner = np.repeat(np.arange(n), per_family)
    rank = np.arange(len(owner)) - np.repeat(np.cumsum(per_family) - per_family, per_family)
    kinderen = pd.DataFrame(
        {
            "kind_id": np.char.add(np.char.add(ids[owner], "-K"), (rank + 1).astype(str)),
            "traject_id": ids[owner],
            "geboortejaar": rng.integers(years[0] - 17, years[0] + 1, len(owner)),
            "geboortemaand": rng.integers(1, 13, len(owner)),
        }
    )
    return {"trajecten": trajecten, "jaarregistratie": jaarregistratie, "kinderen": kinderen}


def write_random_register(
    folder: Path, n: int, reference: Reference, seed: int = 1
) -> dict[str, int]:
    """Write :func:`random_register` as CSV into ``folder``; return the rows per table."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = random_register(n, reference, seed)
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    return {name: len(frame) for name, frame in tables.items()}
