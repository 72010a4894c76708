"""The demo park's meetings and issues: every state present, one overdue issue escalated, fast and repeatable."""

from __future__ import annotations

import pytest

from iepark.core.demo.builder import DEMO_EXTENSIONS
from iepark.governance.consultation import demo, selectors
from iepark.governance.consultation.models import ActionItem, AgendaItem, Issue, Meeting

pytestmark = pytest.mark.django_db


def test_demo_builds_meetings_and_issues_in_every_state(world):
    assert demo.build in DEMO_EXTENSIONS
    from django.contrib.auth import get_user_model

    system = get_user_model().objects.create_superuser("demo-system", password="x")
    demo.build(world.park, actor=system, seed=7, say=lambda message: None)
    assert Meeting.objects.filter(park=world.park, status="held").count() == 4
    assert Meeting.objects.filter(park=world.park, status="scheduled").count() == 1
    statuses = set(Issue.objects.filter(park=world.park).values_list("status", flat=True))
    assert statuses == {"raised", "acknowledged", "consultation", "decided", "closed", "reopened"}
    overdue = selectors.issue_list(user=system).filter(park=world.park, overdue=True)
    assert overdue.count() == 1
    escalated = overdue.get()
    assert escalated.severity == "critical" and escalated.escalated_to.status == "scheduled"
    assert AgendaItem.objects.filter(issue=escalated, escalated=True).count() == 1
    assert selectors.action_item_list(user=system).filter(overdue=True).exists()
    assert ActionItem.objects.filter(status="done").exists()
    demo.build(world.park, actor=system, seed=7, say=lambda message: None)  # once per park
    assert Meeting.objects.filter(park=world.park).count() == 5
