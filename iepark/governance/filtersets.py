"""FilterSets shared by the governance list pages and the API (one filter definition per model)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from iepark.core.filtersets import SearchFilterSet, scoped, scoped_choice
from iepark.core.models import Organisation, Park

from .choices import ObjectionStatus, PolicyVisibility, RuleKind, RunStatus
from .models import (
    AssessmentLine,
    AssessmentRun,
    Objection,
    PolicyDocument,
    ProgrammeVersion,
    SubsidyProgramme,
    SubsidyRule,
)


class PolicyDocumentFilterSet(SearchFilterSet):
    search_fields = ("title", "title_en", "document_number", "issuing_body", "summary")
    visibility = django_filters.ChoiceFilter(choices=PolicyVisibility.choices, label=_("visibility"))
    park = scoped_choice(Park, _("park"))

    class Meta:
        model = PolicyDocument
        fields = ["q", "visibility", "park"]


class SubsidyProgrammeFilterSet(SearchFilterSet):
    search_fields = ("name", "name_en", "description")
    park = scoped_choice(Park, _("park"))

    class Meta:
        model = SubsidyProgramme
        fields = ["q", "park"]


class ProgrammeVersionFilterSet(django_filters.FilterSet):
    programme = scoped_choice(SubsidyProgramme, _("programme"))

    class Meta:
        model = ProgrammeVersion
        fields = ["programme", "frozen"]


class SubsidyRuleFilterSet(django_filters.FilterSet):
    version = scoped_choice(ProgrammeVersion, _("version"))
    kind = django_filters.ChoiceFilter(choices=RuleKind.choices, label=_("kind"))

    class Meta:
        model = SubsidyRule
        fields = ["version", "kind"]


class AssessmentRunFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=RunStatus.choices, label=_("status"))
    programme = django_filters.ModelChoiceFilter(
        queryset=scoped(SubsidyProgramme), field_name="version__programme", label=_("programme")
    )

    class Meta:
        model = AssessmentRun
        fields = ["status", "programme", "version"]


class AssessmentLineFilterSet(SearchFilterSet):
    search_fields = ("student__person__name", "student__person__name_en", "student__student_number")
    run = django_filters.NumberFilter(field_name="run_id", label=_("run"))
    rule = scoped_choice(SubsidyRule, _("rule"))
    payee = django_filters.ModelChoiceFilter(
        queryset=scoped(Organisation), field_name="payee_organisation", label=_("payee")
    )
    run_status = django_filters.MultipleChoiceFilter(
        choices=RunStatus.choices, field_name="run__status", label=_("run status")
    )

    class Meta:
        model = AssessmentLine
        fields = ["q", "run", "rule", "payee", "run_status"]


class ObjectionFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ObjectionStatus.choices, label=_("status"))
    run = django_filters.NumberFilter(field_name="line__run_id", label=_("run"))
    line = django_filters.NumberFilter(field_name="line_id", label=_("line"))

    class Meta:
        model = Objection
        fields = ["status", "run", "line"]
