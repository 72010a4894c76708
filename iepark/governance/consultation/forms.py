"""Forms of the consultation pages. They validate and display; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from iepark.core.attachments import AttachmentsField
from iepark.core.forms import DateInput, ServiceModelForm, style_form
from iepark.core.models import Organisation, Park, Person
from iepark.core.policy import actor_for

from .choices import PARTY_ENTRY_KINDS, ActionStatus, EntryKind, IssueCategory, Severity
from .models import AgendaItem, Decision, Issue, Meeting
from .policy import PARTY_ROLES
from .selectors import invitable_people, officer_parks, party_organisations

DATETIME_ATTRS = {"type": "datetime-local"}


class MeetingForm(ServiceModelForm):
    """Schedule or change a meeting: when, where, and who is invited."""

    participants = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(), required=False, label=_("participants")
    )
    fieldsets = (
        (_("Meeting"), ("park", "kind", "title", "starts_at", "ends_at", "place")),
        (_("Participants"), ("participants",)),
    )

    class Meta:
        model = Meeting
        fields = ["park", "kind", "title", "starts_at", "ends_at", "place"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs=DATETIME_ATTRS, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs=DATETIME_ATTRS, format="%Y-%m-%dT%H:%M"),
        }

    def scope_choices(self) -> None:
        self.fields["park"].queryset = officer_parks(user=self.user)
        if self.is_update:
            self.fields["park"].disabled = True
            self.initial["participants"] = list(self.instance.participants.values_list("person_id", flat=True))
        else:
            self.use_single_choice("park")
        parks = list(self.fields["park"].queryset.values_list("pk", flat=True))
        self.fields["participants"].queryset = invitable_people(parks)

    def _post_clean(self) -> None:
        # The service validates the meeting (a clear message for an end before the start).
        pass


class IssueForm(forms.Form):
    """Raise a major issue, from a phone: what, how severe, whom it affects."""

    park = forms.ModelChoiceField(queryset=Park.objects.none(), label=_("park"))
    raising_organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("raised by (party)"))
    category = forms.ChoiceField(choices=IssueCategory.choices, label=_("category"))
    severity = forms.ChoiceField(choices=Severity.choices, initial=Severity.MEDIUM, label=_("severity"))
    title = forms.CharField(max_length=150, label=_("title"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label=_("description"))
    affected_organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(), required=False, label=_("affected parties")
    )
    files = AttachmentsField(label=_("attachments"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actor = actor_for(user)
        parks = Park.objects.all() if actor.is_superuser else Park.objects.filter(pk__in=actor.parks(PARTY_ROLES))
        self.fields["park"].queryset = parks.order_by("code")
        own = (
            Organisation.objects.all()
            if actor.is_superuser
            else Organisation.objects.filter(pk__in=actor.orgs(PARTY_ROLES))
        )
        self.fields["raising_organisation"].queryset = own.order_by("name")
        for name in ("park", "raising_organisation"):
            rows = list(self.fields[name].queryset[:2])
            if len(rows) == 1:
                self.fields[name].initial = rows[0].pk
                self.fields[name].widget = forms.HiddenInput()
        self.fields["affected_organisations"].queryset = party_organisations(user=user)
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        org, park = data.get("raising_organisation"), data.get("park")
        if org is not None and park is not None and org.park_id != park.pk:
            self.add_error("raising_organisation", _("The raising organisation must be of the park."))
        return data


class IssueEditForm(ServiceModelForm):
    class Meta:
        model = Issue
        fields = ["title", "description", "category", "severity", "affected_organisations"]

    def scope_choices(self) -> None:
        self.fields["affected_organisations"].queryset = party_organisations(user=self.user, park=self.instance.park_id)


class AgendaItemForm(forms.Form):
    title = forms.CharField(max_length=200, required=False, label=_("title"))
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("notes"))
    issue = forms.ModelChoiceField(queryset=Issue.objects.none(), required=False, label=_("major issue"))

    def __init__(self, *args: Any, meeting: Meeting, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .selectors import issue_list

        self.fields["issue"].queryset = issue_list(user=user).filter(park_id=meeting.park_id).order_by("-raised_at")
        style_form(self)


class DecisionForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("decision"))
    agenda_item = forms.ModelChoiceField(queryset=AgendaItem.objects.none(), required=False, label=_("agenda item"))
    settles_issue = forms.BooleanField(required=False, label=_("This is the decision of the item's major issue"))

    def __init__(self, *args: Any, meeting: Meeting, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(meeting=meeting)
        style_form(self)


class ActionItemForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("action"))
    owner_organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("owner organisation"))
    owner_person = forms.ModelChoiceField(queryset=Person.objects.none(), required=False, label=_("owner"))
    due_date = forms.DateField(widget=DateInput(), label=_("due date"))
    decision = forms.ModelChoiceField(queryset=Decision.objects.none(), required=False, label=_("decision"))

    def __init__(self, *args: Any, meeting: Meeting, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = party_organisations(user=user, park=meeting.park_id)
        self.fields["owner_person"].queryset = invitable_people(meeting.park_id)
        self.fields["decision"].queryset = Decision.objects.filter(meeting=meeting)
        style_form(self)


class MinutesForm(forms.Form):
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), label=_("minutes"))
    attended = forms.MultipleChoiceField(
        choices=(), required=False, widget=forms.CheckboxSelectMultiple, label=_("attended")
    )
    files = AttachmentsField(label=_("minutes documents"), required=False)

    def __init__(self, *args: Any, meeting: Meeting, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rows = meeting.participants.select_related("person", "organisation")
        self.fields["attended"].choices = [(str(r.person_id), f"{r.person} · {r.organisation}") for r in rows]
        if not self.is_bound:
            self.initial.setdefault("minutes", meeting.minutes)
            self.initial.setdefault("attended", [str(r.person_id) for r in rows if r.attended])
        style_form(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, label=_("reason"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("meeting", None), kwargs.pop("user", None), kwargs.pop("issue", None)
        super().__init__(*args, **kwargs)
        style_form(self)


class NoteForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False, label=_("note"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("issue", None), kwargs.pop("user", None)
        super().__init__(*args, **kwargs)
        style_form(self)


class CommentForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(k, EntryKind(k).label) for k in PARTY_ENTRY_KINDS],
        initial=EntryKind.COMMENT,
        label=_("kind"),
        widget=forms.RadioSelect,
    )
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=8000, label=_("text"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("issue", None), kwargs.pop("user", None)
        super().__init__(*args, **kwargs)
        style_form(self)


class DecideForm(forms.Form):
    decision = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=8000, label=_("decision"))
    meeting = forms.ModelChoiceField(queryset=Meeting.objects.none(), required=False, label=_("decided at meeting"))

    def __init__(self, *args: Any, issue: Issue, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .selectors import meeting_list

        self.fields["meeting"].queryset = meeting_list(user=user).filter(park_id=issue.park_id)
        style_form(self)


class FilesForm(forms.Form):
    files = AttachmentsField(label=_("attachments"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("issue", None), kwargs.pop("user", None)
        super().__init__(*args, **kwargs)
        style_form(self)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices, label=_("status"))
    note = forms.CharField(max_length=4000, required=False, label=_("progress note"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class DeadlinesForm(forms.Form):
    """The acknowledgement and resolution hours of each severity of one park."""

    def __init__(self, *args: Any, levels: dict[str, tuple[int, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Severity.choices:
            ack, resolve = levels[value]
            self.fields[f"{value}_ack"] = forms.IntegerField(
                min_value=1,
                max_value=24 * 90,
                initial=ack,
                label=_("%(severity)s: acknowledge (hours)") % {"severity": label},
            )
            self.fields[f"{value}_resolve"] = forms.IntegerField(
                min_value=1,
                max_value=24 * 365,
                initial=resolve,
                label=_("%(severity)s: resolve (hours)") % {"severity": label},
            )
        style_form(self)

    def rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [(label, self[f"{value}_ack"], self[f"{value}_resolve"]) for value, label in Severity.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for value, _label in Severity.choices:
            ack, resolve = data.get(f"{value}_ack"), data.get(f"{value}_resolve")
            if ack and resolve and resolve < ack:
                self.add_error(
                    f"{value}_resolve", _("The resolution time cannot be shorter than the acknowledgement time.")
                )
        return data
