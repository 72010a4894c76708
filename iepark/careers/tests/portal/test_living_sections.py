"""The living sections: services (policy, audit, validation) and their management pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from iepark.careers.models import LivingSection
from iepark.careers.portal import services
from iepark.core.models import AuditEvent
from iepark.testing import audit_count

FIELDS = {
    "order": 10,
    "icon": "cup-hot",
    "title": "食堂",
    "title_en": "Canteen",
    "body": "两个食堂。",
    "body_en": "Two.",
}


def _section(world, **extra) -> LivingSection:
    return LivingSection.objects.create(park=world.park, **{**FIELDS, **extra})


# --- services ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["park_admin", "operator"])
def test_park_admin_and_operator_add_a_section_with_audit(world, persona):
    section = services.living_section_create(actor=world.users[persona], park=world.park, **FIELDS)
    assert section.pk and section.park == world.park
    event = AuditEvent.objects.get(object_type="careers.livingsection", action="create", object_id=str(section.pk))
    assert event.actor == world.users[persona] and event.park_id == world.park.pk
    assert event.changes["title_en"] == [None, "Canteen"]


@pytest.mark.parametrize("persona", ["hr_e1", "student_a", "committee", "other_admin", "outsider"])
def test_others_cannot_add_a_section(world, persona):
    with pytest.raises(PermissionDenied):
        services.living_section_create(actor=world.users[persona], park=world.park, **FIELDS)
    assert not LivingSection.objects.exists() and audit_count(LivingSection) == 0


def test_a_bad_icon_is_refused_naming_the_field_and_nothing_is_written(world):
    with pytest.raises(ValidationError) as excinfo:
        services.living_section_create(actor=world.park_admin, park=world.park, **{**FIELDS, "icon": "<b>x</b>"})
    assert "icon" in excinfo.value.message_dict
    assert not LivingSection.objects.exists() and audit_count(LivingSection) == 0


def test_a_section_needs_its_chinese_title_and_text(world):
    with pytest.raises(ValidationError) as excinfo:
        services.living_section_create(actor=world.park_admin, park=world.park, **{**FIELDS, "title": "  ", "body": ""})
    assert {"title", "body"} <= set(excinfo.value.message_dict)
    assert not LivingSection.objects.exists()


def test_texts_are_trimmed_and_an_empty_icon_becomes_the_default(world):
    section = services.living_section_create(
        actor=world.operator, park=world.park, **{**FIELDS, "title": "  食堂 ", "icon": ""}
    )
    assert section.title == "食堂" and section.icon == "house"


def test_update_records_the_change_and_keeps_the_park(world):
    section = _section(world)
    services.living_section_update(
        actor=world.operator, section=section, data={"title_en": "Canteens", "park": world.other_park}
    )
    section.refresh_from_db()
    assert section.title_en == "Canteens" and section.park == world.park
    event = AuditEvent.objects.get(object_type="careers.livingsection", action="update")
    assert event.changes == {"title_en": ["Canteen", "Canteens"]}


@pytest.mark.parametrize("persona", ["student_a", "hr_e1", "other_admin"])
def test_others_cannot_change_or_delete_a_section(world, persona):
    section = _section(world)
    with pytest.raises(PermissionDenied):
        services.living_section_update(actor=world.users[persona], section=section, data={"title_en": "X"})
    with pytest.raises(PermissionDenied):
        services.living_section_delete(actor=world.users[persona], section=section)
    section.refresh_from_db()
    assert section.title_en == "Canteen" and audit_count(LivingSection) == 0


def test_delete_is_audited(world):
    section = _section(world)
    services.living_section_delete(actor=world.park_admin, section=section)
    assert not LivingSection.objects.exists()
    assert audit_count(LivingSection, "delete", section.pk) == 1


# --- management pages ----------------------------------------------------------------------------------


def test_park_admin_creates_edits_and_deletes_through_the_pages(world, browser_client):
    client = browser_client(world.park_admin)
    response = client.post(reverse("livingsection_create"), {**FIELDS, "park": world.park.pk})
    section = LivingSection.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("livingsection_detail", args=[section.pk])
    response = client.post(reverse("livingsection_edit", args=[section.pk]), {**FIELDS, "title_en": "Canteens"})
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.title_en == "Canteens"
    assert client.post(reverse("livingsection_delete", args=[section.pk])).status_code == 302
    assert not LivingSection.objects.exists()
    assert audit_count(LivingSection) == 3


def test_a_bad_form_shows_the_services_error_and_writes_nothing(world, browser_client):
    client = browser_client(world.operator)
    response = client.post(
        reverse("livingsection_create"),
        {**FIELDS, "icon": "Not an icon", "park": world.park.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Bootstrap icon name" in response.content.decode()
    assert not LivingSection.objects.exists()


def test_the_create_page_offers_only_the_users_own_park(world, browser_client):
    response = browser_client(world.operator).get(reverse("livingsection_create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["park"].queryset) == [world.park]


def test_readers_without_the_role_get_no_add_page(world, browser_client):
    assert browser_client(world.users["student_a"]).get(reverse("livingsection_create")).status_code == 403
    assert browser_client(world.hr_e1).post(reverse("livingsection_create"), {**FIELDS}).status_code == 403
    assert not LivingSection.objects.exists()


def test_the_detail_page_links_to_the_public_page(world, browser_client):
    section = _section(world)
    response = browser_client(world.operator).get(reverse("livingsection_detail", args=[section.pk]))
    assert reverse("portal_living", args=[world.park.code]) in response.content.decode()


def test_the_menu_item_shows_for_park_admins_and_operator_staff_only(world, browser_client):
    url = reverse("livingsection_list")
    for persona in ("park_admin", "operator"):
        assert f'href="{url}"' in browser_client(world.users[persona]).get(reverse("home")).content.decode(), persona
    for persona in ("student_a", "hr_e1", "committee"):
        assert f'href="{url}"' not in browser_client(world.users[persona]).get(reverse("home")).content.decode()
