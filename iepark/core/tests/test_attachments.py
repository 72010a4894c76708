"""Attachments: checked by content (not name), images cleaned, all or nothing, audited, scoped by the parent."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from iepark.core import attachments
from iepark.core.models import Attachment, AuditEvent, Organisation
from iepark.testing import ApiAccessSuite

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def image_bytes(fmt: str = "JPEG", size=(40, 20), exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x0112] = 6  # orientation: rotate 90° to display upright
        data[0x8825] = {1: "N", 2: (44.0, 30.0, 0.0)}  # a GPS location
        image.save(out, fmt, exif=data)
    else:
        image.save(out, fmt)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def attachable():
    """Organisations accept attachments for the length of a test (no product model needs them yet)."""
    attachments.register_attachable(Organisation)
    yield
    attachments._attachable.remove(Organisation)


def test_photo_is_rotated_upright_and_loses_its_metadata():
    result = attachments.prepare_upload(upload("IMG_0001.JPG", image_bytes(exif=True)))
    assert (result.kind, result.mime) == ("image", "image/jpeg")
    with Image.open(io.BytesIO(result.content)) as image:
        assert image.size == (20, 40)  # turned by the orientation tag
        assert not image.getexif()  # no location, no orientation left


@pytest.mark.parametrize(("fmt", "mime"), [("PNG", "image/png"), ("WEBP", "image/webp")])
def test_png_and_webp_are_accepted(fmt, mime):
    assert attachments.prepare_upload(upload("x.bin", image_bytes(fmt))).mime == mime


def test_large_photo_is_scaled_down():
    result = attachments.prepare_upload(upload("big.png", image_bytes("PNG", size=(4000, 1000))))
    with Image.open(io.BytesIO(result.content)) as image:
        assert max(image.size) == attachments.IMAGE_MAX_SIDE


def test_pdf_is_accepted_as_is():
    result = attachments.prepare_upload(upload("plan.pdf", PDF))
    assert (result.kind, result.content) == ("pdf", PDF)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("photo.jpg", b"MZ\x90\x00 a windows program", "upload_type"),
        ("notes.pdf", b"just some text", "upload_type"),
        ("broken.jpg", image_bytes()[:60], "upload_bad_image"),
        ("cut.pdf", PDF[:-7], "upload_bad_pdf"),
        (
            "macro.pdf",
            PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>"),
            "upload_active_pdf",
        ),
        (
            "escaped.pdf",
            PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/J#61vaScript/J#53(x)>>"),
            "upload_active_pdf",
        ),
        (
            "packed.pdf",
            PDF.replace(
                b"trailer",
                b"2 0 obj<</Filter/FlateDecode>>stream\n"
                + zlib.compress(b"<</S/JavaScript/JS(app.alert(1))>>")
                + b"\nendstream endobj\ntrailer",
            ),
            "upload_active_pdf",
        ),
        (
            "bomb.pdf",
            PDF.replace(
                b"trailer", b"3 0 obj<<>>stream\n" + zlib.compress(b"0" * (40 * 1024 * 1024)) + b"\nendstream\ntrailer"
            ),
            "upload_bad_pdf",
        ),
        ("empty.png", b"", "upload_empty"),
    ],
)
def test_bad_files_are_refused_by_content_with_their_name(name, content, code):
    with pytest.raises(ValidationError) as exc:
        attachments.prepare_upload(upload(name, content))
    assert exc.value.code == code
    assert name in exc.value.messages[0]


def test_image_that_claims_to_be_another_format_is_refused():
    png = image_bytes("PNG")
    with pytest.raises(ValidationError) as exc:
        attachments.prepare_upload(upload("x.jpg", b"\xff\xd8\xff" + png[3:]))
    assert exc.value.code == "upload_bad_image"


def test_too_large_file_is_refused(settings):
    settings.IEPARK_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as exc:
        attachments.prepare_upload(upload("scan.pdf", PDF + b"0" * 200))
    assert exc.value.code == "upload_too_large"
    assert "100" in exc.value.messages[0]


def test_too_many_files_at_once_are_refused(settings):
    settings.IEPARK_UPLOAD_MAX_FILES = 2
    with pytest.raises(ValidationError) as exc:
        attachments.prepare_uploads([upload(f"{i}.pdf", PDF) for i in range(3)])
    assert exc.value.error_list[0].code == "upload_too_many"


def test_attach_is_all_or_nothing(world, attachable):
    media = Path(settings.MEDIA_ROOT)
    before = set(media.rglob("*")) if media.exists() else set()
    with pytest.raises(ValidationError) as exc:
        attachments.attach_files(
            actor=world.park_admin,
            parent=world.college_a,
            files=[upload("ok.pdf", PDF), upload("virus.jpg", b"MZ not an image")],
        )
    assert [e.code for e in exc.value.error_list] == ["upload_type"]
    assert not Attachment.objects.exists()
    assert (set(media.rglob("*")) if media.exists() else set()) == before


def test_attach_stores_under_a_random_name_and_audits(world, attachable):
    [row] = attachments.attach_files(
        actor=world.park_admin, parent=world.college_a, files=[upload("../../etc/合同.pdf", PDF)], caption="signed"
    )
    assert row.name == "合同.pdf"
    assert "合同" not in row.file.name and row.file.name.endswith(".pdf")
    assert row.file.read() == PDF
    event = AuditEvent.objects.get(object_type="core.attachment", object_id=str(row.pk))
    assert event.park_id == world.park.pk
    assert event.organisation_id == world.college_a.pk


def test_unregistered_parent_is_a_programming_error(world):
    with pytest.raises(LookupError):
        attachments.attach_files(actor=world.park_admin, parent=world.college_a, files=[upload("a.pdf", PDF)])


def test_download_follows_the_parent_policy(world, attachable, browser_client):
    [row] = attachments.attach_files(
        actor=world.park_admin, parent=world.college_a, files=[upload("a.png", image_bytes("PNG"))]
    )
    url = reverse("attachment_download", args=[row.pk])
    response = browser_client(world.users["student_a"]).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    for name in ("outsider", "other_admin"):
        assert browser_client(world.users[name]).get(url).status_code == 404


def test_delete_needs_change_on_the_parent_or_being_the_uploader(world, attachable, browser_client):
    [row] = attachments.attach_files(actor=world.park_admin, parent=world.college_a, files=[upload("a.pdf", PDF)])
    url = reverse("attachment_delete", args=[row.pk])
    assert browser_client(world.users["student_a"]).post(url).status_code == 403
    assert browser_client(world.users["outsider"]).post(url).status_code == 404
    response = browser_client(world.users["college_a_admin"]).post(url)
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert AuditEvent.objects.filter(object_type="core.attachment", action="delete").count() == 1


def test_uploader_without_change_rights_cannot_delete_their_file(world, attachable):
    """The parent's CHANGE scope decides: evidence stays once the uploader may no longer change the parent."""
    student = world.users["student_a"]
    [row] = attachments.attach_files(actor=student, parent=world.college_a, files=[upload("a.pdf", PDF)])
    with pytest.raises(PermissionDenied):
        attachments.attachment_delete(actor=student, attachment=row)
    attachments.attachment_delete(actor=world.users["college_a_admin"], attachment=row)
    assert not Attachment.objects.exists()


