"""
The allocation engine's explanation codes as sentences in the reader's language.

The engine (``engines.allocation``) says what it could not do as a code and its
parameters; its own ``messages.render`` is English only. Here each code has a
translatable sentence, and the engine's ids (``b<pk>`` buildings, ``r<pk>``
rooms, student pks, ``k<pk>`` colleges, cohorts ``<college pk>-<year>-<major>``) are
turned into names with ``names``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from iepark.core.choices import Gender


def _name(names: Mapping[str, str], key: Any) -> str:
    return names.get(str(key), str(key)) if key is not None else "—"


def _cohort(names: Mapping[str, str], key: str) -> str:
    college, _sep, rest = str(key).partition("-")
    year, _sep, major = rest.partition("-")
    college_name = names.get(f"k{college}") or _name(names, college)
    return f"{college_name} {year} {names.get('m' + major, '')}".strip()


def _floor(names: Mapping[str, str], label: Mapping[str, str]) -> str:
    return _("%(building)s floor %(floor)s") % {"building": _name(names, label["building"]), "floor": label["floor"]}


def _gender(value: str) -> str:
    return str(dict(Gender.choices).get(value, value))


def render(code: str, params: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """Return the sentence of one explanation (or of a code for a student left out before the run)."""
    p = params
    if code == "has_bed":
        return _("Left out: the student already holds a bed.")
    if code == "no_gender":
        return _("Left out: the student's gender is not recorded.")
    if code == "other_park":
        return _("Left out: the student studies in another park.")
    if code == "no_bed":
        kind = _("accessible rooms") if p.get("accessible") else _("rooms")
        return _(
            "Not placed: no free bed in %(gender)s %(kind)s (%(free)s free beds for %(students)s students; "
            "beds go in the order of the list)."
        ) % {"gender": _gender(p["gender"]), "kind": kind, "free": p["free_beds"], "students": p["students"]}
    if code == "roommate_other_gender":
        return _("Roommate request not honoured: %(roommate)s lives in rooms of another gender.") % {
            "roommate": _name(names, p["roommate"])
        }
    if code == "roommate_not_mutual":
        return _("Roommate request not honoured: %(roommate)s did not ask for this student.") % {
            "roommate": _name(names, p["roommate"])
        }
    if code == "roommate_housed":
        return _("Roommate request not honoured: %(roommate)s already holds a bed (ask for a room transfer).") % {
            "roommate": _name(names, p["roommate"])
        }
    if code == "roommate_not_in_run":
        return _("Roommate request not honoured: %(roommate)s was not among the students of this run.") % {
            "roommate": _name(names, p["roommate"])
        }
    if code == "roommate_unplaced":
        return _("Roommate request not honoured: one of the two got no bed.")
    if code == "roommate_separated":
        return _("Roommate request not honoured: this student is in %(room)s, %(roommate)s in %(their_room)s.") % {
            "room": _name(names, p["room"]),
            "roommate": _name(names, p["roommate"]),
            "their_room": _name(names, p["their_room"]),
        }
    if code == "cohort_floor":
        return _(
            "Cohort %(cohort)s (%(students)s %(gender)s students) is split across floors: most are on %(main)s "
            "(%(free)s free beds there), this student is on %(floor)s."
        ) % {
            "cohort": _cohort(names, p["cohort"]),
            "students": p["students"],
            "gender": _gender(p["gender"]),
            "main": _floor(names, p["main_floor"]),
            "free": p["main_floor_free_beds"],
            "floor": _floor(names, p["floor"]),
        }
    if code in ("cohort_building", "college_building"):
        values = {
            "students": p["students"],
            "gender": _gender(p["gender"]),
            "main": _name(names, p["main_building"]),
            "free": p["main_building_free_beds"],
            "building": _name(names, p["building"]),
        }
        if code == "cohort_building":
            values["group"] = _cohort(names, p["cohort"])
            text = _(
                "Cohort %(group)s (%(students)s %(gender)s students) is split across buildings: most are in "
                "%(main)s (%(free)s free beds there), this student is in %(building)s."
            )
        else:
            values["group"] = _name(names, p["college"])
            text = _(
                "College %(group)s (%(students)s %(gender)s students) is split across buildings: most are in "
                "%(main)s (%(free)s free beds there), this student is in %(building)s."
            )
        return text % values
    return code
