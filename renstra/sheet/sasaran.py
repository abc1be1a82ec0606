"""T-C.28 and T-C.25 as printed → data/sasaran.yaml (tujuan, sasaran, their indicators), data/tc28.yaml
and data/tc25.yaml."""

from __future__ import annotations


def registri(tc28, tc25, years: dict[str, int]) -> dict[str, str]:
    return {}
