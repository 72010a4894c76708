"""English text of the explanations (the web side translates the codes and parameters itself)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engines.allocation.model import Code, Explanation


def _floor(label: Mapping[str, str]) -> str:
    return f"{label['building']} floor {label['floor']}"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def render(explanation: Explanation) -> str:
    """Return ``explanation`` as one English sentence, addressed to the student."""
    p: Mapping[str, Any] = explanation.params
    code = explanation.code
    if code == Code.NO_BED:
        kind = f"an accessible {p['gender']} room" if p["accessible"] else f"a {p['gender']} room"
        return (
            f"unplaced: no free bed in {kind} ({p['free_beds']} free beds for {p['students']} students; "
            "beds go in the order of the intake list)"
        )
    if code == Code.ROOMMATE_OTHER_GENDER:
        return f"roommate request not honoured: {p['roommate']} lives in rooms of another gender"
    if code == Code.ROOMMATE_NOT_MUTUAL:
        text = f"roommate request not honoured: {p['roommate']} did not ask for you"
        if p.get("their_request"):
            text += f" (they asked for {p['their_request']})"
        return text + "; only mutual requests are honoured"
    if code == Code.ROOMMATE_UNPLACED:
        who = "you have" if p["who"] == "you" else f"{p['roommate']} has"
        return f"roommate request not honoured: {who} no bed"
    if code == Code.ROOMMATE_SEPARATED:
        why = (
            "both rooms were full"
            if p["room_full"] and p["their_room_full"]
            else "keeping you together would have cost more elsewhere (cohort, rooms)"
        )
        return f"roommate request not honoured: you are in {p['room']}, {p['roommate']} in {p['their_room']}; {why}"
    if code == Code.COHORT_FLOOR:
        floors = _and([_floor(f) for f in p["floors"]])
        main, free, n, gender = _floor(p["main_floor"]), p["main_floor_free_beds"], p["students"], p["gender"]
        text = f"cohort {p['cohort']} ({n} {gender} students) split across floors {floors}"
        if free < n:
            return (
                f"{text} because {main} had {free} free {gender} beds for {n} students; you are on {_floor(p['floor'])}"
            )
        return (
            f"{text}: {main} had {free} free {gender} beds, shared with other cohorts; you are on {_floor(p['floor'])}"
        )
    if code in (Code.COHORT_BUILDING, Code.COLLEGE_BUILDING):
        kind = "cohort" if code == Code.COHORT_BUILDING else "college"
        buildings = _and(p["buildings"])
        main, free, n, gender = p["main_building"], p["main_building_free_beds"], p["students"], p["gender"]
        text = f"{kind} {p[kind]} ({n} {gender} students) split across buildings {buildings}"
        if free < n:
            return f"{text} because {main} had {free} free {gender} beds for {n} students; you are in {p['building']}"
        return f"{text}: {main} had {free} free {gender} beds, shared with others; you are in {p['building']}"
    return str(code)
