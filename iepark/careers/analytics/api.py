"""
REST endpoints of the analytics (registered by ``iepark.careers.api``): read-only figures.

Each endpoint lists the figures over every record the user may see (narrowed
by the same filters as the pages, ``forms.py``) and retrieves them for one
enterprise (or, for supply against demand, one major): an enterprise or major
the user may not see is 404. Bad filters are 400 naming the field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from . import figures, selectors
from .forms import OutcomeFilterForm, SupplyDemandForm


def _parameters(form_class: type[forms.Form], *, exclude: tuple[str, ...] = ()) -> list[OpenApiParameter]:
    """Return the query parameters of the OpenAPI schema from the filter form's fields."""
    types = {
        forms.ModelChoiceField: OpenApiTypes.INT,
        forms.IntegerField: OpenApiTypes.INT,
        forms.TypedChoiceField: OpenApiTypes.INT,
        forms.DateField: OpenApiTypes.DATE,
    }
    parameters = []
    for name, field in form_class.base_fields.items():
        if name in exclude:
            continue
        kind = next((t for cls, t in types.items() if isinstance(field, cls)), OpenApiTypes.STR)
        enum = [key for key, _label in field.choices] if type(field) is forms.ChoiceField else None
        parameters.append(OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=str(field.label), enum=enum))
    return parameters


def _id(description: str) -> OpenApiParameter:
    return OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description=description)


class AnalyticsViewSet(viewsets.ViewSet):
    """Base of the figures' endpoints: the filters come from the query string through the pages' form."""

    form_class: type[forms.Form] = OutcomeFilterForm

    def get_query(self) -> Any:
        form = self.form_class(self.request.query_params, user=self.request.user)
        if not form.is_valid():
            raise ValidationError({name: [str(m) for m in messages] for name, messages in form.errors.items()})
        return form.query()

    def get_enterprise(self, pk: Any):
        """Return the enterprise ``pk`` if the user may see it or its employees' records; 404 otherwise."""
        enterprise = selectors.enterprise_list(user=self.request.user).filter(pk=_int(pk)).first()
        if enterprise is None:
            raise Http404
        return enterprise


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


OUTCOME_PARAMETERS = _parameters(OutcomeFilterForm, exclude=("risks_enterprise",))


class RetentionViewSet(AnalyticsViewSet):
    """Retention shares 6/12/24 months after hire and Kaplan–Meier retention curves by group."""

    @extend_schema(
        operation_id="analytics_retention_list", parameters=OUTCOME_PARAMETERS, responses=OpenApiTypes.OBJECT
    )
    def list(self, request):
        query = self.get_query()
        records = figures.load(user=request.user, query=query)
        return Response(
            {
                **figures.retention_figures(records=records, query=query),
                "enterprises": figures.enterprises(records),
            }
        )

    @extend_schema(
        operation_id="analytics_retention_retrieve",
        parameters=[_id("The enterprise that hired (zone view) or employed (employer view)."), *OUTCOME_PARAMETERS],
        responses=OpenApiTypes.OBJECT,
    )
    def retrieve(self, request, pk=None):
        enterprise = self.get_enterprise(pk)
        query = self.get_query()
        records = figures.load(user=request.user, query=query)
        return Response(
            {
                **figures.retention_figures(records=records, query=query, enterprise=enterprise),
                "enterprise": {"id": enterprise.pk, "name": str(enterprise)},
            }
        )


class CompetingRisksViewSet(AnalyticsViewSet):
    """Cumulative incidence of leaving the zone and of moving to another zone enterprise (Aalen–Johansen)."""

    @extend_schema(
        operation_id="analytics_competing_risks_list", parameters=OUTCOME_PARAMETERS, responses=OpenApiTypes.OBJECT
    )
    def list(self, request):
        query = self.get_query()
        records = figures.load(user=request.user, query=query)
        return Response(
            {
                **figures.competing_risks_figures(records=records, query=query),
                "enterprises": figures.enterprises(records),
            }
        )

    @extend_schema(
        operation_id="analytics_competing_risks_retrieve",
        parameters=[_id("The employer."), *OUTCOME_PARAMETERS],
        responses=OpenApiTypes.OBJECT,
    )
    def retrieve(self, request, pk=None):
        enterprise = self.get_enterprise(pk)
        query = self.get_query()
        records = figures.load(user=request.user, query=query)
        return Response(figures.competing_risks_figures(records=records, query=query, enterprise=enterprise))


class TurnoverViewSet(AnalyticsViewSet):
    """Turnover per enterprise per year: separations / average headcount."""

    @extend_schema(operation_id="analytics_turnover_list", parameters=OUTCOME_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def list(self, request):
        query = self.get_query()
        records = figures.load(user=request.user, query=query)
        return Response(
            {**figures.turnover_figures(records=records, query=query), "enterprises": figures.enterprises(records)}
        )

    @extend_schema(
        operation_id="analytics_turnover_retrieve",
        parameters=[_id("The enterprise."), *OUTCOME_PARAMETERS],
        responses=OpenApiTypes.OBJECT,
    )
    def retrieve(self, request, pk=None):
        enterprise = self.get_enterprise(pk)
        query = self.get_query()
        records = figures.load(user=request.user, query=query)
        return Response(figures.turnover_figures(records=records, query=query, enterprise=enterprise))


SUPPLY_PARAMETERS = _parameters(SupplyDemandForm)


class SupplyDemandViewSet(AnalyticsViewSet):
    """Demand by major and year against the students expected to graduate; gaps and recommendations."""

    form_class = SupplyDemandForm

    @extend_schema(
        operation_id="analytics_supply_demand_list", parameters=SUPPLY_PARAMETERS, responses=OpenApiTypes.OBJECT
    )
    def list(self, request):
        return Response(figures.supply_demand(user=request.user, query=self.get_query()))

    @extend_schema(
        operation_id="analytics_supply_demand_retrieve",
        parameters=[_id("The major."), *SUPPLY_PARAMETERS],
        responses=OpenApiTypes.OBJECT,
    )
    def retrieve(self, request, pk=None):
        major = selectors.major_list(user=request.user).filter(pk=_int(pk)).first()
        if major is None:
            raise Http404
        return Response(figures.supply_demand(user=request.user, query=self.get_query(), major_id=major.pk))


def register(router) -> None:
    """Register this area's viewsets on the API router."""
    router.register("analytics/retention", RetentionViewSet, basename="analytics-retention")
    router.register("analytics/competing-risks", CompetingRisksViewSet, basename="analytics-competing-risks")
    router.register("analytics/turnover", TurnoverViewSet, basename="analytics-turnover")
    router.register("analytics/supply-demand", SupplyDemandViewSet, basename="analytics-supply-demand")
