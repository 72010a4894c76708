"""
Attachments: photos and PDF documents on any object, checked by their content, never by their name.

How an app uses it:

- **Register the parent model** once, in the app's policy module: ``register_attachable(WorkOrder)``.
  Whoever may VIEW the parent sees its attachments; whoever may CHANGE the parent may delete them
  (a parent whose policy stops changes once settled keeps its files).
- **Forms**: ``photos = AttachmentsField(label=..., required=False)`` cleans to a list of checked
  ``Upload`` objects (a bad file is a field error naming the file and what is wrong).
- **Services**: ``attach_files(actor=user, parent=obj, files=uploads_or_uploaded_files, caption="")``
  after the service's own permission check, inside or outside its transaction. All or nothing:
  every file is checked before any is stored; one audit event per attachment.
  ``attachment_delete(actor=user, attachment=att)``.
- **Pages**: ``{% load attachments %}{% attachment_list obj %}`` renders thumbnails and links, with
  delete buttons for those who may delete. Files are served by ``attachment_download``
  (``/attachments/<id>/``), which checks the policy.
- **API**: add ``AttachmentsActionMixin`` (``iepark.core.api.attachments``) to a viewset for
  ``GET``/``POST`` ``…/{id}/attachments/`` (multipart ``files``, ``caption``); override
  ``may_attach(request, obj)`` when someone without CHANGE may attach (a reporter adding a photo).
  ``/api/v1/attachments/`` lists, downloads and deletes.

What is accepted: JPEG, PNG and WebP images and PDF documents, at most
``settings.IEPARK_UPLOAD_MAX_BYTES`` each and ``settings.IEPARK_UPLOAD_MAX_FILES`` at once. The
type is read from the file's first bytes and the whole file is parsed: an image must decode
(and stay under Pillow's decompression-bomb limit), a PDF must have its header and end marker and
no scripts, launch actions or embedded files. Images are re-encoded: turned upright, scaled to at
most ``IMAGE_MAX_SIDE`` pixels, without their metadata (a phone photo's location does not leak).
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps

from . import audit, policy
from .models import Attachment, AttachmentKind
from .policy import NOTHING, Action, Actor, rule

IMAGE_MAX_SIDE = 2560
ACCEPT = "image/jpeg,image/png,image/webp,application/pdf"
_IMAGE_SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "PNG", "image/png"),
)
# PDF names of features that run code or carry other files: refused (after decoding, see ``_pdf_scan_text``).
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|AA|XFA)\b")
_PDF_STREAM = re.compile(rb"stream\r?\n")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# At most this much inflated content is scanned per file (a "zip bomb" is refused, not inflated).
_PDF_INFLATE_LIMIT = 32 * 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "IEPARK_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def max_files() -> int:
    return int(getattr(settings, "IEPARK_UPLOAD_MAX_FILES", 10))


@dataclass(frozen=True)
class Upload:
    """A checked file, ready to store: its (cleaned) name, kind, content type and bytes."""

    name: str
    kind: str
    mime: str
    content: bytes


def _clean_name(name: str) -> str:
    """Keep the file's own name for display, without directories or control characters."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C").strip()
    return (name or "file")[:200]


def _error(message: str, code: str, **params: Any) -> ValidationError:
    return ValidationError(message % params, code=code)


def _image_type(head: bytes) -> tuple[str, str] | None:
    for signature, fmt, mime in _IMAGE_SIGNATURES:
        if head.startswith(signature):
            return fmt, mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP", "image/webp"
    return None


def _reencode(data: bytes, fmt: str, name: str) -> bytes:
    """Decode the whole image and write it again upright, bounded in size, without metadata."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format != fmt:
                    raise ValueError(probe.format)
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                image.thumbnail((IMAGE_MAX_SIDE, IMAGE_MAX_SIDE))
                out = io.BytesIO()
                if fmt == "JPEG":
                    image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
                elif fmt == "PNG":
                    image.save(out, "PNG", optimize=True)
                else:
                    image.save(out, "WEBP", quality=85)
                return out.getvalue()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _error(_("“%(name)s” has too many pixels to be a photo."), "upload_too_many_pixels", name=name) from None
    except (OSError, SyntaxError, ValueError, Image.UnidentifiedImageError):
        raise _error(
            _("“%(name)s” is damaged or not really an image: it could not be read."), "upload_bad_image", name=name
        ) from None


def _pdf_scan_text(data: bytes, name: str) -> bytes:
    """The PDF's bytes with its compressed streams inflated and ``#xx`` escapes in names decoded."""
    parts, budget, position = [data], _PDF_INFLATE_LIMIT, 0
    while (match := _PDF_STREAM.search(data, position)) is not None:
        end = data.find(b"endstream", match.end())
        if end < 0:
            break
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(data[match.end() : end], budget + 1)
        except zlib.error:
            inflated = b""  # not Flate-compressed (or not compressed): scanned as it is
        if len(inflated) > budget:
            raise _error(_("“%(name)s” expands to too much content to check."), "upload_bad_pdf", name=name)
        budget -= len(inflated)
        parts.append(inflated)
        position = end + len(b"endstream")
    return _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), b"\n".join(parts))


def _check_pdf(data: bytes, name: str) -> None:
    if b"%%EOF" not in data[-2048:]:
        raise _error(_("“%(name)s” is an incomplete or damaged PDF."), "upload_bad_pdf", name=name)
    if _PDF_ACTIVE.search(_pdf_scan_text(data, name)):
        raise _error(
            _("“%(name)s” contains scripts or embedded files; please upload a plain PDF."),
            "upload_active_pdf",
            name=name,
        )


