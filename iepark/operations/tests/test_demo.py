"""The operations part of the demo park: service points with hours and notices, through the services."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from iepark.core.demo.builder import DEMO_EXTENSIONS
from iepark.operations import demo
from iepark.operations.choices import ServicePointKind
from iepark.operations.models import OpeningPeriod, ServiceNotice, ServicePoint
from iepark.operations.policy import current_notice_q
from iepark.testing import audit_count


def _build(world) -> list[str]:
    said: list[str] = []
    admin = get_user_model().objects.create_superuser("demo-admin", password="x")
    demo.build(world.park, actor=admin, seed=42, say=said.append)
    return said


def test_demo_is_registered_as_a_demo_extension():
    assert demo.build in DEMO_EXTENSIONS


def test_demo_builds_the_parks_service_points_through_the_services(world):
    said = _build(world)
    points = list(ServicePoint.objects.filter(park=world.park))
    kinds = [p.kind for p in points]
    assert kinds.count(ServicePointKind.CANTEEN) == 2 and kinds.count(ServicePointKind.BARBER) == 2
    assert {
        ServicePointKind.SUPERMARKET,
        ServicePointKind.CLINIC,
        ServicePointKind.EXPRESS,
        ServicePointKind.BANK,
    } <= set(kinds)
    assert all(p.name and p.name_en for p in points) and said
    assert audit_count(ServicePoint, "create") == len(points) == len(demo.POINTS)
    assert audit_count(OpeningPeriod, "create") == OpeningPeriod.objects.count() > 50
    assert ServicePoint.objects.filter(operator=world.operator_org).count() >= 5
    current = ServiceNotice.objects.filter(current_notice_q())
    assert current.count() == 1
    assert ServiceNotice.objects.filter(closes_point=True).exists()


def test_demo_runs_once_per_park_and_shows_on_the_portal(world, client):
    _build(world)
    count = ServicePoint.objects.count()
    demo.build(world.park, actor=get_user_model().objects.get(username="demo-admin"), seed=1)
    assert ServicePoint.objects.count() == count
    page = client.get(f"/careers/{world.park.code}/services/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Student Canteen No. 1" in page and "Bank ATM" in page
    with translation.override("en"):
        atm = ServicePoint.objects.get(kind=ServicePointKind.BANK)
        from iepark.operations import selectors

        assert selectors.week_hours(atm, when=timezone.now()).open_now


def test_demo_builds_dormitories_and_allocates_the_parks_students(world):
    from iepark.operations.models import AllocationRun, BedAssignment, DormBuilding
    from iepark.operations.tests.factories import make_students

    make_students(world, 30, gender="female")
    make_students(world, 20, gender="male", start=100)
    said = _build(world)
    assert DormBuilding.objects.filter(park=world.park).count() == 4
    run = AllocationRun.objects.get(park=world.park)
    assert run.placed == 50 and run.unplaced == 0  # world's own students have no gender recorded: left out
    assert BedAssignment.objects.filter(end_date__isnull=True).count() == 50
    from iepark.operations import selectors

    rows = selectors.occupancy(user=get_user_model().objects.get(username="demo-admin"), park=world.park)
    assert all(row["free"] > 0 for row in rows if row["taken"])
    assert any("dormitory buildings" in line for line in said)
    # 50 allocated, and one more stay for the transfer carried out (its old stay ended the same day)
    assert audit_count(BedAssignment, "create") == 51
    from iepark.operations.choices import TransferStatus
    from iepark.operations.models import HousingWish, RoomTransferRequest

    statuses = set(RoomTransferRequest.objects.values_list("status", flat=True))
    assert statuses == {
        TransferStatus.REQUESTED,
        TransferStatus.APPROVED,
        TransferStatus.REJECTED,
        TransferStatus.DONE,
    }
    assert HousingWish.objects.filter(needs_accessible=True).exists()
    mutual = [w for w in HousingWish.objects.exclude(roommate=None) if w.is_mutual]
    assert len(mutual) >= 2 and run.summary["wishes"]["mutual_pairs"] == len(mutual) // 2
    assert run.summary["wishes"]["mutual_honoured"] == run.summary["wishes"]["mutual_pairs"]
