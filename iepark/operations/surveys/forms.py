"""Forms of the survey pages. They validate and display; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from iepark.core.choices import COLLEGE_KINDS, OrganisationKind
from iepark.core.forms import DateInput, ServiceModelForm, style_form
from iepark.core.models import Organisation

from .choices import CHOICE_KINDS, RATING_MAX, RATING_MIN, QuestionKind
from .models import Question, Survey
from .policy import SURVEY_OWNER_ROLES, as_actor


class SurveyForm(ServiceModelForm):
    """A survey's settings (the questions are edited on its page)."""

    fieldsets = (
        (_("Survey"), ("owner", "title", "introduction", "anonymous", "opens_on", "closes_on")),
        (_("Service"), ("area", "service_point")),
        (
            _("Audience"),
            ("audience", "audience_college", "audience_major", "audience_cohort_year", "audience_building"),
        ),
    )

    class Meta:
        model = Survey
        fields = [
            "owner",
            "title",
            "introduction",
            "anonymous",
            "opens_on",
            "closes_on",
            "area",
            "service_point",
            "audience",
            "audience_college",
            "audience_major",
            "audience_cohort_year",
            "audience_building",
        ]
        widgets = {
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "introduction": forms.Textarea(attrs={"rows": 3}),
        }

    def scope_choices(self) -> None:
        actor = as_actor(self.user)
        owners = Organisation.objects.filter(kind__in=[*COLLEGE_KINDS, OrganisationKind.OPERATOR])
        if not actor.is_superuser:
            owners = owners.filter(pk__in=actor.orgs(SURVEY_OWNER_ROLES))
        self.fields["owner"].queryset = owners
        self.fields["audience_college"].queryset = self.fields["audience_college"].queryset.filter(
            kind__in=list(COLLEGE_KINDS)
        )
        if self.is_update:
            self.fields["owner"].disabled = True
            if not self.instance.is_draft:
                for name in ("anonymous", "opens_on", "audience", "audience_college", "audience_major"):
                    self.fields[name].disabled = True
                for name in ("audience_cohort_year", "audience_building"):
                    self.fields[name].disabled = True
        else:
            self.use_single_choice("owner")

    def _post_clean(self) -> None:
        # The instance needs its park before the model's own checks run (the park is the owner's).
        owner = self.cleaned_data.get("owner") or getattr(self.instance, "owner", None)
        if owner is not None and not self.instance.park_id:
            self.instance.park_id = owner.park_id
        super()._post_clean()


class QuestionForm(ServiceModelForm):
    """A question; the options of a choice question are given one per line."""

    options_text = forms.CharField(
        label=_("options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Choice questions: one option per line, in the order shown."),
    )

    class Meta:
        model = Question
        fields = ["text", "kind", "required"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.options:
            self.fields["options_text"].initial = "\n".join(self.instance.options)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["options"] = [line.strip() for line in (data.get("options_text") or "").splitlines() if line.strip()]
        return data

    def _post_clean(self) -> None:
        """Leave the model's checks to the service (the survey is set there)."""

    def service_data(self, names=None) -> dict[str, Any]:
        data = {k: self.cleaned_data[k] for k in ("text", "kind", "required")}
        data["options"] = self.cleaned_data.get("options", [])
        return data


class AnswerForm(forms.Form):
    """The answering form of a survey: one field per question, named ``question_<id>``."""

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.order_by("position", "pk"))
        for q in self.questions:
            name = f"question_{q.pk}"
            common = {"label": q.text, "required": False}
            if q.kind == QuestionKind.RATING:
                choices = [(str(n), str(n)) for n in range(RATING_MIN, RATING_MAX + 1)]
                field: forms.Field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
            elif q.kind in CHOICE_KINDS:
                choices = [(str(i), o) for i, o in enumerate(q.options)]
                widget_class = forms.RadioSelect if q.kind == QuestionKind.SINGLE else forms.CheckboxSelectMultiple
                field_class = forms.ChoiceField if q.kind == QuestionKind.SINGLE else forms.MultipleChoiceField
                widget = widget_class(attrs={"class": "form-check-input"})
                field = field_class(choices=choices, widget=widget, **common)
            else:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common)
            field.question = q
            self.fields[name] = field
        style_form(self)

    def answers(self) -> dict[str, Any]:
        """Return the answers for the service (question id → value); the service checks them."""
        return {name.removeprefix("question_"): value for name, value in self.cleaned_data.items()}
