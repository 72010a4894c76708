"""REST endpoints of matching rounds (registered by ``iepark.careers.api``): thin over selectors and services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from iepark.core.api.base import ReadOnlyScopedViewSet, ScopedViewSet
from iepark.core.api.serializers import JobSerializer

from . import selectors, services
from . import serializers as s
from .filtersets import MatchingRoundFilterSet, RoundMatchFilterSet, RoundPositionFilterSet, RoundStudentListFilterSet


class MatchingRoundViewSet(ScopedViewSet):
    """Matching rounds: the coordinator's workflow is open → close → run → publish (or cancel)."""

    serializer_class = s.MatchingRoundSerializer
    selector = staticmethod(selectors.round_list)
    filterset_class = MatchingRoundFilterSet

    def create_object(self, data):
        return services.round_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("park", None)
        return services.round_update(actor=self.request.user, matching_round=instance, data=data)

    def delete_object(self, instance):
        services.round_delete(actor=self.request.user, matching_round=instance)

    def _step(self, service) -> Response:
        matching_round = service(actor=self.request.user, matching_round=self.get_object())
        return Response(self.get_serializer(matching_round).data)

    @extend_schema(request=None, responses=s.MatchingRoundSerializer)
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        """Open the round for lists and notify its eligible students and the enterprises taking part."""
        return self._step(services.round_open)

    @extend_schema(request=None, responses=s.MatchingRoundSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the round to lists."""
        return self._step(services.round_close)

    @extend_schema(request=None, responses={202: s.RoundRunSerializer})
    @action(detail=True, methods=["post"])
    def run(self, request, pk=None):
        """Start the matching in the background; follow the job at ``/api/v1/jobs/{id}/`` (cancel it there)."""
        matching_round = services.round_run(actor=request.user, matching_round=self.get_object())
        return Response(
            {
                "round": self.get_serializer(matching_round).data,
                "job": JobSerializer(matching_round.job).data if matching_round.job else None,
            },
            status=status.HTTP_202_ACCEPTED,
        )

    @extend_schema(request=None, responses=s.MatchingRoundSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish the computed results: every match becomes an offer; students and enterprises are notified."""
        return self._step(services.round_publish)

    @extend_schema(request=None, responses=s.MatchingRoundSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel the round (not once published)."""
        return self._step(services.round_cancel)

    @extend_schema(request=None, responses=dict)
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        """Return the round's report: matched share, unfilled seats, first and top-3 choices, rates per college and major."""
        matching_round = self.get_object()
        if not selectors.sees_round_report(request.user, matching_round):
            raise PermissionDenied
        if not matching_round.report:
            raise NotFound(_("The round has not been run yet."))
        return Response(matching_round.report)


class RoundPositionViewSet(ScopedViewSet):
    """The positions of rounds: the round's managers add them and set their seats; the enterprise ranks applicants."""

    serializer_class = s.RoundPositionSerializer
    selector = staticmethod(selectors.round_position_list)
    filterset_class = RoundPositionFilterSet

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return s.RoundPositionUpdateSerializer
        return super().get_serializer_class()

    def create_object(self, data):
        return services.round_position_add(
            actor=self.request.user, matching_round=data["round"], posting=data["posting"], capacity=data["capacity"]
        )

    def update_object(self, instance, data):
        return services.round_position_update(actor=self.request.user, position=instance, data=data)

    def delete_object(self, instance):
        services.round_position_delete(actor=self.request.user, position=instance)

    @extend_schema(request=None, responses=s.ApplicantSerializer(many=True))
    @action(detail=True, methods=["get"])
    def applicants(self, request, pk=None):
        """Return the students who listed the position, with their profile and rank number (its enterprise's HR)."""
        position = self.get_object()
        applicants = selectors.round_position_applicants(user=request.user, position=position)
        return Response(s.ApplicantSerializer(applicants, many=True).data)

    @extend_schema(request=s.RankingSerializer, responses=s.RoundPositionSerializer)
    @action(detail=True, methods=["post"])
    def rank(self, request, pk=None):
        """Submit the enterprise's ranking of the position's applicants (replacing any earlier one)."""
        position = self.get_object()
        body = s.RankingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ranking = body.validated_data.get("ranking")
        if ranking is None:
            ranking = services.ranking_from_ranks(body.validated_data["ranks"])
        position = services.position_ranking_submit(actor=request.user, position=position, ranking=ranking)
        return Response(s.RoundPositionSerializer(position, context=self.get_serializer_context()).data)


class RoundStudentListViewSet(ScopedViewSet):
    """
    Students' ranked lists. A student submits their own (POST again, or PATCH, to replace it).

    Students see their own lists; the round's managers and the students' colleges see them too.
    """

    serializer_class = s.RoundStudentListSerializer
    selector = staticmethod(selectors.round_student_list_list)
    filterset_class = RoundStudentListFilterSet
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return s.RoundStudentListUpdateSerializer
        return super().get_serializer_class()

    def create_object(self, data):
        student = selectors.student_of(self.request.user)
        if student is None:
            raise PermissionDenied
        return services.student_list_submit(
            actor=self.request.user, matching_round=data["round"], student=student, preferences=data["preferences"]
        )

    def update_object(self, instance, data):
        return services.student_list_submit(
            actor=self.request.user,
            matching_round=instance.round,
            student=instance.student,
            preferences=data.get("preferences", instance.preferences),
        )


class RoundMatchViewSet(ReadOnlyScopedViewSet):
    """The results of computed rounds (read-only): students see theirs once published."""

    serializer_class = s.RoundMatchSerializer
    selector = staticmethod(selectors.round_match_list)
    filterset_class = RoundMatchFilterSet


def register(router) -> None:
    """Register this area's viewsets on the API router."""
    router.register("rounds", MatchingRoundViewSet, basename="matchinground")
    router.register("round-positions", RoundPositionViewSet, basename="roundposition")
    router.register("round-lists", RoundStudentListViewSet, basename="roundstudentlist")
    router.register("round-matches", RoundMatchViewSet, basename="roundmatch")
