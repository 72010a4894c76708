"""
Allocation of incoming students to dormitory beds.

Hard constraints (room gender, one student per bed, accessibility needs, beds
already taken) always hold; as many students as the beds allow are placed.
Weighted soft goals (mutual roommates, cohorts on one floor and in one building,
colleges in one building, full rooms, accessible beds kept free) are met by a
constructive plan improved by local search, deterministic for a seed. Pure
Python: dataclasses in, dataclasses out, nothing from Django.

``check`` and ``explain`` are imported from their modules of the same name.
"""

from engines.allocation.io import InstanceError, ResultError
from engines.allocation.model import (
    Building,
    Code,
    Cost,
    Explanation,
    Floor,
    Goal,
    Instance,
    Result,
    Room,
    Student,
    Verification,
    Weights,
)
from engines.allocation.solver import solve

__all__ = [
    "Building",
    "Code",
    "Cost",
    "Explanation",
    "Floor",
    "Goal",
    "Instance",
    "InstanceError",
    "Result",
    "ResultError",
    "Room",
    "Student",
    "Verification",
    "Weights",
    "solve",
]
