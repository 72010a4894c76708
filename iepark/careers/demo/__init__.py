"""
The careers part of the demo park: employer profiles, demand plans, postings,
applications, one finished matching round and three cohorts of employment
history with realistic turnover. Each area adds its part, in order.
"""

from __future__ import annotations

import random
from typing import Any


def build(park: Any, *, actor: Any, seed: int, say: Any = None) -> None:
    """Add the careers demo data to ``park`` (inside the demo's transaction), deterministic for ``seed``."""
    say = say or (lambda message: None)
    from importlib import import_module

    for area in ("employers", "applications", "rounds", "outcomes", "portal"):
        try:
            module = import_module(f"iepark.careers.{area}.demo")
        except ModuleNotFoundError:
            continue
        module.build(park, actor=actor, rng=random.Random(f"{seed}-{area}"), say=say)
