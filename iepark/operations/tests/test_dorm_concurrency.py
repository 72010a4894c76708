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
