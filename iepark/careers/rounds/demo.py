"""
The demo park's matching rounds (after the employers' and applications' demo data).

- A finished, published round for the graduating cohort: nearly all its
  students rank 3–8 of the park's approved postings (a few postings are much
  more wanted than others, and postings of the student's own major more
  likely), the enterprises rank their applicants (some with ties, a few leave
  applicants out, some submit no ranking), and the round is run through the
  same service path as the background task, then published (offers made).
- An open round for the next cohort, the one of the demo login ``student1``,
  with a deadline two weeks ahead: part of the cohort has submitted lists, the
  demo students have not, and no enterprise has ranked yet.

Everything is written through the services as ``actor``; the same seed gives the same rounds.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from typing import Any

from django.db import transaction
from django.utils import timezone

from iepark.core.models import Park, Student

from ..choices import PostingKind, TieBreaking, VettingStatus
from ..models import MatchingRound, Posting, RoundPosition
from . import services
from .selectors import NOT_ELIGIBLE_STATUSES, graduating_cohort

# Shares of the cohorts that submit lists.
FINISHED_LIST_SHARE = 0.95
OPEN_LIST_SHARE = 0.3
# Seats against students: as many in all, but the popular positions are short of them.
SEATS_PER_STUDENT = 1.0


def _popularity(postings: list[Posting], rng: random.Random) -> dict[int, float]:
    """Return a skewed appeal per posting (a few much wanted, a long tail), in a random order of postings."""
    order = list(postings)
    rng.shuffle(order)
    return {posting.pk: 1.0 / (rank + 1) ** 1.1 for rank, posting in enumerate(order)}


def _choose(weights: dict[int, float], k: int, rng: random.Random) -> list[int]:
    """Return ``k`` distinct keys of ``weights`` drawn in proportion to their weights, first drawn first."""
    pool = dict(weights)
    chosen: list[int] = []
    while pool and len(chosen) < k:
        total = sum(pool.values())
        point = rng.random() * total
        picked = next(reversed(pool))  # if rounding leaves the point past the end
        for key, weight in pool.items():
            point -= weight
            if point <= 0:
                picked = key
                break
        chosen.append(picked)
        del pool[picked]
    return chosen


def _student_lists(
    matching_round: MatchingRound,
    students: list[Student],
    positions: list[RoundPosition],
    *,
    actor: Any,
    rng: random.Random,
    share: float,
) -> dict[int, list[int]]:
    """Submit the lists of about ``share`` of ``students``; return who listed each position."""
    appeal = _popularity([p.posting for p in positions], rng)
    majors = {p.pk: {m.pk for m in p.posting.majors.all()} for p in positions}
    listed_by: dict[int, list[int]] = {p.pk: [] for p in positions}
    for student in students:
        if rng.random() >= share:
            continue
        weights = {p.pk: appeal[p.posting_id] * (3.0 if student.major_id in majors[p.pk] else 1.0) for p in positions}
        k = rng.randint(min(3, len(positions)), min(8, len(positions)))
        preferences = _choose(weights, k, rng)
        services.student_list_submit(
            actor=actor, matching_round=matching_round, student=student, preferences=preferences
        )
        for position_id in preferences:
            listed_by[position_id].append(student.pk)
    return listed_by


def _rankings(
    positions: list[RoundPosition],
    listed_by: dict[int, list[int]],
    students: dict[int, Student],
    *,
    actor: Any,
    rng: random.Random,
) -> None:
    """Let the enterprises rank: by major and an interview score in bands (ties), some leave people out or abstain."""
    for position in positions:
        applicants = listed_by[position.pk]
        if not applicants or rng.random() < 0.2:
            continue  # no ranking: every applicant acceptable, all tied
        majors = {m.pk for m in position.posting.majors.all()}
        drop = 0.1 if rng.random() < 0.3 else 0.0
        bands: dict[int, list[int]] = {}
        for student_id in applicants:
            if rng.random() < drop:
                continue  # not acceptable to the enterprise
            score = (4 if students[student_id].major_id in majors else 0) + rng.randint(0, 5)
            bands.setdefault(score, []).append(student_id)
        ranking = [
            members[0] if len(members) == 1 else sorted(members)
            for _score, members in sorted(bands.items(), reverse=True)
        ]
        services.position_ranking_submit(actor=actor, position=position, ranking=ranking)


def _positions(
    matching_round: MatchingRound, postings: list[Posting], seats: int, *, actor: Any, rng: random.Random
) -> list[RoundPosition]:
    """Add ``postings`` to the round, sharing about ``seats`` seats in proportion to their openings."""
    openings = sum(p.headcount for p in postings) or 1
    positions = []
    for posting in postings:
        capacity = max(1, round(posting.headcount * seats / openings + rng.uniform(-0.5, 0.5)))
        positions.append(
            services.round_position_add(actor=actor, matching_round=matching_round, posting=posting, capacity=capacity)
        )
    return positions


def build(park: Park, *, actor: Any, rng: random.Random, say: Any = None) -> None:
    """Add a published round for the graduating cohort and an open one for ``student1``'s cohort to ``park``."""
    say = say or (lambda message: None)
    now = timezone.now()
    today = timezone.localdate()
    postings = list(
        Posting.objects.filter(enterprise__park=park, vetting_status=VettingStatus.APPROVED)
        .select_related("enterprise")
        .prefetch_related("majors")
        .order_by("pk")
    )
    if len(postings) < 3:
        say("too few approved postings: no matching rounds")
        return
    students = list(
        Student.objects.filter(college__park=park)
        .exclude(status__in=NOT_ELIGIBLE_STATUSES)
        .select_related("college", "major", "person__user")
        .order_by("pk")
    )
    cohorts = Counter(s.cohort_year for s in students)
    if not cohorts:
        return
    logins = {s.pk for s in students if s.person.user_id and s.person.user.username.endswith(("student1", "student2"))}
    student1 = next((s for s in students if s.person.user_id and s.person.user.username.endswith("student1")), None)
    open_cohort = student1.cohort_year if student1 else max(cohorts)
    graduating = graduating_cohort(today)
    if graduating == open_cohort or cohorts.get(graduating, 0) < 10:
        graduating = max((c for c in cohorts if c != open_cohort), key=lambda c: cohorts[c], default=open_cohort)

    connection = transaction.get_connection()
    mails_before = len(connection.run_on_commit)

    # The finished round: run and published.
    cohort = [s for s in students if s.cohort_year == graduating]
    finished = services.round_create(
        actor=actor,
        park=park,
        name=f"{graduating + 3}届毕业生就业双选匹配",
        cohort_year=graduating,
        deadline=now + datetime.timedelta(days=1),
        offer_deadline=today + datetime.timedelta(days=14),
        tie_breaking=TieBreaking.SINGLE,
        seed=rng.randrange(2**31),
    )
    chosen = [p for p in postings if p.kind != PostingKind.INTERNSHIP] or postings
    positions = _positions(finished, chosen, round(len(cohort) * SEATS_PER_STUDENT), actor=actor, rng=rng)
    services.round_open(actor=actor, matching_round=finished)
    listed_by = _student_lists(finished, cohort, positions, actor=actor, rng=rng, share=FINISHED_LIST_SHARE)
    _rankings(positions, listed_by, {s.pk: s for s in cohort}, actor=actor, rng=rng)
    services.round_close(actor=actor, matching_round=finished)
    finished = services.round_run(actor=actor, matching_round=finished, background=False)
    finished = services.round_publish(actor=actor, matching_round=finished)
    report = finished.report
    say(
        f"matching round {graduating}: {report['matched']}/{report['students']} students matched, "
        f"{report['first_choice']} to their first choice, {report['offers']['made']} offers"
    )

    # The open round: lists coming in, the demo students' still to come.
    cohort = [s for s in students if s.cohort_year == open_cohort and s.pk not in logins]
    if open_cohort != graduating and cohort:
        current = services.round_create(
            actor=actor,
            park=park,
            name=f"{open_cohort + 3}届毕业生就业双选匹配（预报名）",
            cohort_year=open_cohort,
            deadline=now + datetime.timedelta(days=14),
            offer_deadline=today + datetime.timedelta(days=30),
            tie_breaking=TieBreaking.SINGLE,
        )
        offered = rng.sample(postings, k=min(len(postings), max(3, len(postings) * 2 // 3)))
        offered.sort(key=lambda p: p.pk)
        positions = _positions(current, offered, round(len(cohort) * SEATS_PER_STUDENT), actor=actor, rng=rng)
        services.round_open(actor=actor, matching_round=current)
        _student_lists(current, cohort, positions, actor=actor, rng=rng, share=OPEN_LIST_SHARE)
        say(f"matching round {open_cohort}: open, {current.student_lists.count()} lists so far")

    # The demo's notifications stay in the app (as the applications' demo does): no e-mail flood at commit.
    del connection.run_on_commit[mails_before:]
