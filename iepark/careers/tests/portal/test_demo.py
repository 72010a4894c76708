"""The portal's demo data: the living sections of the demo park, through the service, in both languages."""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model
from django.utils import translation

from iepark.careers.models import LivingSection
from iepark.careers.portal import demo
from iepark.careers.portal.services import ICON_NAME
from iepark.testing import audit_count


def _build(world) -> list[str]:
    said: list[str] = []
    admin = get_user_model().objects.create_superuser("demo-admin", password="x")
    demo.build(world.park, actor=admin, rng=random.Random("42-portal"), say=said.append)
    return said


def test_demo_writes_bilingual_sections_through_the_service(world):
    said = _build(world)
    sections = list(LivingSection.objects.filter(park=world.park))
    assert len(sections) == len(demo.SECTIONS) >= 8 and said
    assert audit_count(LivingSection, "create") == len(sections)
    assert all(s.title and s.title_en and s.body and s.body_en and ICON_NAME.match(s.icon) for s in sections)
    assert [s.order for s in sections] == sorted(s.order for s in sections)
    with translation.override("en"):
        titles = {s.display_title for s in sections}
    assert {"Student residences", "Canteens", "Health station", "Getting to work", "Barber and laundry"} <= titles
    assert not LivingSection.objects.filter(park=world.other_park).exists()


def test_demo_runs_once_per_park(world):
    _build(world)
    count = LivingSection.objects.count()
    admin = get_user_model().objects.get(username="demo-admin")
    demo.build(world.park, actor=admin, rng=random.Random(0), say=lambda m: None)
    assert LivingSection.objects.count() == count


def test_demo_sections_show_on_the_portal(world, client):
    _build(world)
    page = client.get(f"/careers/{world.park.code}/living/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Student residences" in page and "shuttle buses" in page and "学生公寓" not in page
