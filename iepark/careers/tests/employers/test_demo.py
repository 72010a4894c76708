"""The employers' part of the demo park: realistic, complete enough to use, and deterministic for its seed."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from django.db import transaction

from iepark.careers.choices import PlanStatus, PostingKind, VettingStatus
from iepark.careers.employers import demo, selectors
from iepark.careers.models import DemandPlan, EmployerProfile, Posting
from iepark.core.choices import OrganisationKind
from iepark.core.demo import builder


@pytest.fixture
def park(db, monkeypatch):
    """A small core demo park, without the other apps' demo parts."""
    monkeypatch.setattr(builder, "DEMO_EXTENSIONS", [])
    return builder.build_park(builder.generate_plan(seed=7, students=4), actor=builder.system_user())


def _summary(park):
    postings = Posting.objects.filter(enterprise__park=park)
    return sorted(postings.values_list("enterprise__name", "title", "kind", "vetting_status", "headcount", "closes_on"))


def test_demo_is_realistic_and_deterministic(park):
    actor = builder.system_user()
    with transaction.atomic():
        demo.build(park, actor=actor, rng=random.Random("7-employers"))
        first = _summary(park)
        transaction.set_rollback(True)
    demo.build(park, actor=actor, rng=random.Random("7-employers"))
    assert _summary(park) == first and first

    enterprises = park.organisations.filter(kind=OrganisationKind.ENTERPRISE)
    profiles = Counter(EmployerProfile.objects.filter(organisation__park=park).values_list("vetting_status", flat=True))
    assert sum(profiles.values()) == enterprises.count()
    assert profiles[VettingStatus.SUBMITTED] == 1 and profiles[VettingStatus.APPROVED] == enterprises.count() - 1

    plans = DemandPlan.objects.filter(enterprise__park=park)
    assert plans.filter(horizon="1y").count() >= enterprises.count() - 2
    assert plans.filter(horizon="3y").count() >= enterprises.count() - 2
    assert plans.filter(status=PlanStatus.DRAFT).count() == 1  # hr1's yearly plan, to edit
    posts = set(plans.values_list("lines__post", flat=True))
    assert {"化工总控工", "锅炉运行值班员", "采煤机司机", "电气值班员", "仪表维修工"} <= posts

    postings = Posting.objects.filter(enterprise__park=park)
    statuses = Counter(postings.values_list("vetting_status", flat=True))
    assert 25 <= postings.count() <= 40
    assert statuses[VettingStatus.APPROVED] >= postings.count() * 0.7
    assert statuses[VettingStatus.SUBMITTED] >= 2 and statuses[VettingStatus.REJECTED] == 1
    rejected = postings.get(vetting_status=VettingStatus.REJECTED)
    assert len(rejected.rejection_reason) > 20
    kinds = Counter(postings.values_list("kind", flat=True))
    assert kinds[PostingKind.INTERNSHIP] >= 3 and kinds[PostingKind.ORDER_SEAT] >= 2
    assert all(p.title_en and p.description_en and p.majors.exists() for p in postings)

    # The queue is not empty, students have postings to browse, and the zone's demand adds up.
    assert selectors.vetting_queue_profiles(user=actor).count() == 1
    assert selectors.vetting_queue_postings(user=actor).count() >= 2
    assert selectors.open_posting_list(user=actor).count() >= 20
    demand = selectors.zone_demand(actor, park)
    assert len({row["year"] for row in demand}) == 3 and sum(row["headcount"] for row in demand) > 100
