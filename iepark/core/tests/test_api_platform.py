"""Platform-level API behaviour: tokens, throttling, password hashing, schema, health, masking, coverage."""

from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import override_settings

from iepark.testing import ACCESS_SUITES, PASSWORD


def test_token_is_issued_and_authenticates(world, client):
    response = client.post("/api/v1/auth/token/", {"username": "college_a_admin", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200
    assert me.json()["memberships"][0]["role"] == "college_admin"
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token wrong").status_code == 401


def test_token_refused_for_wrong_password_with_a_message(world, client):
    response = client.post("/api/v1/auth/token/", {"username": "college_a_admin", "password": "nope"})
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_login_is_locked_after_repeated_failures(world, client):
    for _ in range(5):
        client.post("/login/", {"username": "student_a", "password": "guess"})
    response = client.post("/login/", {"username": "student_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_production_settings_hash_passwords_with_argon2():
    import importlib

    import iepark.settings as base

    importlib.reload(base)
    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        from django.contrib.auth.hashers import make_password

        assert make_password("x").startswith("argon2$")


def test_healthz_reports_the_database(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"


def test_healthz_answers_503_when_the_database_is_unreachable(db, client):
    with mock.patch("iepark.core.api.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_openapi_schema_is_valid_and_lists_every_endpoint(db, client):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in ("/api/v1/students/", "/api/v1/organisations/", "/api/v1/audit-events/", "/api/v1/auth/token/"):
        assert path in schema["paths"]


def test_interactive_docs_load_from_our_own_static_files(db, client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/vendor/swagger-ui" in body
    assert "cdn." not in body


def _import_access_suites() -> None:
    """Import every app's access-test modules so their suites register, whatever pytest selected."""
    import importlib
    import pkgutil

    import iepark

    for module in pkgutil.walk_packages(iepark.__path__, "iepark."):
        if ".tests." in module.name and module.name.rsplit(".", 1)[-1].startswith("test_") and "access" in module.name:
            importlib.import_module(module.name)


def test_every_api_endpoint_has_an_access_suite():
    from iepark.urls import router

    _import_access_suites()
    covered = {suite.basename for suite in ACCESS_SUITES}
    registered = {basename for _prefix, _viewset, basename in router.registry}
    assert registered - covered == set()


def test_personal_data_is_masked_for_roles_that_do_not_need_it(world, api):
    national_id = world.persons["student_a"].national_id
    url = f"/api/v1/students/{world.a_student.pk}/"
    assert api(world.park_admin).get(url).json()["national_id"] == national_id
    assert api(world.college_a_admin).get(url).json()["national_id"] == national_id
    assert api(world.users["student_a"]).get(url).json()["national_id"] == national_id
    masked = api(world.users["committee"]).get(url).json()
    assert masked["national_id"] == national_id[:4] + "*" * 10 + national_id[-4:]
    assert masked["phone"].count("*") == 4
    teacher_view = api(world.users["teacher_a"]).get(url).json()
    assert national_id not in str(teacher_view)


def test_cross_party_fk_is_reported_as_not_found(world, api):
    response = api(world.college_a_admin).post(
        "/api/v1/students/",
        {
            "name": "外",
            "college": world.other_college.pk,
            "major": world.major.pk,
            "student_number": "Z1",
            "cohort_year": 2025,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "college" in response.json()


@pytest.mark.parametrize("page_size", [1, 500])
def test_lists_paginate(world, api, page_size):
    data = api(world.park_admin).get("/api/v1/organisations/", {"page_size": page_size}).json()
    assert data["count"] >= 7
    assert len(data["results"]) == min(page_size, data["count"])


def test_enterprise_hr_registers_a_person_into_their_enterprise(world, api):
    from iepark.testing import make_national_id

    client = api(world.hr_e1)
    payload = {"park": world.park.pk, "name": "新员工", "national_id": make_national_id(777)}
    refused = client.post("/api/v1/people/", payload, format="json")
    assert refused.status_code == 400 and "organisation" in refused.json()
    created = client.post(
        "/api/v1/people/", dict(payload, organisation=world.enterprise_1.pk, role="enterprise_mentor"), format="json"
    )
    assert created.status_code == 201, created.content
    assert client.get(f"/api/v1/people/{created.json()['id']}/").status_code == 200
    other = client.post(
        "/api/v1/people/",
        dict(payload, national_id=make_national_id(778), organisation=world.enterprise_2.pk, role="enterprise_mentor"),
        format="json",
    )
    assert other.status_code == 400 and "organisation" in other.json()
    grant = client.post(
        "/api/v1/people/",
        dict(payload, national_id=make_national_id(779), organisation=world.enterprise_1.pk, role="park_admin"),
        format="json",
    )
    assert grant.status_code in (400, 403)


def test_only_an_installation_superuser_creates_parks(world, api):
    from django.contrib.auth import get_user_model

    payload = {"code": "hami", "name": "哈密产教融合园", "name_en": "Hami Park"}
    assert api(world.park_admin).post("/api/v1/parks/", payload, format="json").status_code == 403
    root = get_user_model().objects.create_superuser("root", "root@example.cn", "x")
    response = api(root).post("/api/v1/parks/", payload, format="json")
    assert response.status_code == 201
    # The code is the park's identity: a park administrator may rename the park but not re-code it.
    park_id = response.json()["id"]
    assert (
        api(world.park_admin).patch(f"/api/v1/parks/{world.park.pk}/", {"code": "zz"}, format="json").status_code == 200
    )
    world.park.refresh_from_db()
    assert world.park.code == "p"
    assert park_id != world.park.pk


@pytest.mark.parametrize(
    "query",
    ["people/?organisation=99999999999999999999999", "students/?college=99999999999999999999999"],
)
def test_out_of_range_filter_values_are_bad_requests_not_server_errors(world, api, query):
    response = api(world.park_admin).get(f"/api/v1/{query}")
    assert response.status_code == 400


def test_people_filter_by_organisation_offers_only_visible_organisations(world, api):
    client = api(world.hr_e1)
    own = client.get("/api/v1/people/", {"organisation": world.enterprise_1.pk})
    assert own.status_code == 200 and own.json()["count"] >= 2
    assert client.get("/api/v1/people/", {"organisation": world.college_a.pk}).status_code == 400
