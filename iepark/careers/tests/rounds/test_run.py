"""Running a round in the background: stable, explained, reproducible, cancellable; then publishing it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from engines.matching.check import check
from iepark.careers.choices import NotificationKind, OfferStatus, RoundStatus
from iepark.careers.models import Application, MatchingRound, Notification, Offer, RoundMatch
from iepark.careers.rounds import display, services
from iepark.careers.rounds.matching import build_instance
from iepark.careers.testing import make_application
from iepark.core.choices import JobStatus
from iepark.core.models import AuditEvent, Job
from iepark.core.tasks import job_cancel, run_job

from .helpers import Scene, make_position, make_round


def _run(world, matching_round, callbacks, actor=None):
    """Start the run and let the sync runner execute it when the transaction "commits"."""
    with callbacks(execute=True):
        matching_round = services.round_run(actor=actor or world.coordinator, matching_round=matching_round)
    matching_round.refresh_from_db()
    return matching_round


def _assignment(matching_round):
    return {
        str(m.student_id): (str(m.position_id) if m.position_id else None)
        for m in RoundMatch.objects.filter(round=matching_round)
    }


@pytest.fixture
def scene(world):
    scene = Scene(world, status=RoundStatus.CLOSED)
    return scene


def test_a_full_round_runs_in_the_background_and_is_stable(world, scene, django_capture_on_commit_callbacks):
    matching_round = _run(world, scene.round, django_capture_on_commit_callbacks)
    assert matching_round.status == RoundStatus.COMPUTED and matching_round.computed_at is not None
    job = matching_round.job
    assert job.kind == services.TASK_KIND and job.status == JobStatus.SUCCEEDED
    assert job.progress == job.total == 5 and job.result["students"] == 12
    # One result per student with a list; seats respected.
    matches = list(RoundMatch.objects.filter(round=matching_round))
    assert len(matches) == len(scene.lists) == 12
    for position in (scene.p1, scene.p2, scene.p3):
        assert sum(m.position_id == position.pk for m in matches) <= position.capacity
    # The engine's own check finds no blocking pair for the recorded lottery.
    assert matching_round.seed is not None
    instance = build_instance(matching_round, seed=matching_round.seed)
    verification = check(instance, _assignment(matching_round))
    assert verification.valid, verification
    # E1's first position ranks all but one of its applicants: that one is not acceptable to it.
    unranked = [lst.student_id for lst in scene.lists if scene.p1.pk in lst.preferences][-1]
    assert not RoundMatch.objects.filter(round=matching_round, student_id=unranked, position=scene.p1).exists()
    # Every student below their first choice has an explanation for each higher choice.
    for match in matches:
        prefs = next(lst.preferences for lst in scene.lists if lst.student_id == match.student_id)
        above = prefs[: match.choice_rank - 1] if match.choice_rank else prefs
        assert [item["position"] for item in match.explanation] == above
        for item in match.explanation:
            assert item["reason"] in ("full", "not_acceptable", "no_capacity")
            assert "message" not in item  # codes and numbers; pages phrase them
    assert any(m.explanation for m in matches)
    report = matching_round.report
    assert report["students"] == 12 and report["stable"] is True
    assert report["matched"] == sum(m.position_id is not None for m in matches)
    assert report["seats"] == 7 and report["unfilled_seats"] == 7 - report["matched"]
    assert set(report["by_attribute"]) == {"college", "major"}
    assert report["by_attribute"]["college"][str(world.college_a.pk)]["students"] == 6
    assert sum(report["choice_ranks"].values()) == 12


def test_the_same_seed_reproduces_the_run_exactly(world, scene, django_capture_on_commit_callbacks):
    matching_round = _run(world, scene.round, django_capture_on_commit_callbacks)
    first = {m.student_id: (m.position_id, m.choice_rank, m.explanation) for m in matching_round.matches.all()}
    seed, digest = matching_round.seed, matching_round.report["digest"]
    matching_round = _run(world, matching_round, django_capture_on_commit_callbacks)
    again = {m.student_id: (m.position_id, m.choice_rank, m.explanation) for m in matching_round.matches.all()}
    assert matching_round.seed == seed and matching_round.report["digest"] == digest
    assert again == first
    assert RoundMatch.objects.filter(round=matching_round).count() == 12


def test_a_seed_set_beforehand_is_used(world, django_capture_on_commit_callbacks):
    scene = Scene(world, status=RoundStatus.CLOSED, seed=20270601)
    matching_round = _run(world, scene.round, django_capture_on_commit_callbacks)
    assert matching_round.seed == 20270601 and matching_round.report["seed"] == 20270601


def test_the_synchronous_path_gives_the_background_runs_results(world, django_capture_on_commit_callbacks):
    background = Scene(world, status=RoundStatus.CLOSED, seed=7).round
    background = _run(world, background, django_capture_on_commit_callbacks)
    # The same lists in a second round, run here and now (as the demo does).
    inline = MatchingRound.objects.get(pk=background.pk)
    services.round_update(actor=world.coordinator, matching_round=inline, data={"seed": 7})
    MatchingRound.objects.filter(pk=inline.pk).update(status=RoundStatus.CLOSED)
    inline.refresh_from_db()
    inline = services.round_run(actor=world.coordinator, matching_round=inline, background=False)
    assert inline.status == RoundStatus.COMPUTED and inline.report["digest"] == background.report["digest"]


def test_only_the_rounds_managers_run_it_and_only_when_closed(world, django_capture_on_commit_callbacks):
    scene = Scene(world, status=RoundStatus.OPEN)
    with pytest.raises(PermissionDenied):
        services.round_run(actor=world.hr_e1, matching_round=scene.round)
    with pytest.raises(ValidationError):
        services.round_run(actor=world.coordinator, matching_round=scene.round)
    assert not Job.objects.exists()
    empty = make_round(world, status=RoundStatus.CLOSED, name="无人")
    make_position(world, empty)
    with pytest.raises(ValidationError):
        services.round_run(actor=world.coordinator, matching_round=empty)


def test_cancelling_the_job_stops_the_run_and_writes_nothing(world, scene, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        matching_round = services.round_run(actor=world.coordinator, matching_round=scene.round)
    job = matching_round.job
    assert MatchingRound.objects.get(pk=scene.round.pk).status == RoundStatus.RUNNING
    # Cancellation asked for once the run has started: the task sees it at its next step.
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    run_job(job.pk)
    job.refresh_from_db()
    matching_round.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert matching_round.status == RoundStatus.CLOSED
    assert not RoundMatch.objects.filter(round=matching_round).exists() and matching_round.report == {}


def test_a_run_cancelled_while_queued_can_be_started_again(world, scene, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        matching_round = services.round_run(actor=world.coordinator, matching_round=scene.round)
    job_cancel(actor=world.coordinator, job=matching_round.job)
    run_job(matching_round.job.pk)  # the runner finds it cancelled and does nothing
    matching_round.refresh_from_db()
    assert matching_round.status == RoundStatus.RUNNING and not services.run_in_progress(matching_round)
    matching_round = _run(world, matching_round, django_capture_on_commit_callbacks)
    assert matching_round.status == RoundStatus.COMPUTED


def test_a_failed_run_puts_the_round_back(world, scene, django_capture_on_commit_callbacks, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(services, "compute", broken)
    matching_round = _run(world, scene.round, django_capture_on_commit_callbacks)
    assert matching_round.job.status == JobStatus.FAILED
    assert matching_round.status == RoundStatus.CLOSED


def test_explanations_read_in_the_readers_language(world):
    item = {"position": 1, "reason": "full", "last_admitted_rank": 3, "your_rank": 5, "tie_broken": True}
    with translation.override("en"):
        english = display.explanation_text(item)
    assert english.startswith("full: its last admitted applicant ranks no. 3, you rank no. 5")
    assert "lottery" in english
    with translation.override("en"):
        assert "not acceptable" in display.explanation_text({"position": 1, "reason": "not_acceptable"})


# --- publishing -----------------------------------------------------------------------------


def test_publishing_makes_an_offer_per_match_and_notifies(world, scene, django_capture_on_commit_callbacks):
    matching_round = _run(world, scene.round, django_capture_on_commit_callbacks)
    matched = list(matching_round.matches.filter(position__isnull=False).select_related("position"))
    services.round_publish(actor=world.coordinator, matching_round=matching_round)
    matching_round.refresh_from_db()
    assert matching_round.status == RoundStatus.PUBLISHED and matching_round.published_at is not None
    offers = Offer.objects.filter(application__matching_round=matching_round)
    assert offers.count() == len(matched) == matching_round.report["offers"]["made"]
    for match in matched:
        offer = offers.get(application__student=match.student_id)
        assert offer.application.posting_id == match.position.posting_id
        assert offer.deadline == matching_round.offer_deadline and offer.status == OfferStatus.PENDING
    told = set(
        Notification.objects.filter(kind=NotificationKind.ROUND_PUBLISHED).values_list("recipient__username", flat=True)
    )
    assert {"student_a", "student_b", "hr_e1", "hr_e2"} <= told


def test_a_match_on_a_closed_application_gets_no_second_offer(world, scene, django_capture_on_commit_callbacks):
    matching_round = _run(world, scene.round, django_capture_on_commit_callbacks)
    match = matching_round.matches.filter(position__isnull=False).select_related("position", "student").first()
    make_application(match.position.posting, match.student, status="withdrawn")
    services.round_publish(actor=world.coordinator, matching_round=matching_round)
    matching_round.refresh_from_db()
    skipped = matching_round.report["offers"]["skipped"]
    assert [s["student"] for s in skipped] == [match.student_id]
    assert not Offer.objects.filter(application__student=match.student, application__posting=match.position.posting)
    assert Application.objects.filter(matching_round=matching_round).count() == matching_round.report["offers"]["made"]


def test_publishing_needs_computed_current_results_and_an_offer_date(world, scene, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError):
        services.round_publish(actor=world.coordinator, matching_round=scene.round)  # closed, not computed
    matching_round = _run(world, scene.round, django_capture_on_commit_callbacks)
    services.round_update(actor=world.coordinator, matching_round=matching_round, data={"seed": 1})
    with pytest.raises(ValidationError) as excinfo:
        services.round_publish(actor=world.coordinator, matching_round=matching_round)
    assert "seed" in excinfo.value.message_dict
    services.round_update(actor=world.coordinator, matching_round=matching_round, data={"offer_deadline": None})
    matching_round = _run(world, matching_round, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as excinfo:
        services.round_publish(actor=world.coordinator, matching_round=matching_round)
    assert "offer_deadline" in excinfo.value.message_dict
    with pytest.raises(PermissionDenied):
        services.round_publish(actor=world.hr_e1, matching_round=matching_round)
    assert not Offer.objects.exists()


def test_unpublished_results_stay_out_of_the_colleges_audit_trail(world, scene, django_capture_on_commit_callbacks):
    from iepark.core import selectors as core_selectors

    matching_round = _run(world, scene.round, django_capture_on_commit_callbacks)
    matching_round = _run(world, matching_round, django_capture_on_commit_callbacks)  # deletes and recreates
    events = AuditEvent.objects.filter(object_type="careers.roundmatch")
    assert events.filter(action="create").count() == 24 and events.filter(action="delete").count() == 12
    assert not core_selectors.audit_event_list(user=world.college_a_admin).filter(object_type="careers.roundmatch")
    assert (
        core_selectors.audit_event_list(user=world.users["committee"]).filter(object_type="careers.roundmatch").count()
        == 36
    )


def test_a_failed_synchronous_run_puts_the_round_back_too(world, scene, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(services, "compute", broken)
    with pytest.raises(RuntimeError):
        services.round_run(actor=world.coordinator, matching_round=scene.round, background=False)
    scene.round.refresh_from_db()
    assert scene.round.status == RoundStatus.CLOSED and not scene.round.matches.exists()
