"""Forms of the rounds' pages. They validate and display; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iepark.core import policy
from iepark.core.forms import DateInput, ServiceModelForm, style_form
from iepark.core.models import Park
from iepark.core.policy import Action

from ..choices import VettingStatus
from ..models import MatchingRound, Posting, RoundPosition
from ..policy import ROUND_MANAGER_ROLES
from . import selectors
from .services import POSITION_ADD_STATUSES


class DateTimeInput(forms.DateTimeInput):
    """A date-and-time box enhanced with flatpickr by the site script."""

    def __init__(self) -> None:
        super().__init__(attrs={"data-datepicker": "datetime", "autocomplete": "off"}, format="%Y-%m-%d %H:%M")


class MatchingRoundForm(ServiceModelForm):
    fieldsets = [
        (gettext_lazy("Round"), ["park", "name", "cohort_year", "deadline", "offer_deadline"]),
        (gettext_lazy("Lottery"), ["tie_breaking", "seed"]),
    ]

    class Meta:
        model = MatchingRound
        fields = ["park", "name", "cohort_year", "deadline", "offer_deadline", "tie_breaking", "seed"]
        widgets = {"deadline": DateTimeInput(), "offer_deadline": DateInput()}

    def scope_choices(self) -> None:
        if self.is_update:
            del self.fields["park"]
        else:
            actor = policy.actor_for(self.user)
            parks = (
                Park.objects.all()
                if actor.is_superuser
                else Park.objects.filter(pk__in=actor.parks(ROUND_MANAGER_ROLES))
            )
            self.fields["park"].queryset = parks
            self.use_single_choice("park")
        self.fields["cohort_year"].help_text = _("The students of the park who entered in this year take part.")
        self.fields["seed"].help_text = _(
            "Leave blank to draw it at the first run; the same seed reproduces the same results."
        )


class RoundPositionForm(ServiceModelForm):
    class Meta:
        model = RoundPosition
        fields = ["round", "posting", "capacity"]

    def scope_choices(self) -> None:
        if self.is_update:
            del self.fields["round"]
            del self.fields["posting"]
            return
        rounds = selectors.round_list(user=self.user, action=Action.CHANGE).filter(status__in=POSITION_ADD_STATUSES)
        self.fields["round"].queryset = rounds
        postings = policy.restrict(
            Posting.objects.filter(vetting_status=VettingStatus.APPROVED).select_related("enterprise"), self.user
        )
        chosen = self.initial.get("round") or self.data.get("round")
        if chosen and str(chosen).isdigit():
            park_id = rounds.filter(pk=chosen).values_list("park_id", flat=True).first()
            postings = postings.filter(enterprise__park_id=park_id).exclude(round_positions__round_id=chosen)
        self.fields["posting"].queryset = postings
        self.fields["posting"].label_from_instance = lambda p: f"{p.display_title} · {p.enterprise}"
        self.use_single_choice("round")


class RankingForm(forms.Form):
    """The enterprise's ranking: a rank number per applicant; equal numbers tie, a blank is not acceptable."""

    def __init__(self, *args: Any, applicants: list[selectors.Applicant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.applicants = applicants
        for applicant in applicants:
            self.fields[self.field_name(applicant.student.pk)] = forms.IntegerField(
                label=str(applicant.student.person),
                required=False,
                min_value=1,
                max_value=max(len(applicants), 1) * 10,
                initial=applicant.rank,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "style": "max-width: 6rem"}),
            )
        style_form(self)

    @staticmethod
    def field_name(student_id: int) -> str:
        return f"rank_{student_id}"

    def rows(self) -> list[tuple[selectors.Applicant, forms.BoundField]]:
        return [(a, self[self.field_name(a.student.pk)]) for a in self.applicants]

    def ranks(self) -> dict[int, int | None]:
        return {a.student.pk: self.cleaned_data.get(self.field_name(a.student.pk)) for a in self.applicants}


class StudentListForm(forms.Form):
    """
    A student's list: the choice number of each position (1 = most wanted; blank = not wanted).

    The page's script turns this into an ordered list with up/down buttons; without
    the script the numbered selects work on their own.
    """

    def __init__(self, *args: Any, positions: list[RoundPosition], current: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        order = {position_id: n for n, position_id in enumerate(current, start=1)}
        # Chosen positions first, in the student's order, then the others.
        self.positions = sorted(positions, key=lambda p: (order.get(p.pk, len(order) + 1), p.pk))
        numbers = [("", "—")] + [(str(n), str(n)) for n in range(1, len(positions) + 1)]
        for position in self.positions:
            self.fields[self.field_name(position.pk)] = forms.TypedChoiceField(
                label=position.posting.display_title,
                choices=numbers,
                coerce=int,
                empty_value=None,
                required=False,
                initial=order.get(position.pk),
            )
        style_form(self)

    @staticmethod
    def field_name(position_id: int) -> str:
        return f"choice_{position_id}"

    def rows(self) -> list[tuple[RoundPosition, forms.BoundField]]:
        return [(p, self[self.field_name(p.pk)]) for p in self.positions]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        taken: dict[int, int] = {}
        for position in self.positions:
            number = data.get(self.field_name(position.pk))
            if number is None:
                continue
            if number in taken:
                raise forms.ValidationError(
                    _("Choice %(n)d is given to more than one position.") % {"n": number}, code="duplicate"
                )
            taken[number] = position.pk
        if not taken:
            raise forms.ValidationError(_("Rank at least one position."), code="empty")
        return data

    def preferences(self) -> list[int]:
        """Return the chosen positions' ids in the student's order."""
        chosen = [
            (self.cleaned_data[self.field_name(p.pk)], p.pk)
            for p in self.positions
            if self.cleaned_data.get(self.field_name(p.pk)) is not None
        ]
        return [position_id for _number, position_id in sorted(chosen)]