def prepare_upload(file: Any) -> Upload:
    """Check one uploaded file by its content and size; return it ready to store (raise ValidationError)."""
    if isinstance(file, Upload):
        return file
    name = _clean_name(getattr(file, "name", "") or "")
    size = getattr(file, "size", None)
    if size is None or size == 0:
        raise _error(_("“%(name)s” is empty."), "upload_empty", name=name)
    if size > max_bytes():
        raise _error(
            _("“%(name)s” is %(size)s; a file may be at most %(max)s."),
            "upload_too_large",
            name=name,
            size=filesizeformat(size),
            max=filesizeformat(max_bytes()),
        )
    file.seek(0)
    data = file.read()
    image = _image_type(data[:16])
    if image is not None:
        fmt, mime = image
        return Upload(name=name, kind=AttachmentKind.IMAGE, mime=mime, content=_reencode(data, fmt, name))
    if data.startswith(b"%PDF-"):
        _check_pdf(data, name)
        return Upload(name=name, kind=AttachmentKind.PDF, mime="application/pdf", content=data)
    raise _error(_("“%(name)s” is neither a photo (JPEG, PNG or WebP) nor a PDF document."), "upload_type", name=name)


def prepare_uploads(files: Iterable[Any]) -> list[Upload]:
    """Check every file (all before any is stored); raise one ValidationError listing each bad file."""
    files = [f for f in files if f]
    if len(files) > max_files():
        raise _error(_("At most %(max)s files can be uploaded at once."), "upload_too_many", max=max_files())
    uploads, errors = [], []
    for file in files:
        try:
            uploads.append(prepare_upload(file))
        except ValidationError as exc:
            errors.extend(exc.error_list)
    if errors:
        raise ValidationError(errors)
    return uploads


# --- services ------------------------------------------------------------------------------------


def attach_files(*, actor: Any, parent: models.Model, files: Iterable[Any], caption: str = "") -> list[Attachment]:
    """
    Store ``files`` as attachments of ``parent`` (checked first, all or nothing; audited).

    The caller has already decided that ``actor`` may attach to ``parent``.
    """
    if type(parent) not in _attachable:
        raise LookupError(f"{type(parent).__name__} is not registered with register_attachable().")
    uploads = prepare_uploads(files)
    content_type = ContentType.objects.get_for_model(parent)
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            for upload in uploads:
                attachment = Attachment(
                    content_type=content_type,
                    object_id=parent.pk,
                    name=upload.name,
                    kind=upload.kind,
                    mime=upload.mime,
                    size=len(upload.content),
                    caption=(caption or "")[:200],
                    uploaded_by=actor if getattr(actor, "pk", None) else None,
                )
                attachment.file.save(upload.name, ContentFile(upload.content), save=False)
                stored.append(attachment)
                audit.audited_create(actor=actor, instance=attachment)
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return stored


def attachment_delete(*, actor: Any, attachment: Attachment) -> None:
    """Delete an attachment (audited); its file goes once the transaction commits."""
    policy.require(actor, Action.DELETE, attachment)
    _delete(actor, attachment)


def _delete(actor: Any, attachment: Attachment) -> None:
    storage, name = attachment.file.storage, attachment.file.name
    with transaction.atomic():
        audit.audited_delete(actor=actor, instance=attachment)
        transaction.on_commit(lambda: storage.delete(name))


def attachments_delete_all(*, actor: Any, parent: models.Model) -> None:
    """Delete every attachment of ``parent`` (audited), inside the service that deletes the parent."""
    for attachment in attachments_of(parent):
        _delete(actor, attachment)


def attachments_of(parent: models.Model) -> models.QuerySet:
    """All attachments of ``parent`` (unscoped: callers already hold the parent)."""
    return Attachment.objects.filter(content_type=ContentType.objects.get_for_model(parent), object_id=parent.pk)


def attachment_url(attachment: Attachment) -> str:
    return reverse("attachment_download", args=[attachment.pk])


# --- the policy ----------------------------------------------------------------------------------

_attachable: list[type[models.Model]] = []


def register_attachable(model: type[models.Model]) -> None:
    """Allow attachments on ``model``; their visibility follows the parent's policy."""
    if model not in _attachable:
        _attachable.append(model)


@rule(Attachment)
def attachment_scope(actor: Actor, action: Action) -> Q:
    q = NOTHING
    for model in _attachable:
        content_type_id = ContentType.objects.get_for_model(model).pk
        # Deleting needs CHANGE on the parent, and only while it lasts: a settled parent (a decided objection, a
        # closed issue, a confirmed order) keeps its evidence, its uploader's included.
        parent_action = Action.VIEW if action == Action.VIEW else Action.CHANGE
        parents = policy.restrict(model._default_manager.all(), actor.user, parent_action).values("pk")
        part = Q(content_type_id=content_type_id, object_id__in=parents)
        q = part if q is NOTHING else q | part
    return q


# --- forms ---------------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """A form field for several photos or PDFs; cleans to a list of checked ``Upload`` objects."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("help_text", gettext_lazy("Photos (JPEG, PNG, WebP) or PDF documents."))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Upload]:
        files = list(data) if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        return prepare_uploads(super(AttachmentsField, self).clean(f, initial) for f in files)
