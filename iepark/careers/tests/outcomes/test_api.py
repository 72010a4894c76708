"""The outcome endpoints' workflow steps: ending a spell, settling, confirming a month, placement."""

import datetime

from iepark.careers.choices import ClaimStatus, DestinationCategory, LeaveReason
from iepark.careers.models import EmploymentClaim, EmploymentRecord, GraduateDestination, HeadcountConfirmation
from iepark.careers.testing import make_employment
from iepark.core.models import AuditEvent

START = datetime.date(2025, 7, 1)
RECORDS = "/api/v1/employment-records/"
CLAIMS = "/api/v1/employment-claims/"
HEADCOUNT = "/api/v1/headcount-confirmations/"
DESTINATIONS = "/api/v1/graduate-destinations/"


def _ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_end_with_transfer_opens_the_follow_on(world, api):
    record = make_employment(world.a_student, world.enterprise_1, START)
    response = api(world.manager_a).post(
        f"{RECORDS}{record.pk}/end/",
        {
            "end_date": "2026-03-01",
            "leave_reason": LeaveReason.TRANSFERRED,
            "follow_on": {"employer": world.enterprise_2.pk, "post": "集控值班员"},
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["ended"]["end_date"] == "2026-03-01"
    assert data["follow_on"]["employer"] == world.enterprise_2.pk and data["follow_on"]["start_date"] == "2026-03-01"


def test_end_refusals(world, api):
    record = make_employment(world.a_student, world.enterprise_1, START)
    url = f"{RECORDS}{record.pk}/end/"
    payload = {"end_date": "2026-03-01", "leave_reason": LeaveReason.RESIGNED}
    assert api(world.hr_e2).post(url, payload, format="json").status_code == 404
    assert api(world.users["committee"]).post(url, payload, format="json").status_code == 403
    assert api(world.student_a).post(url, payload, format="json").status_code == 403
    bad = api(world.hr_e1).post(url, {"end_date": "2024-01-01", "leave_reason": "resigned"}, format="json")
    assert bad.status_code == 400 and "end_date" in bad.json()
    assert api(world.hr_e1).post(url, payload, format="json").status_code == 200
    again = api(world.hr_e1).post(url, payload, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400 and "ended already" in again.json()["end_date"][0]


def test_a_student_sees_only_their_own(world, api):
    own = make_employment(world.a_student, world.enterprise_1, START)
    other = make_employment(world.b_student, world.enterprise_1, START)
    assert _ids(api(world.student_a).get(RECORDS)) == {own.pk}
    assert api(world.student_a).get(f"{RECORDS}{other.pk}/").status_code == 404
    assert _ids(api(world.hr_e1).get(RECORDS)) == {own.pk, other.pk}
    assert _ids(api(world.hr_e2).get(RECORDS)) == set()


def test_college_b_cannot_see_college_a_graduates(world, api):
    record = make_employment(world.a_student, world.enterprise_1, START)
    destination = GraduateDestination.objects.create(
        student=world.a_student, category=DestinationCategory.NOT_PLACED, as_of=START
    )
    client = api(world.college_b_admin)
    assert client.get(f"{RECORDS}{record.pk}/").status_code == 404
    assert client.get(f"{DESTINATIONS}{destination.pk}/").status_code == 404
    assert _ids(client.get(DESTINATIONS)) == set()


def test_student_reports_through_the_api(world, api):
    make_employment(world.a_student, world.enterprise_1, START)
    response = api(world.student_a).post(CLAIMS, {"student": world.a_student.pk, "employed": False}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["source"] == "student" and response.json()["status"] == ClaimStatus.CONFLICT
    # Not about someone else (who is not even visible to the student).
    other = api(world.student_a).post(CLAIMS, {"student": world.b_student.pk, "employed": False}, format="json")
    assert other.status_code == 400


def test_settling_through_the_api(world, api):
    make_employment(world.a_student, world.enterprise_1, START)
    claim_id = (
        api(world.manager_a)
        .post(CLAIMS, {"student": world.a_student.pk, "as_of": "2026-06-01", "employed": False}, format="json")
        .json()["id"]
    )
    assert claim_id in _ids(api(world.manager_a).get(f"{CLAIMS}to-settle/"))
    assert claim_id not in _ids(api(world.users["committee"]).get(f"{CLAIMS}to-settle/"))
    assert api(world.users["committee"]).post(f"{CLAIMS}{claim_id}/dismiss/", {"note": "x"}).status_code == 403
    assert api(world.college_b_admin).post(f"{CLAIMS}{claim_id}/dismiss/", {"note": "x"}).status_code == 404
    assert api(world.manager_a).post(f"{CLAIMS}{claim_id}/dismiss/", {}).status_code == 400
    response = api(world.college_a_admin).post(f"{CLAIMS}{claim_id}/apply/", {"note": "核实"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == ClaimStatus.APPLIED
    assert EmploymentRecord.objects.get(student=world.a_student).end_date == datetime.date(2026, 6, 1)
    assert api(world.manager_a).post(f"{CLAIMS}{claim_id}/apply/", {}).status_code == 400


def _last_month():
    from django.utils import timezone

    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def test_confirmation_through_the_api_and_its_roster(world, api, graduate):
    a = make_employment(world.a_student, world.enterprise_1, START)
    b = make_employment(graduate(), world.enterprise_1, START)
    month = f"{_last_month():%Y-%m}"
    roster = api(world.hr_e1).get(f"{HEADCOUNT}roster/", {"enterprise": world.enterprise_1.pk, "month": month})
    assert roster.status_code == 200 and {r["id"] for r in roster.json()} == {a.pk, b.pk}
    refused = api(world.hr_e2).get(f"{HEADCOUNT}roster/", {"enterprise": world.enterprise_1.pk, "month": month})
    assert refused.status_code == 400  # E1 is not even visible to E2's HR
    response = api(world.hr_e1).post(
        HEADCOUNT,
        {
            "enterprise": world.enterprise_1.pk,
            "month": month,
            "lines": [
                {"record": a.pk, "employed": True},
                {
                    "record": b.pk,
                    "employed": False,
                    "end_date": f"{_last_month():%Y-%m}-10",
                    "leave_reason": "resigned",
                },
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert (response.json()["confirmed"], response.json()["left"]) == (1, 1)
    detail = api(world.hr_e1).get(f"{HEADCOUNT}{response.json()['id']}/").json()
    assert len(detail["claims"]) == 2


def test_confirmation_is_all_or_nothing_and_once_a_month(world, api, graduate):
    a = make_employment(world.a_student, world.enterprise_1, START)
    b = make_employment(graduate(), world.enterprise_1, START)
    month = f"{_last_month():%Y-%m}"
    before = (AuditEvent.objects.count(), EmploymentClaim.objects.count())
    bad = api(world.hr_e1).post(
        HEADCOUNT,
        {
            "enterprise": world.enterprise_1.pk,
            "month": month,
            "lines": [{"record": a.pk, "employed": True}, {"record": b.pk, "employed": False}],
        },
        format="json",
    )
    assert bad.status_code == 400 and "lines" in bad.json()
    assert (AuditEvent.objects.count(), EmploymentClaim.objects.count()) == before
    a.refresh_from_db()
    assert a.last_confirmed is None and not HeadcountConfirmation.objects.exists()
    good = {"enterprise": world.enterprise_1.pk, "month": month, "lines": [{"record": a.pk}, {"record": b.pk}]}
    assert api(world.hr_e1).post(HEADCOUNT, good, format="json").status_code == 201
    again = api(world.hr_e1).post(HEADCOUNT, good, format="json")
    assert again.status_code == 400 and "month" in again.json()
    assert HeadcountConfirmation.objects.count() == 1


def test_hr_e2_cannot_confirm_e1(world, api):
    a = make_employment(world.a_student, world.enterprise_1, START)
    month = f"{_last_month():%Y-%m}"
    payload = {"enterprise": world.enterprise_1.pk, "month": month, "lines": [{"record": a.pk}]}
    assert api(world.hr_e2).post(HEADCOUNT, payload, format="json").status_code == 400
    assert api(world.college_a_admin).post(HEADCOUNT, payload, format="json").status_code in (400, 403)
    assert not HeadcountConfirmation.objects.exists()


def test_confirmations_cannot_be_changed(world, api):
    confirmation = HeadcountConfirmation.objects.create(enterprise=world.enterprise_1, month=datetime.date(2025, 1, 1))
    client = api(world.hr_e1)
    assert client.patch(f"{HEADCOUNT}{confirmation.pk}/", {"confirmed": 9}, format="json").status_code == 405
    assert client.delete(f"{HEADCOUNT}{confirmation.pk}/").status_code == 405


def test_placement_endpoint(world, api, graduate, settings):
    settings.IEPARK_PROGRAMME_YEARS = 3
    placed, unplaced = graduate(), graduate(world.college_b)
    GraduateDestination.objects.create(
        student=placed, category=DestinationCategory.FURTHER_STUDY, as_of=datetime.date(2026, 7, 1)
    )
    response = api(world.coordinator).get(f"{DESTINATIONS}placement/", {"graduation_year": 2026, "as_of": "2026-09-01"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["graduates"], data["placed"], data["rate"]) == (2, 1, 0.5)
    assert data["categories"]["not_placed"] == 1 and data["without_destination"] == 1
    college_b = api(world.college_b_admin).get(f"{DESTINATIONS}placement/", {"graduation_year": 2026}).json()
    assert college_b["graduates"] == 1 and college_b["colleges"][0]["college_id"] == unplaced.college_id
    assert api(world.coordinator).get(f"{DESTINATIONS}placement/").status_code == 400


def test_suggestion_endpoint(world, api, days_ago):
    make_employment(world.a_student, world.enterprise_1, days_ago(30))
    data = api(world.manager_a).get(f"{DESTINATIONS}suggestion/", {"student": world.a_student.pk}).json()
    assert data["category"] == DestinationCategory.CONTRACT_EMPLOYMENT and data["employer"] == world.enterprise_1.pk
    assert api(world.manager_a).get(f"{DESTINATIONS}suggestion/", {"student": world.b_student.pk}).status_code == 400
