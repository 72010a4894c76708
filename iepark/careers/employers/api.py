"""
REST endpoints of employer profiles, demand plans and lines, and postings (registered by ``iepark.careers.api``).

Thin over the selectors (reads) and services (writes), like the pages. Workflow
steps are actions: ``POST .../submit/``, ``.../approve/``, ``.../reject/``
(``{"reason": ...}``), ``.../close/`` and ``demand-plans/{id}/reopen/``; the
zone's demand is ``GET demand-plans/zone-demand/``.
"""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.decorators import action
from rest_framework.response import Response

from iepark.core import selectors as core_selectors
from iepark.core.api.base import ScopedViewSet

from . import selectors, services
from . import serializers as s
from .filtersets import DemandLineFilterSet, DemandPlanFilterSet, EmployerProfileFilterSet, PostingFilterSet


class VisibleObjectMixin:
    """Find the object of a workflow step by the VIEW scope only: the service decides who may take the step."""

    def get_visible_object(self):
        # ScopedViewSet.get_object demands the CHANGE scope for a POST; vetters vet without it.
        return generics.GenericAPIView.get_object(self)

    def respond(self, obj):
        """Answer a workflow step with the object as the user now sees it (annotations included)."""
        fresh = self.get_queryset().filter(pk=obj.pk).first()
        return Response(self.get_serializer(fresh or obj).data)


class EmployerProfileViewSet(VisibleObjectMixin, ScopedViewSet):
    serializer_class = s.EmployerProfileSerializer
    selector = staticmethod(selectors.employer_profile_list)
    filterset_class = EmployerProfileFilterSet
    ordering_fields = ["organisation__name", "vetting_status", "updated_at", "vetted_at"]

    def create_object(self, data):
        return services.employer_profile_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("organisation", None)
        return services.employer_profile_update(actor=self.request.user, profile=instance, data=data)

    def delete_object(self, instance):
        services.employer_profile_delete(actor=self.request.user, profile=instance)

    @extend_schema(request=None, responses=s.EmployerProfileSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the profile to the park's vetters (its HR or a park administrator)."""
        return self.respond(services.employer_profile_submit(actor=request.user, profile=self.get_visible_object()))

    @extend_schema(request=None, responses=s.EmployerProfileSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve the profile (a vetter of its park)."""
        return self.respond(services.employer_profile_approve(actor=request.user, profile=self.get_visible_object()))

    @extend_schema(request=s.RejectSerializer, responses=s.EmployerProfileSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject the profile, or withdraw its approval, with a reason (a vetter of its park)."""
        form = s.RejectSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        profile = services.employer_profile_reject(
            actor=request.user, profile=self.get_visible_object(), reason=form.validated_data.get("reason", "")
        )
        return self.respond(profile)


class DemandPlanViewSet(VisibleObjectMixin, ScopedViewSet):
    serializer_class = s.DemandPlanSerializer
    selector = staticmethod(selectors.demand_plan_list)
    filterset_class = DemandPlanFilterSet
    ordering_fields = ["year_from", "title", "status", "submitted_at", "updated_at"]

    def get_queryset(self):
        lines = selectors.demand_line_list(user=self.request.user).order_by("year", "post", "pk")
        return super().get_queryset().prefetch_related(Prefetch("lines", queryset=lines))

    def create_object(self, data):
        return services.demand_plan_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("enterprise", None)
        return services.demand_plan_update(actor=self.request.user, plan=instance, data=data)

    def delete_object(self, instance):
        services.demand_plan_delete(actor=self.request.user, plan=instance)

    def perform_create(self, serializer):
        super().perform_create(serializer)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_update(self, serializer):
        super().perform_update(serializer)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @extend_schema(request=None, responses=s.DemandPlanSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the plan: it then counts in the zone's demand."""
        return self.respond(services.demand_plan_submit(actor=request.user, plan=self.get_visible_object()))

    @extend_schema(request=None, responses=s.DemandPlanSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Make a submitted plan a draft again, to change it."""
        return self.respond(services.demand_plan_reopen(actor=request.user, plan=self.get_visible_object()))

    @extend_schema(
        parameters=[OpenApiParameter("park", OpenApiTypes.INT, description="Only this park's demand.")],
        responses=s.ZoneDemandSerializer,
    )
    @action(detail=False, methods=["get"], url_path="zone-demand", filterset_class=None, pagination_class=None)
    def zone_demand(self, request):
        """Return the zone's demand from submitted plans, by year and major and by enterprise and year."""
        park = None
        raw = request.query_params.get("park", "")
        if raw:
            park = core_selectors.park_list(user=request.user).filter(pk=int(raw) if raw.isdigit() else 0).first()
            if park is None:
                return Response({"rows": [], "by_enterprise": []})
        data = {
            "rows": selectors.zone_demand(request.user, park),
            "by_enterprise": selectors.zone_demand_by_enterprise(request.user, park),
        }
        return Response(s.ZoneDemandSerializer(data).data)


class DemandLineViewSet(ScopedViewSet):
    serializer_class = s.DemandLineSerializer
    selector = staticmethod(selectors.demand_line_list)
    filterset_class = DemandLineFilterSet
    ordering_fields = ["year", "post", "headcount", "major__code"]

    def create_object(self, data):
        return services.demand_line_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("plan", None)
        return services.demand_line_update(actor=self.request.user, line=instance, data=data)

    def delete_object(self, instance):
        services.demand_line_delete(actor=self.request.user, line=instance)


class PostingViewSet(VisibleObjectMixin, ScopedViewSet):
    serializer_class = s.PostingSerializer
    selector = staticmethod(selectors.posting_list)
    filterset_class = PostingFilterSet
    ordering_fields = ["created_at", "updated_at", "closes_on", "pay_min", "pay_max", "title", "vetting_status"]

    def create_object(self, data):
        return services.posting_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("enterprise", None)
        return services.posting_update(actor=self.request.user, posting=instance, data=data)

    def delete_object(self, instance):
        services.posting_delete(actor=self.request.user, posting=instance)

    @extend_schema(request=None, responses=s.PostingSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the posting to the park's vetters (a draft, rejected or closed posting)."""
        return self.respond(services.posting_submit(actor=request.user, posting=self.get_visible_object()))

    @extend_schema(request=None, responses=s.PostingSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve the posting (a vetter of its park)."""
        return self.respond(services.posting_approve(actor=request.user, posting=self.get_visible_object()))

    @extend_schema(request=s.RejectSerializer, responses=s.PostingSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject the posting, or withdraw its approval, with a reason (a vetter of its park)."""
        form = s.RejectSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        posting = services.posting_reject(
            actor=request.user, posting=self.get_visible_object(), reason=form.validated_data.get("reason", "")
        )
        return self.respond(posting)

    @extend_schema(request=None, responses=s.PostingSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the posting: students no longer see it."""
        return self.respond(services.posting_close(actor=request.user, posting=self.get_visible_object()))


def register(router) -> None:
    """Register this area's viewsets on the API router."""
    router.register("employer-profiles", EmployerProfileViewSet, basename="employerprofile")
    router.register("demand-plans", DemandPlanViewSet, basename="demandplan")
    router.register("demand-lines", DemandLineViewSet, basename="demandline")
    router.register("postings", PostingViewSet, basename="posting")
