"""The rounds' pages, with the Django test client (English pages)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from iepark.careers.choices import RoundStatus
from iepark.careers.models import MatchingRound, RoundPosition, RoundStudentList
from iepark.careers.testing import make_posting
from iepark.core.choices import JobStatus

from .helpers import Scene, make_list, make_match, make_position, make_profile, make_round

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _body(response) -> str:
    return response.content.decode()


def test_the_menu_offers_matching_rounds_to_park_members(world, browser_client):
    body = _body(browser_client(world.student_a).get("/", **EN))
    assert reverse("matchinground_list") in body and "Matching rounds" in body
    assert reverse("matchinground_list") not in _body(browser_client(world.outsider).get("/", **EN))


def test_a_student_lists_their_cohorts_rounds(world, browser_client):
    make_round(world, name="Round for 2024")
    make_round(world, cohort_year=2025, name="Round for 2025")
    body = _body(browser_client(world.student_a).get(reverse("matchinground_list"), **EN))
    assert "Round for 2024" in body and "Round for 2025" not in body


def test_the_coordinator_creates_a_round_on_its_page(world, browser_client):
    client = browser_client(world.coordinator)
    assert client.get(reverse("matchinground_create"), **EN).status_code == 200
    deadline = (timezone.localtime() + datetime.timedelta(days=10)).strftime("%Y-%m-%d %H:%M")
    response = client.post(
        reverse("matchinground_create"),
        {
            "park": world.park.pk,
            "name": "2027 graduates",
            "cohort_year": 2024,
            "deadline": deadline,
            "offer_deadline": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
            "tie_breaking": "single",
        },
        **EN,
    )
    matching_round = MatchingRound.objects.get()
    assert response.status_code == 302 and response.url == reverse("matchinground_detail", args=[matching_round.pk])
    assert browser_client(world.hr_e1).get(reverse("matchinground_create")).status_code == 403


def test_the_coordinator_adds_a_position_and_opens_the_round(world, browser_client):
    matching_round = make_round(world, status=RoundStatus.DRAFT)
    posting = make_posting(world)
    client = browser_client(world.coordinator)
    url = reverse("roundposition_create") + f"?round={matching_round.pk}"
    assert posting.title_en in _body(client.get(url, **EN))
    response = client.post(url, {"round": matching_round.pk, "posting": posting.pk, "capacity": 3}, **EN)
    assert response.status_code == 302 and RoundPosition.objects.get().capacity == 3
    detail = _body(client.get(reverse("matchinground_detail", args=[matching_round.pk]), **EN))
    assert "Open for lists" in detail
    client.post(reverse("matchinground_step", args=[matching_round.pk, "open"]))
    matching_round.refresh_from_db()
    assert matching_round.status == RoundStatus.OPEN
    # Not for others: the enterprise's HR cannot move the round.
    browser_client(world.hr_e1).post(reverse("matchinground_step", args=[matching_round.pk, "close"]))
    matching_round.refresh_from_db()
    assert matching_round.status == RoundStatus.OPEN


def test_a_student_ranks_the_positions_on_their_page(world, browser_client):
    matching_round = make_round(world)
    p1, p2, p3 = (make_position(world, matching_round, title=f"岗位{i}") for i in range(3))
    client = browser_client(world.student_a)
    detail = _body(client.get(reverse("matchinground_detail", args=[matching_round.pk]), **EN))
    assert reverse("matchinground_my_list", args=[matching_round.pk]) in detail
    url = reverse("matchinground_my_list", args=[matching_round.pk])
    assert client.get(url, **EN).status_code == 200
    response = client.post(url, {f"choice_{p3.pk}": "1", f"choice_{p1.pk}": "2", f"choice_{p2.pk}": ""}, **EN)
    assert response.status_code == 302
    assert RoundStudentList.objects.get(student=world.a_student).preferences == [p3.pk, p1.pk]
    # Two positions with the same number: refused, the list unchanged.
    response = client.post(url, {f"choice_{p3.pk}": "1", f"choice_{p1.pk}": "1"}, **EN)
    assert response.status_code == 200 and "more than one position" in _body(response)
    assert RoundStudentList.objects.get(student=world.a_student).preferences == [p3.pk, p1.pk]


def test_a_late_list_is_refused_on_the_page(world, browser_client):
    matching_round = make_round(world, deadline=timezone.now() - datetime.timedelta(minutes=5))
    position = make_position(world, matching_round)
    client = browser_client(world.student_a)
    response = client.post(reverse("matchinground_my_list", args=[matching_round.pk]), {f"choice_{position.pk}": "1"})
    assert response.status_code == 200 and not RoundStudentList.objects.exists()


def test_hr_ranks_applicants_with_their_profiles(world, browser_client):
    scene = Scene(world)
    make_profile(world.a_student, certificates="化工总控工（四级）", skills="DCS operation")
    client = browser_client(world.hr_e1)
    url = reverse("roundposition_rank", args=[scene.p2.pk])
    body = _body(client.get(url, **EN))
    assert "化工总控工（四级）" in body and "DCS operation" in body
    applicants = [lst.student_id for lst in scene.lists if scene.p2.pk in lst.preferences]
    data = {f"rank_{applicants[0]}": "1", f"rank_{applicants[1]}": "1", f"rank_{applicants[2]}": "2"}
    response = client.post(url, data, **EN)
    assert response.status_code == 302
    scene.p2.refresh_from_db()
    assert scene.p2.ranking == [sorted(applicants[:2]), applicants[2]]
    other = browser_client(world.hr_e2)
    assert other.get(url).status_code == 403
    assert other.post(url, data).status_code == 403


def test_the_run_is_linked_to_its_job_and_the_results_have_charts(
    world, browser_client, django_capture_on_commit_callbacks
):
    scene = Scene(world, status=RoundStatus.CLOSED)
    client = browser_client(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matchinground_step", args=[scene.round.pk, "run"]))
    assert response.status_code == 302
    scene.round.refresh_from_db()
    assert scene.round.status == RoundStatus.COMPUTED and scene.round.job.status == JobStatus.SUCCEEDED
    detail = _body(client.get(reverse("matchinground_detail", args=[scene.round.pk]), **EN))
    assert reverse("job_detail", args=[scene.round.job_id]) in detail
    assert "Publish results" in detail and "Run again" in detail
    results = _body(client.get(reverse("matchinground_results", args=[scene.round.pk]), **EN))
    assert "vendor/echarts/echarts.min.js" in results and 'id="round-charts"' in results
    assert "Match rate per college" in results and "Why not" in results
    # The students do not see it before publication.
    student = _body(browser_client(world.student_a).get(reverse("matchinground_results", args=[scene.round.pk]), **EN))
    assert "round-charts" not in student and "No results to show" in student


def test_a_student_reads_their_published_result_and_why_not(world, browser_client):
    matching_round = make_round(world, status=RoundStatus.PUBLISHED)
    p1 = make_position(world, matching_round, title="Wanted most")
    p2 = make_position(world, matching_round, world.enterprise_2, title="Second choice")
    make_list(matching_round, world.a_student, [p1, p2])
    explanation = [{"position": p1.pk, "reason": "full", "last_admitted_rank": 2, "your_rank": 4, "tie_broken": False}]
    make_match(matching_round, world.a_student, p2, choice_rank=2, explanation=explanation)
    body = _body(browser_client(world.student_a).get(reverse("matchinground_detail", args=[matching_round.pk]), **EN))
    assert "your choice no. 2" in body
    assert "full: its last admitted applicant ranks no. 2, you rank no. 4" in body
    # Student B sees the round but not A's result.
    other = _body(browser_client(world.student_b).get(reverse("matchinground_detail", args=[matching_round.pk]), **EN))
    assert "you rank no. 4" not in other


def test_a_positions_history_with_its_rankings_is_for_who_ranks_it(world, browser_client):
    scene = Scene(world)
    url = reverse("roundposition_history", args=[scene.p1.pk])
    assert browser_client(world.hr_e1).get(url).status_code == 200
    assert browser_client(world.coordinator).get(url).status_code == 200
    for persona in ("hr_e2", "student_a", "mentor_e1"):
        assert browser_client(world.users[persona]).get(url).status_code == 404, persona
    assert url not in _body(browser_client(world.student_a).get(reverse("roundposition_detail", args=[scene.p1.pk])))


def test_a_rounds_history_is_for_its_readers(world, browser_client):
    matching_round = make_round(world)
    url = reverse("matchinground_history", args=[matching_round.pk])
    assert browser_client(world.users["committee"]).get(url).status_code == 200
    assert browser_client(world.student_a).get(url).status_code == 404


def test_only_the_rounds_managers_edit_the_seats(world, browser_client):
    scene = Scene(world)
    url = reverse("roundposition_edit", args=[scene.p1.pk])
    assert browser_client(world.hr_e1).get(url).status_code == 403
    assert browser_client(world.hr_e1).post(url, {"capacity": 9}).status_code == 403
    response = browser_client(world.coordinator).post(url, {"capacity": 4})
    assert response.status_code == 302
    scene.p1.refresh_from_db()
    assert scene.p1.capacity == 4
