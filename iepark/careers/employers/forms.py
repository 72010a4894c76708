"""Forms of the employer pages. They validate and display; the services in ``services.py`` write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iepark.core import policy, selectors
from iepark.core.choices import OrganisationKind, Role
from iepark.core.forms import DateInput, ServiceModelForm, style_form

from ..choices import PlanHorizon, VettingStatus
from ..models import DemandLine, DemandPlan, EmployerProfile, Posting
from . import selectors as employer_selectors


def _enterprises_for(user: Any, roles: list[str]):
    """Return the enterprises ``user`` holds one of ``roles`` in (every visible one for a superuser)."""
    qs = selectors.organisation_list(user=user).filter(kind=OrganisationKind.ENTERPRISE)
    actor = policy.actor_for(user)
    if actor.is_superuser:
        return qs
    return qs.filter(pk__in=actor.orgs(roles))


class EmployerProfileForm(ServiceModelForm):
    class Meta:
        model = EmployerProfile
        fields = [
            "organisation",
            "summary",
            "summary_en",
            "employees",
            "benefits",
            "benefits_en",
            "housing",
            "housing_en",
            "commute",
            "contact_email",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "summary_en": forms.Textarea(attrs={"rows": 5}),
            "benefits": forms.Textarea(attrs={"rows": 3}),
            "benefits_en": forms.Textarea(attrs={"rows": 3}),
            "housing": forms.Textarea(attrs={"rows": 3}),
            "housing_en": forms.Textarea(attrs={"rows": 3}),
        }

    fieldsets = (
        (_("Enterprise"), ["organisation", "employees", "commute", "contact_email"]),
        (_("About the enterprise"), ["summary", "summary_en"]),
        (_("Benefits and housing"), ["benefits", "benefits_en", "housing", "housing_en"]),
    )

    def scope_choices(self) -> None:
        if self.is_update:
            del self.fields["organisation"]
            return
        actor = policy.actor_for(self.user)
        enterprises = selectors.organisation_list(user=self.user).filter(
            kind=OrganisationKind.ENTERPRISE, employer_profile__isnull=True
        )
        if not actor.is_superuser:
            # HR writes its own enterprise's profile; a park administrator may write any of the park's.
            enterprises = enterprises.filter(
                Q(pk__in=actor.orgs([Role.ENTERPRISE_HR])) | Q(park__in=actor.parks([Role.PARK_ADMIN]))
            )
        self.fields["organisation"].queryset = enterprises
        self.fields["organisation"].label = _("enterprise")
        self.use_single_choice("organisation")


class DemandPlanForm(ServiceModelForm):
    class Meta:
        model = DemandPlan
        fields = ["enterprise", "title", "horizon", "year_from", "year_to", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def scope_choices(self) -> None:
        if self.is_update:
            del self.fields["enterprise"]
        else:
            self.fields["enterprise"].queryset = _enterprises_for(self.user, [Role.ENTERPRISE_HR])
            self.use_single_choice("enterprise")
            self.fields["year_from"].initial = timezone.localdate().year + 1
        self.fields["year_to"].required = False
        self.fields["year_to"].help_text = _("Leave blank: the plan covers its horizon from the first year.")

    def _post_clean(self) -> None:
        # The service fills in the last year from the horizon; validate the model as it will be saved.
        year_from = self.cleaned_data.get("year_from")
        if self.cleaned_data.get("year_to") is None and year_from is not None:
            span = 1 if self.cleaned_data.get("horizon") == PlanHorizon.NEXT_YEAR else 3
            self.cleaned_data["year_to"] = year_from + span - 1
        super()._post_clean()


class DemandLineForm(ServiceModelForm):
    class Meta:
        model = DemandLine
        fields = [
            "year",
            "post",
            "major",
            "headcount",
            "pay_min",
            "pay_max",
            "shift_pattern",
            "location",
            "housing_provided",
            "certificates",
            "skills",
        ]

    def __init__(self, *args: Any, plan: DemandPlan, **kwargs: Any) -> None:
        self.plan = plan
        super().__init__(*args, **kwargs)
        # The model's validation checks the year against the plan's years.
        self.instance.plan = plan

    def scope_choices(self) -> None:
        self.fields["major"].queryset = selectors.major_list(user=self.user).filter(
            park_id=self.plan.enterprise.park_id
        )
        years = list(range(self.plan.year_from, self.plan.year_to + 1))
        self.fields["year"] = forms.TypedChoiceField(
            choices=[(y, y) for y in years], coerce=int, label=_("year"), initial=years[0]
        )


class PostingForm(ServiceModelForm):
    class Meta:
        model = Posting
        fields = [
            "enterprise",
            "kind",
            "title",
            "title_en",
            "description",
            "description_en",
            "majors",
            "certificates",
            "skills",
            "headcount",
            "pay_min",
            "pay_max",
            "shift_pattern",
            "location",
            "housing_provided",
            "start_date",
            "closes_on",
            "demand_line",
            "is_public",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
            "start_date": DateInput(),
            "closes_on": DateInput(),
        }

    fieldsets = (
        (_("Posting"), ["enterprise", "kind", "title", "title_en", "headcount", "start_date", "closes_on"]),
        (_("Description"), ["description", "description_en"]),
        (_("Requirements"), ["majors", "certificates", "skills"]),
        (
            _("Pay and conditions"),
            ["pay_min", "pay_max", "shift_pattern", "location", "housing_provided", "demand_line", "is_public"],
        ),
    )

    def scope_choices(self) -> None:
        if self.is_update:
            del self.fields["enterprise"]
            enterprise_ids = [self.instance.enterprise_id]
        else:
            enterprises = _enterprises_for(self.user, [Role.ENTERPRISE_HR])
            self.fields["enterprise"].queryset = enterprises
            self.use_single_choice("enterprise")
            enterprise_ids = list(enterprises.values_list("pk", flat=True))
        parks = selectors.organisation_list(user=self.user).filter(pk__in=enterprise_ids).values("park_id")
        self.fields["majors"].queryset = selectors.major_list(user=self.user).filter(park_id__in=parks)
        self.fields["demand_line"].queryset = employer_selectors.demand_line_list(user=self.user).filter(
            plan__enterprise_id__in=enterprise_ids
        )
        if self.is_update and self.instance.vetting_status == VettingStatus.APPROVED:
            self.fields["title"].help_text = _(
                "This posting is approved: changing its content sends it back to the park for vetting "
                "(the closing date, the demand line and the portal flag excepted)."
            )


class ZoneDemandFilterForm(forms.Form):
    """The park whose demand the zone demand page shows (only asked when the user sees several)."""

    park = forms.ModelChoiceField(queryset=None, required=False, label=_("park"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = selectors.park_list(user=user)
        style_form(self)
