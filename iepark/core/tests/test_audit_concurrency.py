"""Concurrent writers on PostgreSQL still produce one verifiable audit chain."""

import threading

import pytest
from django.db import connection, connections

from iepark.core import audit, services
from iepark.core.models import AuditEvent
from iepark.testing import build_world


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_service_writes_chain_in_order():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises writers itself")
    world = build_world()
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(10):
                services.major_create(
                    actor=world.park_admin,
                    park=world.park,
                    code=f"C{n}-{i}",
                    name=f"专业{n}-{i}",
                    name_en=f"Major {n}-{i}",
                )
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEvent.objects.filter(object_type="core.major", action="create").count() == 40
    assert audit.verify_chain() is None
