"""
Forms of the governance pages. They validate and display; services write.

The rule editor is one form per rule kind, built from the kind's parameter
schema (``rules.SCHEMAS``): each parameter is a field with its label, bounds
and help, and the service validates the whole rule again (contradictions
included) before saving.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from iepark.core import selectors as core_selectors
from iepark.core.attachments import AttachmentsField
from iepark.core.forms import DateInput, PlainForm, ServiceModelForm, style_form
from iepark.core.policy import Action, actor_for

from . import rules, selectors
from .choices import Adjustment, Payee
from .models import PolicyDocument, ProgrammeVersion, SubsidyProgramme, SubsidyRule
from .policy import committee_parks


def _committee_park_choices(form: ServiceModelForm) -> None:
    parks = core_selectors.park_list(user=form.user)
    actor = actor_for(form.user)
    if not actor.is_superuser:
        parks = parks.filter(pk__in=committee_parks(actor))
    form.fields["park"].queryset = parks
    if form.is_update:
        form.fields["park"].disabled = True
    else:
        form.use_single_choice("park")


class PolicyDocumentForm(ServiceModelForm):
    files = AttachmentsField(label=_("files"), required=False, help_text=_("The signed document as PDF, or scans."))

    class Meta:
        model = PolicyDocument
        fields = [
            "park",
            "title",
            "title_en",
            "issuing_body",
            "document_number",
            "effective_from",
            "effective_to",
            "visibility",
            "summary",
            "body",
        ]
        widgets = {
            "effective_from": DateInput(),
            "effective_to": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 12}),
        }

    fieldsets = (
        (
            _("Document"),
            (
                "park",
                "title",
                "title_en",
                "issuing_body",
                "document_number",
                "effective_from",
                "effective_to",
                "visibility",
            ),
        ),
        (_("Content"), ("summary", "body", "files")),
    )

    def scope_choices(self) -> None:
        _committee_park_choices(self)


class SubsidyProgrammeForm(ServiceModelForm):
    class Meta:
        model = SubsidyProgramme
        fields = ["park", "name", "name_en", "description", "policy", "amounts_are_examples"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def scope_choices(self) -> None:
        _committee_park_choices(self)
        self.fields["policy"].queryset = selectors.policy_document_list(user=self.user).order_by("-effective_from")


class ProgrammeVersionForm(ServiceModelForm):
    copy_from = forms.ModelChoiceField(
        label=_("copy the rules of"),
        queryset=ProgrammeVersion.objects.none(),
        required=False,
        help_text=_("Start from the rules of an earlier version (then change what changed)."),
    )

    class Meta:
        model = ProgrammeVersion
        fields = ["programme", "effective_from", "effective_to", "cap_per_payee_per_year", "note"]
        widgets = {"effective_from": DateInput(), "effective_to": DateInput()}

    def scope_choices(self) -> None:
        self.fields["programme"].queryset = selectors.programme_list(user=self.user, action=Action.CHANGE)
        versions = selectors.version_list(user=self.user, action=Action.CHANGE).order_by("programme", "-number")
        self.fields["copy_from"].queryset = versions
        if self.is_update:
            self.fields["programme"].disabled = True
            del self.fields["copy_from"]
            if self.instance.frozen:
                for name in ("effective_from", "cap_per_payee_per_year", "note"):
                    self.fields[name].disabled = True
        else:
            self.use_single_choice("programme")

    def clean(self):
        cleaned = super().clean()
        source = cleaned.get("copy_from")
        if source is not None and cleaned.get("programme") and source.programme_id != cleaned["programme"].pk:
            self.add_error("copy_from", _("Copy the rules of a version of the same programme."))
        return cleaned


class RuleForm(forms.Form):
    """The editor of one rule: its name, payee and the parameters of its kind (a field per parameter)."""

    name = forms.CharField(label=_("name"), max_length=200)
    payee = forms.ChoiceField(label=_("paid to"))
    evidence_note = forms.CharField(label=_("evidence required"), max_length=300, required=False)
    position = forms.IntegerField(label=_("position"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args: Any, kind: str, instance: SubsidyRule | None = None, **kwargs: Any) -> None:
        self.kind = kind
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "payee": instance.payee,
                "evidence_note": instance.evidence_note,
                "position": instance.position,
                **{f"p_{k}": v for k, v in instance.params.items()},
            }
        super().__init__(*args, **kwargs)
        self.fields["payee"].choices = [(p, Payee(p).label) for p in rules.PAYEES[kind]]
        for spec in rules.SCHEMAS[kind]:
            self.fields[f"p_{spec.name}"] = self._param_field(spec)
        style_form(self)

    @staticmethod
    def _param_field(spec: rules.Param) -> forms.Field:
        common = {"label": spec.label, "help_text": spec.help, "required": spec.required}
        if spec.type == "int":
            return forms.IntegerField(min_value=spec.min, max_value=spec.max, initial=spec.default, **common)
        if spec.type == "money":
            return forms.DecimalField(
                min_value=Decimal("0"), max_digits=12, decimal_places=2, initial=spec.default, **common
            )
        if spec.type == "bool":
            return forms.BooleanField(initial=spec.default, **{**common, "required": False})
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in rules.ALL_CONTRACTS],
            initial=spec.default,
            widget=forms.CheckboxSelectMultiple,
            **common,
        )

    def service_data(self) -> dict[str, Any]:
        params = {}
        for spec in rules.SCHEMAS[self.kind]:
            value = self.cleaned_data.get(f"p_{spec.name}")
            if isinstance(value, Decimal):
                value = str(value)
            params[spec.name] = value
        return {
            "kind": self.kind,
            "name": self.cleaned_data["name"],
            "payee": self.cleaned_data["payee"],
            "evidence_note": self.cleaned_data.get("evidence_note", ""),
            "position": self.cleaned_data.get("position") or 0,
            "params": params,
        }

    def param_fields(self) -> list[forms.BoundField]:
        return [self[f"p_{spec.name}"] for spec in rules.SCHEMAS[self.kind]]


class RunStartForm(PlainForm):
    version = forms.ModelChoiceField(label=_("programme version"), queryset=ProgrammeVersion.objects.none())
    period_start = forms.DateField(label=_("period from"), widget=DateInput())
    period_end = forms.DateField(label=_("period to"), widget=DateInput())
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = selectors.version_list(user=user, action=Action.CHANGE).order_by(
            "programme__name", "-number"
        )


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("why the line is wrong"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    proposed_amount = forms.DecimalField(
        label=_("amount you think right (¥)"), min_value=Decimal("0"), max_digits=12, decimal_places=2, required=False
    )
    files = AttachmentsField(label=_("evidence"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    adjustment = forms.ChoiceField(
        label=_("what the correction does"), choices=Adjustment.choices, initial=Adjustment.NONE
    )
    adjusted_amount = forms.DecimalField(
        label=_("new amount (¥)"), min_value=Decimal("0"), max_digits=12, decimal_places=2, required=False
    )
    response = forms.CharField(
        label=_("reason for the decision"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class PayForm(forms.Form):
    payment_reference = forms.CharField(label=_("payment reference"), max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)
