"""
The filters of the analytics, shared by the pages, the Excel downloads and the API.

Each form takes the acting ``user``: its choices are what the user may see
(or meets in the records they may see), so a foreign id is refused as an
invalid choice. ``query()`` returns the validated filters.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iepark.core.forms import DateInput, style_form
from iepark.core.models import Major, Organisation, Park

from . import selectors

# The groupings of ``retention.GROUPINGS``, with their labels.
GROUP_BY_CHOICES = [
    ("cohort", _("Cohort")),
    ("college", _("College")),
    ("major", _("Major")),
    ("enterprise", _("Enterprise")),
    ("order_class", _("Order class or not")),
]

ZONE, EMPLOYER = "zone", "employer"
VIEW_CHOICES = [(ZONE, _("Staying in the zone")), (EMPLOYER, _("Staying with the employer"))]


def default_graduation_year(as_of: datetime.date) -> int:
    """Return the latest graduation year whose class has left college by ``as_of`` (classes leave in July)."""
    return as_of.year if as_of.month >= 7 else as_of.year - 1


def latest_graduation_year(user: Any, as_of: datetime.date) -> int:
    """Return the latest class by ``as_of`` with graduates the user may see (else the latest class by then)."""
    latest = default_graduation_year(as_of)
    return next((year for year in selectors.graduation_years(user=user) if year <= latest), latest)


@dataclass(frozen=True)
class OutcomeQuery:
    """The validated filters of the outcomes figures."""

    as_of: datetime.date
    graduation_year: int
    park: Park | None = None
    cohort: int | None = None
    college: Organisation | None = None
    major: Major | None = None
    enterprise: Organisation | None = None
    hired_from: int | None = None
    hired_to: int | None = None
    group_by: str = "cohort"
    view: str = ZONE
    risks_enterprise: Organisation | None = None

    def person_filters(self) -> dict[str, Any]:
        return {"park": self.park, "cohort": self.cohort, "college": self.college, "major": self.major}


def _year_field(label: Any, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=help_text,
    )


class AnalyticsForm(forms.Form):
    """
    Base of the filter forms: the park choice scoped to the user, styled for the page's filter bar.

    A filter left out (or empty) takes its default (``defaults()``), so the page
    shows the values its figures use.
    """

    park = forms.ModelChoiceField(queryset=Park.objects.none(), required=False, label=_("Park"))

    def __init__(self, data: Any = None, *, user: Any, **kwargs: Any) -> None:
        if data is not None:
            given = {key: value for key, value in data.items() if value not in ("", None)}
            data = {**self.defaults(user, given), **given}
        super().__init__(data, **kwargs)
        self.user = user
        self.fields["park"].queryset = selectors.park_list(user=user)
        style_form(self)

    def defaults(self, user: Any, given: dict[str, Any]) -> dict[str, Any]:
        return {}

    def clean_fields_or_defaults(self) -> dict[str, Any]:
        """Return the cleaned data without the empty fields."""
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class OutcomeFilterForm(AnalyticsForm):
    as_of = forms.DateField(label=_("As of"), required=False, widget=DateInput())
    graduation_year = _year_field(_("Graduation year (placement)"))
    cohort = _year_field(_("Cohort"))
    college = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False, label=_("College"))
    major = forms.ModelChoiceField(queryset=Major.objects.none(), required=False, label=_("Major"))
    enterprise = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False, label=_("Hired by"))
    hired_from = _year_field(_("Hired from (year)"))
    hired_to = _year_field(_("Hired until (year)"))
    group_by = forms.ChoiceField(choices=GROUP_BY_CHOICES, required=False, label=_("Curves by"))
    view = forms.ChoiceField(choices=VIEW_CHOICES, required=False, label=_("Retention in"))
    risks_enterprise = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, label=_("Employer of the competing-risks chart")
    )

    def __init__(self, data: Any = None, *, user: Any, **kwargs: Any) -> None:
        super().__init__(data, user=user, **kwargs)
        self.fields["college"].queryset = selectors.college_list(user=user)
        self.fields["major"].queryset = selectors.major_list(user=user)
        enterprises = selectors.enterprise_list(user=user)
        self.fields["enterprise"].queryset = enterprises
        self.fields["risks_enterprise"].queryset = enterprises

    def defaults(self, user: Any, given: dict[str, Any]) -> dict[str, Any]:
        try:
            as_of = datetime.date.fromisoformat(str(given.get("as_of", "")))
        except ValueError:
            as_of = timezone.localdate()
        return {
            "as_of": as_of.isoformat(),
            "graduation_year": latest_graduation_year(user, as_of),
            "group_by": "cohort",
            "view": ZONE,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        hired_from, hired_to = data.get("hired_from"), data.get("hired_to")
        if hired_from and hired_to and hired_to < hired_from:
            self.add_error("hired_to", _("The last hire year cannot be before the first."))
        return data

    def query(self) -> OutcomeQuery:
        data = self.clean_fields_or_defaults()
        as_of = data.pop("as_of", None) or timezone.localdate()
        graduation_year = data.pop("graduation_year", None) or default_graduation_year(as_of)
        return OutcomeQuery(as_of=as_of, graduation_year=graduation_year, **data)


@dataclass(frozen=True)
class SupplyQuery:
    """The validated filters of supply against demand."""

    first_year: int
    horizon: int
    as_of: datetime.date
    park: Park | None = None

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.first_year + self.horizon))


class SupplyDemandForm(AnalyticsForm):
    first_year = _year_field(_("From year"))
    horizon = forms.TypedChoiceField(
        choices=[(1, _("1 year")), (2, _("2 years")), (3, _("3 years"))],
        coerce=int,
        required=False,
        label=_("Years shown"),
    )

    def defaults(self, user: Any, given: dict[str, Any]) -> dict[str, Any]:
        return {"first_year": timezone.localdate().year + 1, "horizon": 3}

    def query(self) -> SupplyQuery:
        data = self.clean_fields_or_defaults()
        today = timezone.localdate()
        return SupplyQuery(
            first_year=data.get("first_year") or today.year + 1,
            horizon=data.get("horizon") or 3,
            as_of=today,
            park=data.get("park"),
        )
