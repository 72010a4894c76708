"""The rounds' API end to end: the coordinator's workflow, lists, rankings, results and who sees what."""

import datetime

from django.utils import timezone

from engines.matching.check import check
from iepark.careers.choices import RoundStatus
from iepark.careers.models import MatchingRound, RoundMatch, RoundStudentList
from iepark.careers.rounds.matching import build_instance
from iepark.careers.testing import make_posting
from iepark.core.choices import JobStatus

from .helpers import Scene, make_list, make_match, make_position, make_round, make_student


def _ids(response):
    data = response.json()
    return {row["id"] for row in (data["results"] if isinstance(data, dict) else data)}


def test_a_whole_round_through_the_api(world, api, django_capture_on_commit_callbacks):
    coordinator, hr1, hr2 = api(world.coordinator), api(world.hr_e1), api(world.hr_e2)
    created = coordinator.post(
        "/api/v1/rounds/",
        {
            "park": world.park.pk,
            "name": "2027 届毕业双选",
            "cohort_year": 2024,
            "deadline": (timezone.now() + datetime.timedelta(days=5)).isoformat(),
            "offer_deadline": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
            "tie_breaking": "multiple",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    round_id = created.json()["id"]
    positions = []
    for enterprise, capacity in ((world.enterprise_1, 1), (world.enterprise_2, 2)):
        posting = make_posting(world, enterprise, title=f"岗位{enterprise.pk}")
        response = coordinator.post(
            "/api/v1/round-positions/", {"round": round_id, "posting": posting.pk, "capacity": capacity}, format="json"
        )
        assert response.status_code == 201, response.content
        positions.append(response.json()["id"])
    assert coordinator.post(f"/api/v1/rounds/{round_id}/open/").json()["status"] == RoundStatus.OPEN

    extra = [make_student(world, i) for i in range(1, 4)]
    for user, order in ((world.student_a, positions), (world.student_b, positions[::-1])):
        response = api(user).post("/api/v1/round-lists/", {"round": round_id, "preferences": order}, format="json")
        assert response.status_code == 201, response.content
    for student in extra:
        make_list(MatchingRound.objects.get(pk=round_id), student, [])
        RoundStudentList.objects.filter(student=student).update(preferences=positions)

    applicants = hr1.get(f"/api/v1/round-positions/{positions[0]}/applicants/")
    assert applicants.status_code == 200
    assert {a["student"] for a in applicants.json()} == {world.a_student.pk, world.b_student.pk, *(s.pk for s in extra)}
    ranks = {str(world.b_student.pk): 1, str(world.a_student.pk): 2, str(extra[0].pk): 2}
    response = hr1.post(f"/api/v1/round-positions/{positions[0]}/rank/", {"ranks": ranks}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["ranked"] is True
    assert hr2.post(f"/api/v1/round-positions/{positions[1]}/rank/", {"ranking": []}, format="json").status_code == 200

    assert coordinator.post(f"/api/v1/rounds/{round_id}/close/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(f"/api/v1/rounds/{round_id}/run/")
    assert response.status_code == 202, response.content
    job_id = response.json()["job"]["id"]
    job = coordinator.get(f"/api/v1/jobs/{job_id}/").json()
    assert job["status"] == JobStatus.SUCCEEDED and job["result"]["students"] == 5

    matching_round = MatchingRound.objects.get(pk=round_id)
    assert matching_round.status == RoundStatus.COMPUTED and matching_round.tie_breaking == "multiple"
    assignment = {
        str(m.student_id): str(m.position_id) if m.position_id else None for m in matching_round.matches.all()
    }
    assert check(build_instance(matching_round, seed=matching_round.seed), assignment).valid
    # E1's single seat goes to its first-ranked applicant, who listed it.
    assert assignment[str(world.b_student.pk)] in (str(positions[0]), str(positions[1]))
    assert assignment[str(extra[1].pk)] != str(positions[0])  # unranked by E1: not acceptable to it

    report = coordinator.get(f"/api/v1/rounds/{round_id}/report/")
    assert report.status_code == 200 and report.json()["students"] == 5
    assert api(world.student_a).get(f"/api/v1/rounds/{round_id}/report/").status_code == 403

    published = coordinator.post(f"/api/v1/rounds/{round_id}/publish/")
    assert published.status_code == 200 and published.json()["status"] == RoundStatus.PUBLISHED
    mine = api(world.student_a).get("/api/v1/round-matches/", {"round": round_id}).json()["results"]
    assert [row["student"] for row in mine] == [world.a_student.pk]
    assert mine[0]["explanation"] is not None


def test_a_student_sees_only_their_own_list(world, api):
    matching_round = make_round(world)
    position = make_position(world, matching_round)
    mine = make_list(matching_round, world.a_student, [position])
    theirs = make_list(matching_round, world.b_student, [position])
    client = api(world.student_a)
    assert _ids(client.get("/api/v1/round-lists/")) == {mine.pk}
    assert client.get(f"/api/v1/round-lists/{theirs.pk}/").status_code == 404
    assert client.patch(f"/api/v1/round-lists/{theirs.pk}/", {"preferences": []}, format="json").status_code == 404


def test_results_are_hidden_until_published_then_each_sees_their_part(world, api):
    matching_round = make_round(world, status=RoundStatus.COMPUTED)
    p1 = make_position(world, matching_round)
    p2 = make_position(world, matching_round, world.enterprise_2)
    explanation = [{"position": p1.pk, "reason": "full", "last_admitted_rank": 1, "your_rank": 2, "tie_broken": False}]
    a = make_match(matching_round, world.a_student, p2, choice_rank=2, explanation=explanation)
    b = make_match(matching_round, world.b_student, p1)
    for persona in ("student_a", "college_a_admin", "hr_e1", "hr_e2"):
        client = api(world.users[persona])
        assert _ids(client.get("/api/v1/round-matches/")) == set(), persona
        assert client.get(f"/api/v1/round-matches/{a.pk}/").status_code == 404, persona
    assert _ids(api(world.coordinator).get("/api/v1/round-matches/")) == {a.pk, b.pk}

    MatchingRound.objects.filter(pk=matching_round.pk).update(status=RoundStatus.PUBLISHED)
    student = api(world.student_a).get("/api/v1/round-matches/").json()["results"]
    assert [row["id"] for row in student] == [a.pk] and student[0]["explanation"] == explanation
    assert api(world.student_a).get(f"/api/v1/round-matches/{b.pk}/").status_code == 404
    college = api(world.college_a_admin).get("/api/v1/round-matches/").json()["results"]
    assert [row["id"] for row in college] == [a.pk] and college[0]["explanation"] is None
    # An enterprise sees the students matched to its own positions, without why-nots.
    assert _ids(api(world.hr_e2).get("/api/v1/round-matches/")) == {a.pk}
    assert _ids(api(world.hr_e1).get("/api/v1/round-matches/")) == {b.pk}


def test_hr_of_another_enterprise_cannot_see_or_rank_the_applicants(world, api):
    scene = Scene(world)
    url = f"/api/v1/round-positions/{scene.p1.pk}"
    other = api(world.hr_e2)
    assert other.get(f"{url}/applicants/").status_code == 403
    assert other.post(f"{url}/rank/", {"ranking": [world.a_student.pk]}, format="json").status_code == 403
    assert other.patch(f"{url}/", {"capacity": 9}, format="json").status_code == 403
    # Its own HR may, but may not change the seats (the round's managers set them).
    own = api(world.hr_e1)
    assert own.get(f"{url}/applicants/").status_code == 200
    assert own.patch(f"{url}/", {"capacity": 9}, format="json").status_code == 403
    assert api(world.student_a).get(f"{url}/applicants/").status_code == 403
    scene.p1.refresh_from_db()
    assert scene.p1.capacity == 2


def test_lists_after_the_deadline_are_refused(world, api):
    matching_round = make_round(world, deadline=timezone.now() - datetime.timedelta(seconds=1))
    position = make_position(world, matching_round)
    response = api(world.student_a).post(
        "/api/v1/round-lists/", {"round": matching_round.pk, "preferences": [position.pk]}, format="json"
    )
    assert response.status_code == 400 and "round" in response.json()
    assert not RoundStudentList.objects.exists()


def test_bad_lists_and_rankings_are_refused_with_the_field_named(world, api):
    scene = Scene(world)
    response = api(world.student_a).post(
        "/api/v1/round-lists/",
        {"round": scene.round.pk, "preferences": [scene.p1.pk, scene.p1.pk, 424242]},
        format="json",
    )
    assert response.status_code == 400
    assert len(response.json()["preferences"]) == 2
    response = api(world.hr_e1).post(
        f"/api/v1/round-positions/{scene.p1.pk}/rank/", {"ranking": [424242, "x"]}, format="json"
    )
    assert response.status_code == 400 and len(response.json()["ranking"]) == 2
    response = api(world.hr_e1).post(f"/api/v1/round-positions/{scene.p1.pk}/rank/", {}, format="json")
    assert response.status_code == 400 and "ranking" in response.json()


def test_a_non_student_cannot_submit_a_list(world, api):
    matching_round = make_round(world)
    position = make_position(world, matching_round)
    response = api(world.hr_e1).post(
        "/api/v1/round-lists/", {"round": matching_round.pk, "preferences": [position.pk]}, format="json"
    )
    assert response.status_code == 403
    assert not RoundMatch.objects.exists() and not RoundStudentList.objects.exists()


def test_students_see_rounds_of_their_own_cohort_only(world, api):
    mine = make_round(world)
    other_cohort = make_round(world, cohort_year=2025, name="2025 级")
    draft = make_round(world, status=RoundStatus.DRAFT, name="草稿")
    assert _ids(api(world.student_a).get("/api/v1/rounds/")) == {mine.pk}
    assert _ids(api(world.hr_e1).get("/api/v1/rounds/")) == {mine.pk, other_cohort.pk}
    assert _ids(api(world.coordinator).get("/api/v1/rounds/")) == {mine.pk, other_cohort.pk, draft.pk}
