"""The Django admin reads through the policy and writes nothing."""

from django.contrib.auth import get_user_model


def test_admin_is_read_only_and_scoped(world, client):
    staff = world.college_a_admin
    staff.is_staff = True
    staff.save()
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/django-admin/core/student/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "A001" in body and "B001" not in body
    assert client.get(f"/django-admin/core/student/{world.b_student.pk}/change/").status_code in (302, 404)
    assert client.get("/django-admin/core/student/add/").status_code == 403


def test_superuser_sees_everything_but_still_cannot_write(world, client):
    root = get_user_model().objects.create_superuser("root", "root@example.cn", "x")
    client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    body = client.get("/django-admin/core/student/").content.decode()
    assert "A001" in body and "B001" in body
    assert client.get("/django-admin/core/organisation/add/").status_code == 403
