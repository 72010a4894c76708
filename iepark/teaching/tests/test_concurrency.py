"""Concurrent enrolments racing for an order class's last seats on PostgreSQL: never more than its seats."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from iepark.teaching import services
from iepark.teaching.models import Enrolment
from iepark.testing import build_world

from .factories import make_order_class, make_students


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_never_exceed_the_seats():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent transactions are a PostgreSQL matter; SQLite serialises writers")
    world = build_world()
    cohort = make_order_class(world, seats=2)
    students = make_students(world, 8)
    barrier = threading.Barrier(len(students))
    outcomes: list[object] = []
    lock = threading.Lock()

    def join(student) -> None:
        try:
            barrier.wait()
            services.enrol(actor=world.college_a_admin, cohort=cohort, student=student)
            result: object = "ok"
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            result = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=join, args=(s,)) for s in students]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 2, outcomes
    refusals = [o for o in outcomes if o != "ok"]
    assert all(isinstance(o, ValidationError) and "cohort" in o.message_dict for o in refusals), refusals
    assert Enrolment.objects.filter(cohort=cohort, end_date__isnull=True).count() == 2
