"""Two concurrent check-ins of one bed on PostgreSQL: exactly one succeeds, the other gets a clear error."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from iepark.operations import services
from iepark.operations.models import BedAssignment
from iepark.testing import build_world

from .factories import make_building, make_room, make_students


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_assignments_of_one_bed_cannot_both_succeed():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent transactions are a PostgreSQL matter; SQLite serialises writers")
    world = build_world()
    bed = make_room(make_building(world.park), gender="female", beds=1).beds.get()
    students = make_students(world, 6, gender="female")
    barrier = threading.Barrier(len(students))
    outcomes: list[object] = []
    lock = threading.Lock()

    def check_in(student) -> None:
        try:
            barrier.wait()
            services.bed_assign(actor=world.operator, bed=bed, student=student)
            result: object = "ok"
        except ValidationError as exc:
            result = exc
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            result = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=check_in, args=(s,)) for s in students]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1, outcomes
    refusals = [o for o in outcomes if o != "ok"]
    assert all(isinstance(o, ValidationError) and "bed" in o.message_dict for o in refusals), refusals
    assert BedAssignment.objects.filter(bed=bed, end_date__isnull=True).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_transfer_and_a_check_in_racing_for_one_bed_cannot_both_succeed():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent transactions are a PostgreSQL matter; SQLite serialises writers")
    from iepark.operations.models import RoomTransferRequest

    from .factories import make_assignment

    world = build_world()
    building = make_building(world.park)
    old_room = make_room(building, "101", gender="female", beds=4)
    target = make_room(building, "201", gender="female", beds=1, floor=2).beds.get()
    movers = make_students(world, 3, gender="female")
    newcomer = make_students(world, 1, gender="female", start=50)[0]
    transfers = []
    for student, bed in zip(movers, old_room.beds.all(), strict=False):
        stay = make_assignment(student, bed)
        transfers.append(
            RoomTransferRequest.objects.create(student=student, assignment=stay, reason="x", status="approved")
        )
    barrier = threading.Barrier(len(transfers) + 1)
    outcomes: list[object] = []
    lock = threading.Lock()

    def run(step) -> None:
        try:
            barrier.wait()
            step()
            result: object = "ok"
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            result = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    steps = [
        lambda t=t: services.transfer_carry_out(actor=world.operator, transfer=t, bed=target) for t in transfers
    ] + [lambda: services.bed_assign(actor=world.operator, bed=target, student=newcomer)]
    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1, outcomes
    assert all(isinstance(o, ValidationError) for o in outcomes if o != "ok"), outcomes
    assert BedAssignment.objects.filter(bed=target, end_date__isnull=True).count() == 1
    # every mover who did not get the bed still holds their old one
    for student in movers:
        assert BedAssignment.objects.filter(student=student, end_date__isnull=True).count() == 1
