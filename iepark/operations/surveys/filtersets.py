"""FilterSets shared by the survey list page and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from iepark.core.filtersets import SearchFilterSet, scoped_choice
from iepark.core.models import Organisation, Park

from .choices import Audience, ServiceArea, SurveyStatus
from .models import Question, Survey


class SurveyFilterSet(SearchFilterSet):
    search_fields = ("title", "introduction")
    status = django_filters.MultipleChoiceFilter(choices=SurveyStatus.choices, label=_("status"))
    area = django_filters.MultipleChoiceFilter(choices=ServiceArea.choices, label=_("service area"))
    audience = django_filters.ChoiceFilter(choices=Audience.choices, label=_("audience"))
    owner = scoped_choice(Organisation, _("owner"))
    park = scoped_choice(Park, _("park"))

    class Meta:
        model = Survey
        fields = ["q", "status", "area", "audience", "anonymous", "owner", "park"]


class QuestionFilterSet(django_filters.FilterSet):
    survey = django_filters.NumberFilter(field_name="survey", label=_("survey"))

    class Meta:
        model = Question
        fields = ["survey", "kind"]
