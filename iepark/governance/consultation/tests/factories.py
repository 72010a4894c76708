"""Test data of contact meetings and major issues, made through the services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from iepark.governance.consultation import services


def meeting(world, *, title="Quarterly contact meeting", days=7, participants=("college_a_admin", "hr_e1"), **kw):
    """Schedule a meeting of park P ``days`` from now (negative: in the past), as the committee officer."""
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    return services.meeting_create(
        actor=world.users["committee"],
        park=world.park,
        title=title,
        starts_at=kw.pop("starts_at", starts),
        ends_at=kw.pop("ends_at", starts + datetime.timedelta(hours=2)),
        place=kw.pop("place", "Committee building, room 301"),
        participants=[world.persons[name] for name in participants],
        **kw,
    )


def issue(
    world, *, by="college_a_admin", title="Dormitory heating fails", severity="high", affected=("enterprise_1",), **kw
):
    """Raise an issue in park P as persona ``by`` (affecting the named organisations of the world)."""
    return services.issue_raise(
        actor=world.users[by],
        park=world.park,
        category=kw.pop("category", "student_life"),
        severity=severity,
        title=title,
        description=kw.pop("description", "The heating of building 3 fails every night."),
        affected_organisations=[getattr(world, name) for name in affected],
        **kw,
    )


def action(world, mtg, *, owner="college_a", person="college_a_admin", days=10, title="Repair the boiler"):
    return services.action_item_add(
        actor=world.users["committee"],
        meeting=mtg,
        title=title,
        owner_organisation=getattr(world, owner),
        owner_person=world.persons[person] if person else None,
        due_date=timezone.localdate(mtg.starts_at) + datetime.timedelta(days=days),
    )
