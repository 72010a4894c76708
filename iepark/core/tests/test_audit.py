"""The audit trail: events per service write, masking, append-only, the hash chain and its verifier."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from iepark.core import audit, services
from iepark.core.models import AuditEvent
from iepark.testing import make_national_id


def _student(world, serial=900):
    return services.student_create(
        actor=world.park_admin,
        college=world.college_a,
        major=world.major,
        student_number=f"X{serial}",
        cohort_year=2025,
        person_fields={"name": "审计", "national_id": make_national_id(serial), "phone": "13900001111"},
    )


def test_each_service_write_records_who_what_and_before_after(world):
    student = _student(world)
    person_event = AuditEvent.objects.get(object_type="core.person", object_id=str(student.person.pk), action="create")
    assert person_event.actor == world.park_admin
    assert person_event.changes["name"] == [None, "审计"]
    services.student_update(actor=world.park_admin, student=student, data={"status": "in_park"})
    update = AuditEvent.objects.filter(object_type="core.student", object_id=str(student.pk), action="update").get()
    assert update.changes == {"status": ["enrolled", "in_park"]}
    assert update.organisation_id == world.college_a.pk and update.park_id == world.park.pk


def test_personal_data_stays_masked_in_the_trail(world):
    student = _student(world)
    event = AuditEvent.objects.get(object_type="core.person", object_id=str(student.person.pk), action="create")
    national_id = student.person.national_id
    assert event.changes["national_id"][1] == national_id[:4] + "*" * 10 + national_id[-4:]
    assert event.changes["phone"][1] == "139****1111"
    assert national_id not in str(AuditEvent.objects.values_list("changes", flat=True))


def test_a_failed_service_writes_neither_data_nor_event(world):
    before = AuditEvent.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - the duplicate number is refused either by validation or the database
        services.student_create(
            actor=world.park_admin,
            college=world.college_a,
            major=world.major,
            student_number="A001",  # already student_a's
            cohort_year=2025,
            person_fields={"name": "重复", "national_id": make_national_id(901)},
        )
    assert AuditEvent.objects.count() == before
    assert not world.park.people.filter(name="重复").exists()


def test_events_are_append_only(world):
    event = _student(world).person and AuditEvent.objects.first()
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_chain_verifies_and_reports_the_first_tampered_event(world):
    for i in range(3):
        _student(world, 910 + i)
    assert audit.verify_chain() is None
    call_command("audit_verify")
    events = list(AuditEvent.objects.order_by("id"))
    victim = events[4]
    AuditEvent.objects.filter(pk=victim.pk).update(object_repr="forged")  # bypasses the model, as an attacker would
    broken = audit.verify_chain()
    assert broken is not None and broken.event_id == victim.pk
    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_deleting_an_event_breaks_the_chain_at_the_next_one(world):
    for i in range(3):
        _student(world, 920 + i)
    events = list(AuditEvent.objects.order_by("id"))
    AuditEvent.objects.filter(pk=events[2].pk)._raw_delete(AuditEvent.objects.db)
    broken = audit.verify_chain()
    assert broken is not None and broken.event_id == events[3].pk


def test_deleting_the_last_event_is_detected(world):
    _student(world, 930)
    last = AuditEvent.objects.order_by("-id").first()
    AuditEvent.objects.filter(pk=last.pk)._raw_delete(AuditEvent.objects.db)
    assert audit.verify_chain() is not None


def test_history_of_an_object_lists_its_events_newest_first(world):
    student = _student(world, 940)
    services.student_update(actor=world.college_a_admin, student=student, data={"status": "in_park"})
    history = list(audit.history_for(student))
    assert [e.action for e in history] == ["update", "create"]
    assert history[0].actor == world.college_a_admin


def test_audit_api_filters_by_object_and_actor(world, api):
    student = _student(world, 950)
    services.student_update(actor=world.college_a_admin, student=student, data={"status": "in_park"})
    client = api(world.park_admin)
    rows = client.get("/api/v1/audit-events/", {"object_type": "core.student", "object_id": student.pk}).json()[
        "results"
    ]
    assert {r["action"] for r in rows} == {"create", "update"}
    rows = client.get("/api/v1/audit-events/", {"actor": "college_a_admin"}).json()["results"]
    assert [r["object_id"] for r in rows] == [str(student.pk)]


def test_a_student_registered_with_a_new_person_belongs_to_the_college_in_the_trail(world, api):
    student = _student(world, 960)
    event = AuditEvent.objects.get(object_type="core.person", object_id=str(student.person.pk), action="create")
    assert event.organisation_id == world.college_a.pk
    rows = api(world.college_a_admin).get("/api/v1/audit-events/", {"object_type": "core.person"}).json()["results"]
    assert str(student.person.pk) in {r["object_id"] for r in rows}


def test_bulk_writes_record_the_same_events_and_keep_the_chain(world):
    from django.db import transaction

    from iepark.core.models import Major

    single = audit.audited_create(
        actor=world.park_admin, instance=Major(park=world.park, code="900001", name="单个", name_en="One")
    )
    single_event = AuditEvent.objects.get(object_type="core.major", object_id=str(single.pk))
    majors = [Major(park=world.park, code=f"90010{i}", name=f"批量{i}", name_en=f"Bulk {i}") for i in range(3)]
    with transaction.atomic():
        created = audit.audited_bulk_create(actor=world.park_admin, instances=majors)
    events = list(AuditEvent.objects.filter(object_type="core.major", object_id__in=[str(m.pk) for m in created]))
    assert len(events) == 3
    # The same shape of event as a single audited create: every field, before None.
    assert set(events[0].changes) == set(single_event.changes)
    assert all(pair[0] is None for e in events for pair in e.changes.values())
    with transaction.atomic():
        audit.audited_bulk_update(
            actor=world.park_admin, changes=[(m, {"name_en": "Renamed"}) for m in created] + [(single, {})]
        )
    assert Major.objects.filter(name_en="Renamed").count() == 3
    updates = AuditEvent.objects.filter(object_type="core.major", action="update")
    assert updates.count() == 3 and all(e.changes == {"name_en": [e.changes["name_en"][0], "Renamed"]} for e in updates)
    assert audit.verify_chain() is None


def test_bulk_create_validates_every_row_and_writes_nothing_on_error(world):
    from django.core.exceptions import ValidationError

    from iepark.core.models import Major

    before = AuditEvent.objects.count()
    rows = [Major(park=world.park, code="900201", name="好", name_en="Fine"), Major(park=world.park, code="", name="")]
    with pytest.raises(ValidationError):
        audit.audited_bulk_create(actor=world.park_admin, instances=rows)
    assert not Major.objects.filter(code="900201").exists()
    assert AuditEvent.objects.count() == before
