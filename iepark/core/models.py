"""Parks, their parties (organisations), people, memberships, majors, students, teachers, audit and jobs."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction, Gender, Industry, JobStatus, OrganisationKind, Role, StudentStatus
from .validators import validate_national_id, validate_phone, validate_uscc


class CachedRelationCleanMixin:
    """
    Skip re-reading related rows in ``full_clean`` when a saved instance was assigned.

    Django's field validation queries every foreign key again; when the service
    passed the related object itself, that row is known to exist (and the
    database's foreign keys still guard it). Uniqueness and constraint checks
    are unaffected.
    """

    def clean_fields(self, exclude=None):
        exclude = set(exclude or ())
        for f in self._meta.concrete_fields:
            if f.many_to_one and f.is_cached(self):
                related = f.get_cached_value(self)
                if related is not None and not related._state.adding and related.pk == getattr(self, f.attname):
                    exclude.add(f.name)
        super().clean_fields(exclude=exclude)


class BilingualNameMixin:
    """Give models with ``name`` and ``name_en`` a ``display_name`` in the active language."""

    name: str
    name_en: str

    @property
    def display_name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    def __str__(self) -> str:
        return self.display_name


class Park(BilingualNameMixin, models.Model):
    """An industry-education integration park; one installation may host several."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    region = models.CharField(_("region"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("park")
        verbose_name_plural = _("parks")


class Organisation(CachedRelationCleanMixin, BilingualNameMixin, models.Model):
    """A party of the park: committee, industrial college, cooperative college, enterprise, operator or evaluator."""

    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("park"))
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    name = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, null=True, unique=True, validators=[validate_uscc]
    )
    industry = models.CharField(_("industry"), max_length=32, choices=Industry.choices, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["park", "kind", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["park", "name"], name="organisation_unique_name_per_park"),
            models.CheckConstraint(
                condition=Q(kind=OrganisationKind.ENTERPRISE, industry__gt="")
                | (~Q(kind=OrganisationKind.ENTERPRISE) & Q(industry="")),
                name="organisation_industry_only_for_enterprises",
                violation_error_message=_("An enterprise needs an industry; other kinds of organisation have none."),
            ),
        ]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.uscc == "":
            self.uscc = None
        if self.uscc:
            self.uscc = self.uscc.upper()
        errors = {}
        if self.kind == OrganisationKind.ENTERPRISE:
            if not self.industry:
                errors["industry"] = _("An enterprise needs an industry.")
            if not self.uscc:
                errors["uscc"] = _("An enterprise needs its unified social credit code.")
        elif self.industry:
            errors["industry"] = _("Only enterprises have an industry.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_college(self) -> bool:
        return self.kind in (OrganisationKind.INDUSTRIAL_COLLEGE, OrganisationKind.COOPERATIVE_COLLEGE)


class Person(CachedRelationCleanMixin, models.Model):
    """A human being in a park; may have a login (``user``) and hold several memberships."""

    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="people", verbose_name=_("park"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("login account"),
    )
    name = models.CharField(_("full name"), max_length=100)
    name_en = models.CharField(_("full name (pinyin or English)"), max_length=100, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    # Stored once, uppercase; shown masked to every role that does not need it.
    national_id = models.CharField(
        _("national ID number"), max_length=18, null=True, blank=True, unique=True, validators=[validate_national_id]
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    def audit_owner(self) -> tuple[int | None, int | None]:
        """Return (park, organisation) for the audit trail: the home college, else the first organisation."""
        # order_by() drops the default ordering's joins: this runs on every audited write of a person.
        student = Student.objects.filter(person_id=self.pk).order_by().values_list("college_id", flat=True)[:1]
        if student:
            return self.park_id, student[0]
        org = Membership.objects.filter(person_id=self.pk).order_by("pk").values_list("organisation_id", flat=True)[:1]
        return self.park_id, (org[0] if org else None)

    def clean(self) -> None:
        from .validators import national_id_birth_date

        if self.national_id == "":
            self.national_id = None
        if self.national_id:
            self.national_id = self.national_id.upper()
            with contextlib.suppress(ValueError):  # the field validator reports a bad date
                self.birth_date = national_id_birth_date(self.national_id)
            gender_digit = self.national_id[16:17]
            if gender_digit.isdigit() and not self.gender:
                self.gender = Gender.MALE if int(gender_digit) % 2 else Gender.FEMALE


class Membership(CachedRelationCleanMixin, models.Model):
    """A person's role in an organisation for a period; the basis of all access."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["organisation", "role", "person"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="membership_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.UniqueConstraint(
                fields=["person", "organisation", "role", "start_date"], name="membership_unique_role_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} · {self.organisation}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from .choices import ROLE_ORGANISATION_KINDS

        if self.organisation_id and self.role:
            allowed = ROLE_ORGANISATION_KINDS.get(self.role, frozenset())
            if self.organisation.kind not in allowed:
                raise ValidationError(
                    {"role": _("This role cannot be held in an organisation of this kind.")}, code="role_kind"
                )
        if self.person_id and self.organisation_id and self.person.park_id != self.organisation.park_id:
            raise ValidationError(
                {"organisation": _("The person and the organisation belong to different parks.")}, code="park_mismatch"
            )


class Major(CachedRelationCleanMixin, BilingualNameMixin, models.Model):
    """A field of study (专业) with its catalogue code."""

    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="majors", verbose_name=_("park"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("major")
        verbose_name_plural = _("majors")
        constraints = [models.UniqueConstraint(fields=["park", "code"], name="major_unique_code_per_park")]


class Student(CachedRelationCleanMixin, models.Model):
    """A student sent to the park by a college; one register across all N colleges."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="student", verbose_name=_("person"))
    college = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="students", verbose_name=_("home college")
    )
    major = models.ForeignKey(Major, on_delete=models.PROTECT, related_name="students", verbose_name=_("major"))
    student_number = models.CharField(_("student number"), max_length=32)
    cohort_year = models.PositiveSmallIntegerField(_("cohort year"))
    status = models.CharField(_("status"), max_length=20, choices=StudentStatus.choices, default=StudentStatus.ENROLLED)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["college", "student_number"]
        verbose_name = _("student")
        verbose_name_plural = _("students")
        constraints = [
            models.UniqueConstraint(fields=["college", "student_number"], name="student_unique_number_per_college"),
            models.CheckConstraint(
                condition=Q(cohort_year__gte=1990, cohort_year__lte=2100),
                name="student_cohort_year_range",
                violation_error_message=_("The cohort year must be between 1990 and 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.student_number})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.college_id and not self.college.is_college:
            errors["college"] = _("A student's home college must be a college.")
        if self.college_id and self.major_id and self.college.park_id != self.major.park_id:
            errors["major"] = _("The major belongs to another park.")
        if self.college_id and self.person_id and self.college.park_id != self.person.park_id:
            errors["college"] = _("The person and the college belong to different parks.")
        if errors:
            raise ValidationError(errors)


class Teacher(CachedRelationCleanMixin, models.Model):
    """A teacher employed by a college (cooperative or the industrial college)."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="teacher", verbose_name=_("person"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="teachers", verbose_name=_("college")
    )
    staff_number = models.CharField(_("staff number"), max_length=32)
    professional_title = models.CharField(_("professional title"), max_length=100, blank=True)
    major = models.ForeignKey(
        Major, on_delete=models.PROTECT, null=True, blank=True, related_name="teachers", verbose_name=_("major")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["organisation", "staff_number"]
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "staff_number"], name="teacher_unique_number_per_college")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.staff_number})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.organisation_id and not self.organisation.is_college:
            raise ValidationError({"organisation": _("A teacher's organisation must be a college.")})
        if self.organisation_id and self.person_id and self.organisation.park_id != self.person.park_id:
            raise ValidationError({"organisation": _("The person and the college belong to different parks.")})


class AuditEvent(models.Model):
    """
    One append-only record of a change made through a service.

    Events form a hash chain: ``hash`` covers the event's content and the
    previous event's hash, so editing or deleting any stored event breaks the
    chain from that point (``manage.py audit_verify`` finds the first break).
    """

    park = models.ForeignKey(Park, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The organisation that owns the changed object, kept as a plain id so the
    # trail survives the organisation's deletion.
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    timestamp = models.DateTimeField(_("time"), db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=100, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, db_index=True)
    object_repr = models.CharField(_("object"), max_length=300)
    changes = models.JSONField(_("changes"), default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit events are append-only.")


class AuditChainHead(models.Model):
    """The single row locked while appending, so concurrent writers chain events in order."""

    last_hash = models.CharField(max_length=64)
    last_event_id = models.BigIntegerField(null=True)

    def __str__(self) -> str:
        return self.last_hash


class Job(models.Model):
    """A unit of background work (import, solver run, assessment) with visible progress."""

    kind = models.CharField(_("kind"), max_length=50)
    park = models.ForeignKey(Park, on_delete=models.CASCADE, null=True, blank=True, related_name="jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="iepark_jobs"
    )
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    params = models.JSONField(default=dict, blank=True)
    progress = models.PositiveIntegerField(_("progress"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    result = models.JSONField(default=dict, blank=True)
    cancel_requested = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)

    @property
    def kind_label(self):
        from .tasks import kind_label

        return kind_label(self.kind)

    @property
    def percent(self) -> int:
        return int(100 * self.progress / self.total) if self.total else (100 if self.is_finished else 0)


class ImportUpload(models.Model):
    """A spreadsheet uploaded for bulk import, kept until its job has run."""

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="upload")
    filename = models.CharField(max_length=255)
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.filename


def _attachment_path(instance: Attachment, filename: str) -> str:
    """Store under a random name (the original name is kept in ``name``): nothing guessable, no clashes."""
    import uuid

    return f"attachments/{instance.content_type.app_label}/{uuid.uuid4().hex}{instance.extension}"


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("Image")
    PDF = "pdf", _("PDF document")


class Attachment(models.Model):
    """
    A photo or PDF attached to any object (a work order, an inspection finding, a policy document…).

    Written only by ``iepark.core.attachments``, which checks the content (not the name) first.
    Whoever may see the parent object sees its attachments (see the policy rule there).
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    mime = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="core_attachment_parent")]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name

    @property
    def extension(self) -> str:
        return {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/pdf": ".pdf"}.get(
            self.mime, ""
        )

    @property
    def parent(self) -> models.Model | None:
        model = self.content_type.model_class()
        return model._default_manager.filter(pk=self.object_id).first() if model else None

    def audit_owner(self) -> tuple[int | None, int | None]:
        from .audit import _owner

        parent = self.parent
        return _owner(parent) if parent is not None else (None, None)
