"""Toy claims and registries for the solver's tests."""

from __future__ import annotations

from evalkit.compute.claims import Claim, Registry
from evalkit.solver.model import Spec

SPEC = Spec(slots=8)


def claim(cid: str, value, metric: str | None = None, dist: str | None = None, **kw) -> Claim:
    recompute = {"metric": metric} if metric else {"distribution": dist}
    recompute["args"] = kw.pop("args")
    recompute.update(kw)
    return Claim(cid, "toy", f"quote {cid}", value, "gezinnen", "2022", f"about {cid}", recompute)


def registry(*claims: Claim) -> Registry:
    return Registry(tuple(claims), (), ())


FLOW_OK = (
    claim("X22-actief", 5, "count_active", args={"jaar": 2022}),
    claim("X22-afgesloten", 2, "count_closed", args={"jaar": 2022}),
    claim("X23-gestart", 1, "count_started", args={"jaar": 2023}),
    claim("X23-actief", 4, "count_active", args={"jaar": 2023}),
)
FLOW_BROKEN = (*FLOW_OK[:3], claim("X23-actief", 5, "count_active", args={"jaar": 2023}))


CHILDREN = (
    claim("X22-actief", 6, "count_active", args={"jaar": 2022}),
    claim("X23-actief", 6, "count_active", args={"jaar": 2023}),
    claim("X22-afgesloten", 0, "count_closed", args={"jaar": 2022}),
    claim("X23-gestart", 0, "count_started", args={"jaar": 2023}),
    claim("X22-een", 2, dist="family_size_counts", args={"jaar": 2022}, key=1),
    claim(
        "X23-twee", 50, dist="family_size_counts", args={"jaar": 2023}, key=2, **{"as": "percent"}
    ),
    claim("X22-oudste", 3, dist="family_age_category_oldest", args={"jaar": 2022}, key="6-12"),
    claim("X22-pubers", 2, "count_children_in_category", args={"jaar": 2022, "categorie": "12-18"}),
    claim("X23-alle", 1, dist="age_group_counts", args={"jaar": 2023}, key="alle categorieën"),
    claim("X23-alleen", 1, dist="age_group_counts", args={"jaar": 2023}, key="alleen 1-6"),
)