def test_deleting_a_parent_deletes_its_files(world, attachable, django_capture_on_commit_callbacks):
    [row] = attachments.attach_files(actor=world.park_admin, parent=world.college_a, files=[upload("a.pdf", PDF)])
    storage, name = row.file.storage, row.file.name
    with django_capture_on_commit_callbacks(execute=True):
        attachments.attachments_delete_all(actor=world.park_admin, parent=world.college_a)
    assert not Attachment.objects.exists() and not storage.exists(name)


def test_api_lists_downloads_and_deletes_within_scope(world, attachable, api):
    [row] = attachments.attach_files(actor=world.park_admin, parent=world.college_a, files=[upload("a.pdf", PDF)])
    listing = api(world.users["student_a"]).get("/api/v1/attachments/", {"parent_type": "core.organisation"})
    assert [r["name"] for r in listing.json()["results"]] == ["a.pdf"]
    assert api(world.users["outsider"]).get("/api/v1/attachments/").json()["results"] == []
    download = api(world.users["student_a"]).get(f"/api/v1/attachments/{row.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert api(world.users["other_admin"]).get(f"/api/v1/attachments/{row.pk}/download/").status_code == 404
    assert api(world.users["student_a"]).delete(f"/api/v1/attachments/{row.pk}/").status_code == 403
    assert api(world.users["park_admin"]).delete(f"/api/v1/attachments/{row.pk}/").status_code == 204
    assert not Attachment.objects.exists()


def test_form_field_reports_each_bad_file():
    field = attachments.AttachmentsField(required=False)
    assert field.clean([]) == []
    with pytest.raises(ValidationError) as exc:
        field.clean([upload("a.pdf", PDF), upload("b.exe", b"MZ"), upload("c.gif", b"GIF89a")])
    assert len(exc.value.messages) == 2
    assert [u.name for u in field.clean([upload("a.pdf", PDF)])] == ["a.pdf"]


class TestAttachmentAccess(ApiAccessSuite):
    """/api/v1/attachments/: read by whoever sees the parent, deleted by whoever may change it."""

    basename = "attachment"
    readers = ("college_a_admin",)
    readonly = ("student_a", "teacher_a")
    writer = "park_admin"
    outsiders = ("outsider", "other_admin")

    @pytest.fixture(autouse=True)
    def _attachable(self):
        attachments.register_attachable(Organisation)
        yield
        attachments._attachable.remove(Organisation)

    def own(self, world):
        return attachments.attach_files(actor=world.park_admin, parent=world.college_a, files=[upload("a.pdf", PDF)])[0]

    deletable = own

    def make_many(self, world, n, start):
        for i in range(n):
            attachments.attach_files(
                actor=world.park_admin, parent=world.college_a, files=[upload(f"{start + i}.pdf", PDF)]
            )
