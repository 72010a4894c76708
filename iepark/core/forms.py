"""
Forms of the core pages. They validate and display; services write.

Every form takes the acting ``user``: its foreign-key choices come from the
selectors, so a select offers only rows the user may see. ``service_data()``
returns the cleaned values a service takes (disabled fields left out).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import policy, selectors
from .choices import COLLEGE_KINDS, Role
from .models import Major, Membership, Organisation, Person, Student, Teacher
from .validators import mask_national_id, mask_phone, validate_national_id, validate_phone

PERSONAL_DATA_MASKS = {"national_id": mask_national_id, "phone": mask_phone}


class DateInput(forms.DateInput):
    """A date box enhanced with flatpickr by the site script (plain ISO text without it)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"data-datepicker": "date", "autocomplete": "off", **(attrs or {})}, format="%Y-%m-%d")


def style_form(form: forms.BaseForm) -> None:
    """Give each widget of ``form`` its Bootstrap class and the site script's enhancement hooks."""
    for form_field in form.fields.values():
        widget = form_field.widget
        if isinstance(widget, forms.HiddenInput | forms.MultipleHiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            css = ""
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
            if isinstance(form_field, forms.ModelChoiceField) or isinstance(widget, forms.SelectMultiple):
                widget.attrs.setdefault("data-tom-select", "1")
        else:
            css = "form-control"
            if isinstance(form_field, forms.DateField) and not isinstance(widget, DateInput):
                widget.attrs.setdefault("data-datepicker", "date")
                widget.attrs.setdefault("autocomplete", "off")
            elif isinstance(form_field, forms.DateTimeField):
                widget.attrs.setdefault("data-datepicker", "datetime")
                widget.attrs.setdefault("autocomplete", "off")
        classes = widget.attrs.get("class", "").split()
        if css and css not in classes:  # idempotent: a form styled twice keeps one class
            widget.attrs["class"] = " ".join([*classes, css])


class PlainForm(forms.Form):
    """A form that is no model form, styled and laid out like the generic edit pages (one group of fields)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)

    def grouped_fields(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(None, list(self.visible_fields()))]


def restrict_form_querysets(form: forms.BaseForm, user: Any) -> None:
    """Narrow every model choice field of ``form`` to the rows ``user`` may see."""
    for form_field in form.fields.values():
        if isinstance(form_field, forms.ModelChoiceField):
            form_field.queryset = policy.restrict(form_field.queryset, user)


class ServiceModelForm(forms.ModelForm):
    """
    A model form whose choices are scoped to the user and whose data goes to a service.

    ``fieldsets`` (optional) groups fields under headings on the page.
    """

    fieldsets: ClassVar[Sequence[tuple[Any, Sequence[str]]] | None] = None

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # Safety net first (every relation scoped by the policy), then each form's own narrowing.
        restrict_form_querysets(self, user)
        self.scope_choices()
        style_form(self)

    @property
    def is_update(self) -> bool:
        return self.instance.pk is not None

    def scope_choices(self) -> None:
        """Set the querysets of relation fields from the selectors (override per form)."""

    def service_data(self, names: Sequence[str] | None = None) -> dict[str, Any]:
        """Return the cleaned values of enabled fields (only ``names`` when given)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in self.fields and not self.fields[name].disabled and (names is None or name in names)
        }

    def use_single_choice(self, name: str) -> None:
        """Hide the choice field ``name`` when it offers one row only, choosing that row."""
        form_field = self.fields.get(name)
        if form_field is None:
            return
        rows = list(form_field.queryset[:2])
        if len(rows) == 1:
            form_field.initial = rows[0].pk
            form_field.widget = forms.HiddenInput()

    def grouped_fields(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """Return the visible fields grouped by ``fieldsets`` (one untitled group without them)."""
        visible = {bf.name: bf for bf in self.visible_fields()}
        if not self.fieldsets:
            return [(None, list(visible.values()))]
        groups, used = [], set()
        for title, names in self.fieldsets:
            fields_ = [visible[n] for n in names if n in visible]
            used.update(names)
            if fields_:
                groups.append((title, fields_))
        rest = [bf for name, bf in visible.items() if name not in used]
        if rest:
            groups.append((None, rest))
        return groups


class PersonalDataFormMixin:
    """
    Keep unmasked personal data out of forms for users who may not see it.

    For such a user the ID number and phone are not prefilled; leaving them
    blank keeps the stored values (``kept_personal_data`` lists those fields).
    """

    fields: dict[str, forms.Field]
    initial: dict[str, Any]

    def protect_personal_data(self, person: Person | None, visible: bool) -> None:
        self.kept_personal_data: set[str] = set()
        if person is None or visible:
            return
        for name, mask in PERSONAL_DATA_MASKS.items():
            stored = getattr(person, name, None)
            if name in self.fields and stored:
                self.initial[name] = ""
                self.fields[name].required = False
                self.fields[name].widget.attrs["placeholder"] = mask(stored)
                self.fields[name].help_text = _("Hidden for your role. Leave blank to keep the stored value.")
                self.kept_personal_data.add(name)

    def without_kept_blanks(self, data: dict[str, Any]) -> dict[str, Any]:
        """Drop personal fields left blank by a user who cannot see them (the stored values stay)."""
        kept = getattr(self, "kept_personal_data", set())
        return {k: v for k, v in data.items() if not (k in kept and v in (None, ""))}


def _clean_national_id(value: str | None) -> str | None:
    value = (value or "").strip().upper()
    return value or None


# ---------------------------------------------------------------------------
# Organisations, people, memberships, majors.
# ---------------------------------------------------------------------------


def _formfield(model_field: Any, **kwargs: Any) -> forms.Field | None:
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class OrganisationForm(ServiceModelForm):
    class Meta:
        model = Organisation
        fields = ["park", "kind", "name", "name_en", "uscc", "industry", "address", "phone", "website", "is_active"]
        formfield_callback = _formfield

    fieldsets = (
        (_("Organisation"), ["park", "kind", "name", "name_en", "is_active"]),
        (_("Registration"), ["uscc", "industry"]),
        (_("Contact"), ["address", "phone", "website"]),
    )

    def scope_choices(self) -> None:
        if self.is_update:
            del self.fields["park"]
            actor = policy.actor_for(self.user)
            if not (actor.is_superuser or actor.has_role(Role.PARK_ADMIN, park_id=self.instance.park_id)):
                # An organisation's own administrator edits its details, not its kind or status.
                self.fields["kind"].disabled = True
                self.fields["is_active"].disabled = True
        else:
            self.fields["park"].queryset = selectors.park_list(user=self.user)
            self.use_single_choice("park")
        self.fields["uscc"].help_text = _("18 characters; required for enterprises.")
        self.fields["industry"].help_text = _("Enterprises only.")

    def clean_uscc(self) -> str | None:
        value = (self.cleaned_data.get("uscc") or "").strip().upper()
        return value or None


class PersonForm(PersonalDataFormMixin, ServiceModelForm):
    # The first membership, asked for on registration (required for all but park administrators).
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False, label=_("organisation"))
    role = forms.ChoiceField(choices=[("", "---------"), *Role.choices], required=False, label=_("role"))

    class Meta:
        model = Person
        fields = ["park", "name", "name_en", "gender", "national_id", "birth_date", "phone", "email", "language"]
        widgets = {"birth_date": DateInput()}

    fieldsets = (
        (_("Person"), ["park", "name", "name_en", "gender", "birth_date", "language"]),
        (_("Identity and contact"), ["national_id", "phone", "email"]),
        (_("First membership"), ["organisation", "role"]),
    )

    def scope_choices(self) -> None:
        if self.is_update:
            del self.fields["park"]
            del self.fields["organisation"]
            del self.fields["role"]
        else:
            self.fields["park"].queryset = selectors.park_list(user=self.user)
            self.use_single_choice("park")
            self.fields["organisation"].queryset = selectors.organisation_list(user=self.user)
        self.fields["birth_date"].help_text = _("Taken from the ID number when one is given.")
        self.protect_personal_data(
            self.instance if self.is_update else None, getattr(self.instance, "pii_visible", True)
        )

    def clean_national_id(self) -> str | None:
        return _clean_national_id(self.cleaned_data.get("national_id"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.is_update and bool(cleaned.get("organisation")) != bool(cleaned.get("role")):
            self.add_error("role", _("Give both the organisation and the role, or neither."))
        return cleaned

    def service_data(self, names: Sequence[str] | None = None) -> dict[str, Any]:
        data = self.without_kept_blanks(super().service_data(names))
        organisation, role = data.pop("organisation", None), data.pop("role", None)
        if not self.is_update:
            data["membership"] = {"organisation": organisation, "role": role} if organisation and role else None
        return data

    def _post_clean(self) -> None:
        if self.is_update:
            # Keep the stored personal data in the instance the model validation sees.
            for name in getattr(self, "kept_personal_data", ()):
                if self.cleaned_data.get(name) in (None, ""):
                    self.cleaned_data.pop(name, None)
        super()._post_clean()


class MembershipForm(ServiceModelForm):
    class Meta:
        model = Membership
        fields = ["person", "organisation", "role", "title", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def scope_choices(self) -> None:
        self.fields["person"].queryset = selectors.person_list(user=self.user)
        self.fields["organisation"].queryset = selectors.organisation_list(user=self.user)
        if self.is_update:
            self.fields["person"].disabled = True
            self.fields["organisation"].disabled = True
        else:
            self.fields["start_date"].initial = timezone.localdate()


class MembershipEndForm(forms.Form):
    end_date = forms.DateField(label=_("end date"), required=False, widget=DateInput())


class MajorForm(ServiceModelForm):
    class Meta:
        model = Major
        fields = ["park", "code", "name", "name_en"]

    def scope_choices(self) -> None:
        if self.is_update:
            del self.fields["park"]
        else:
            self.fields["park"].queryset = selectors.park_list(user=self.user)
            self.use_single_choice("park")
        self.fields["code"].help_text = _("The code in the national catalogue of majors.")


class LoginAccountForm(forms.Form):
    """Give a person a login, or change its username or password."""

    username = forms.CharField(label=_("username"), max_length=150)
    password = forms.CharField(
        label=_("new password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave blank to keep the current password (a new account then cannot log in until one is set)."),
    )
    password_again = forms.CharField(
        label=_("new password again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


# ---------------------------------------------------------------------------
# Students and teachers: the person's fields and the record's fields in one form.
# ---------------------------------------------------------------------------

PERSON_FORM_FIELDS = ["name", "name_en", "gender", "national_id", "phone", "email"]


def _person_field(name: str, **kwargs: Any) -> forms.Field:
    return Person._meta.get_field(name).formfield(**kwargs)


class PersonRecordForm(PersonalDataFormMixin, ServiceModelForm):
    """A student or teacher record together with its person's fields."""

    name = _person_field("name")
    name_en = _person_field("name_en")
    gender = _person_field("gender")
    # Model validators run in the model's validation, which this form does not do for the person.
    national_id = _person_field("national_id", validators=[validate_national_id])
    phone = _person_field("phone", validators=[validate_phone])
    email = _person_field("email")

    record_fields: ClassVar[list[str]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.instance.person if self.is_update else None
        if person is not None:
            for name in PERSON_FORM_FIELDS:
                self.initial.setdefault(name, getattr(person, name))
        self.protect_personal_data(person, getattr(self.instance, "pii_visible", True))

    def clean_national_id(self) -> str | None:
        return _clean_national_id(self.cleaned_data.get("national_id"))

    def person_data(self) -> dict[str, Any]:
        return self.without_kept_blanks(self.service_data(PERSON_FORM_FIELDS))

    def record_data(self) -> dict[str, Any]:
        return self.service_data(self.record_fields)


class StudentForm(PersonRecordForm):
    record_fields = ["college", "major", "student_number", "cohort_year", "status"]

    class Meta:
        model = Student
        fields = ["college", "major", "student_number", "cohort_year", "status"]

    field_order = PERSON_FORM_FIELDS + record_fields
    fieldsets = (
        (_("Person"), PERSON_FORM_FIELDS),
        (_("Study"), ["college", "major", "student_number", "cohort_year", "status"]),
    )

    def scope_choices(self) -> None:
        self.fields["college"].queryset = selectors.organisation_list(user=self.user).filter(
            kind__in=list(COLLEGE_KINDS)
        )
        self.fields["major"].queryset = selectors.major_list(user=self.user)
        if not self.is_update:
            self.fields["cohort_year"].initial = timezone.localdate().year


class TeacherForm(PersonRecordForm):
    record_fields = ["organisation", "staff_number", "professional_title", "major"]

    class Meta:
        model = Teacher
        fields = ["organisation", "staff_number", "professional_title", "major"]

    field_order = PERSON_FORM_FIELDS + record_fields
    fieldsets = (
        (_("Person"), PERSON_FORM_FIELDS),
        (_("Employment"), ["organisation", "staff_number", "professional_title", "major"]),
    )

    def scope_choices(self) -> None:
        self.fields["organisation"].queryset = selectors.organisation_list(user=self.user).filter(
            kind__in=list(COLLEGE_KINDS)
        )
        self.fields["major"].queryset = selectors.major_list(user=self.user)
