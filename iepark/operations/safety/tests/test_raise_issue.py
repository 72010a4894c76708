"""A serious finding raised as a major issue of the park: once, by its keepers, linked both ways."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from iepark.governance.consultation.models import Issue
from iepark.operations.safety import services

from .factories import make_finding, make_round


def test_keeper_raises_a_critical_finding_once(world):
    finding = make_finding(world, severity="critical", description="消防通道堵塞")
    issue = services.finding_raise_issue(actor=world.operator, finding=finding)
    assert (issue.category, issue.severity) == ("safety", "critical")
    assert "消防通道堵塞" in issue.title
    assert list(issue.affected_organisations.all()) == [finding.task.owner]
    assert issue.source_url == reverse("finding_detail", args=[finding.pk])
    with pytest.raises(ValidationError, match="already been raised"):
        services.finding_raise_issue(actor=world.operator, finding=finding)
    assert Issue.objects.count() == 1


def test_minor_findings_and_other_parties_are_refused(world):
    inspection = make_round(world)
    low = make_finding(world, inspection, severity="low")
    with pytest.raises(ValidationError, match="high or critical"):
        services.finding_raise_issue(actor=world.operator, finding=low)
    high = make_finding(world, inspection, severity="high")
    for name in ("college_a_admin", "student_a", "other_admin"):
        with pytest.raises(PermissionDenied):
            services.finding_raise_issue(actor=world.users[name], finding=high)
    assert not Issue.objects.exists()


def test_page_button_and_api_action(world, browser_client, api):
    inspection = make_round(world)
    finding = make_finding(world, inspection, severity="high")
    page = browser_client(world.users["operator"]).get(reverse("finding_detail", args=[finding.pk]))
    assert reverse("finding_raise_issue", args=[finding.pk]) in page.content.decode()
    response = browser_client(world.users["operator"]).post(reverse("finding_raise_issue", args=[finding.pk]))
    issue = Issue.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("issue_detail", args=[issue.pk])
    # The owner college (affected) sees the issue; the finding page now links it instead of offering the button.
    assert (
        browser_client(world.users["college_a_admin"]).get(reverse("issue_detail", args=[issue.pk])).status_code == 200
    )
    page = browser_client(world.users["operator"]).get(reverse("finding_detail", args=[finding.pk])).content.decode()
    assert reverse("issue_detail", args=[issue.pk]) in page
    assert reverse("finding_raise_issue", args=[finding.pk]) not in page

    other = make_finding(world, inspection, severity="critical")
    url = f"/api/v1/safety-findings/{other.pk}/raise-issue/"
    assert api(world.users["other_admin"]).post(url).status_code == 404
    assert api(world.users["committee"]).post(url).status_code == 403
    created = api(world.users["operator"]).post(url)
    assert created.status_code == 201 and created.json()["issue"] == Issue.objects.latest("pk").pk
    again = api(world.users["operator"]).post(url)
    assert again.status_code == 400
