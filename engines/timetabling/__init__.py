"""Curriculum-based course timetabling (ITC-2007 CB-CTT, UD2) with the park's room kinds and teacher unavailability."""

from engines.timetabling.model import (
    Assignment,
    CostBreakdown,
    Course,
    Curriculum,
    Instance,
    Room,
    Solution,
)
from engines.timetabling.score import score
from engines.timetabling.solver import SolveResult, solve

__all__ = [
    "Assignment",
    "CostBreakdown",
    "Course",
    "Curriculum",
    "Instance",
    "Room",
    "Solution",
    "SolveResult",
    "score",
    "solve",
]
