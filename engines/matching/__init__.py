"""
Stable many-to-one matching of students to positions (the careers matching round).

Student-proposing deferred acceptance with ties in the positions' lists broken by
a recorded lottery, explanations of each result, a stability check and the round's
report. Pure Python: dataclasses in, dataclasses out, nothing from Django.

``check``, ``explain`` and ``report`` are imported from their modules of the same
name (``from engines.matching.check import check``), which the package does not
shadow by re-exporting them.
"""

from engines.matching.io import InstanceError, ResultError
from engines.matching.model import (
    BlockingPair,
    Explanation,
    GroupRate,
    Instance,
    Position,
    Report,
    Result,
    Student,
    TieBreaking,
    Verification,
)
from engines.matching.solver import solve
from engines.matching.tiebreak import rankings

__all__ = [
    "BlockingPair",
    "Explanation",
    "GroupRate",
    "Instance",
    "InstanceError",
    "Position",
    "Report",
    "Result",
    "ResultError",
    "Student",
    "TieBreaking",
    "Verification",
    "rankings",
    "solve",
]
