"""
REST endpoints of contact meetings and major issues (registered by ``iepark.urls``): thin over the
selectors (reads) and the services (writes); each workflow step is an ``@action``.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from iepark.core.api.attachments import AttachmentsActionMixin
from iepark.core.api.base import ScopedViewSet

from . import selectors, services
from . import serializers as s
from .filtersets import (
    ActionItemFilterSet,
    AgendaItemFilterSet,
    DecisionFilterSet,
    IssueFilterSet,
    MeetingFilterSet,
    SeverityDeadlineFilterSet,
)
from .ics import meeting_ics
from .models import IssueEntry, MeetingParticipant

NO_DELETE = ["get", "post", "patch", "put", "head", "options"]


def _meetings(user, **kwargs):
    people = Prefetch("participants", queryset=MeetingParticipant.objects.select_related("person", "organisation"))
    return selectors.meeting_list(user=user, **kwargs).prefetch_related(people)


def _issues(user, **kwargs):
    thread = Prefetch("entries", queryset=IssueEntry.objects.select_related("organisation").order_by("at", "pk"))
    return selectors.issue_list(user=user, **kwargs).prefetch_related(thread, "affected_organisations")


class MeetingViewSet(AttachmentsActionMixin, ScopedViewSet):
    """
    Contact meetings. Officers (committee officers, park administrators) schedule them (``POST``, with
    ``participant_ids``), change them (``PATCH``), ``cancel`` them and record their ``minutes``;
    participants and their organisations' administrators read them. ``ics`` is the invitation.
    Attachments are the minutes documents.
    """

    serializer_class = s.MeetingSerializer
    selector = staticmethod(_meetings)
    filterset_class = MeetingFilterSet
    ordering_fields = ["starts_at", "title", "id"]

    def create_object(self, data):
        data = dict(data)
        data["participants"] = data.pop("participant_ids", [])
        meeting = services.meeting_create(actor=self.request.user, **data)
        return self.get_queryset().get(pk=meeting.pk)

    def update_object(self, instance, data):
        data = dict(data)
        data.pop("park", None)
        if "participant_ids" in data:
            data["participants"] = data.pop("participant_ids")
        services.meeting_update(actor=self.request.user, meeting=instance, data=data)
        return self.get_queryset().get(pk=instance.pk)

    def delete_object(self, instance):
        services.meeting_delete(actor=self.request.user, meeting=instance)

    def _step(self, request, body_class, run):
        meeting = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        run(meeting, body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data)

    @extend_schema(request=s.ConsultationReasonSerializer, responses=s.MeetingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a scheduled meeting with a reason (officers)."""
        return self._step(
            request,
            s.ConsultationReasonSerializer,
            lambda m, d: services.meeting_cancel(actor=request.user, meeting=m, **d),
        )

    @extend_schema(request=s.MeetingMinutesSerializer, responses=s.MeetingSerializer)
    @action(detail=True, methods=["post"])
    def minutes(self, request, pk=None):
        """Record the minutes (and who attended) of a meeting that has started (officers)."""
        return self._step(
            request,
            s.MeetingMinutesSerializer,
            lambda m, d: services.meeting_record_minutes(
                actor=request.user, meeting=m, minutes=d["minutes"], attended=d.get("attended")
            ),
        )

    @extend_schema(request=None, responses={(200, "text/calendar"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def ics(self, request, pk=None):
        """The meeting as an iCalendar invitation."""
        meeting = get_object_or_404(self.get_queryset(), pk=pk)
        response = HttpResponse(meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
        return response


class AgendaItemViewSet(ScopedViewSet):
    """Agenda items of meetings (officers write; escalated items are added by the daily run)."""

    serializer_class = s.AgendaItemSerializer
    selector = staticmethod(selectors.agenda_item_list)
    filterset_class = AgendaItemFilterSet
    ordering_fields = ["position", "id"]

    def create_object(self, data):
        data = dict(data)
        data.pop("position", None)
        return services.agenda_item_add(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data = dict(data)
        data.pop("meeting", None)
        return services.agenda_item_update(actor=self.request.user, item=instance, data=data)

    def delete_object(self, instance):
        services.agenda_item_delete(actor=self.request.user, item=instance)


class DecisionViewSet(ScopedViewSet):
    """Decisions of meetings; ``settles_issue`` also records the decision of the agenda item's issue."""

    serializer_class = s.DecisionSerializer
    selector = staticmethod(selectors.decision_list)
    filterset_class = DecisionFilterSet
    ordering_fields = ["id"]

    def create_object(self, data):
        return services.decision_add(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data = dict(data)
        data.pop("meeting", None)
        data.pop("settles_issue", None)
        return services.decision_update(actor=self.request.user, decision=instance, data=data)

    def delete_object(self, instance):
        services.decision_delete(actor=self.request.user, decision=instance)


class ActionItemViewSet(ScopedViewSet):
    """
    Action items agreed at meetings (officers write). Their owner, or an administrator of the owner
    organisation, reports progress with ``set_status``. ``overdue`` is live; filters ``mine``,
    ``my_organisation``, ``overdue``, ``open``.
    """

    serializer_class = s.ActionItemSerializer
    selector = staticmethod(selectors.action_item_list)
    filterset_class = ActionItemFilterSet
    ordering_fields = ["due_date", "status", "id"]

    def create_object(self, data):
        data = dict(data)
        data.pop("status", None)
        item = services.action_item_add(actor=self.request.user, **data)
        return self.get_queryset().get(pk=item.pk)

    def update_object(self, instance, data):
        data = dict(data)
        data.pop("meeting", None)
        services.action_item_update(actor=self.request.user, item=instance, data=data)
        return self.get_queryset().get(pk=instance.pk)

    def delete_object(self, instance):
        services.action_item_delete(actor=self.request.user, item=instance)

    @extend_schema(request=s.ActionItemStatusSerializer, responses=s.ActionItemSerializer)
    @action(detail=True, methods=["post"], url_path="set-status")
    def set_status(self, request, pk=None):
        """Report progress: open, in progress, done or cancelled (the owner, their organisation, officers)."""
        item = get_object_or_404(self.get_queryset(), pk=pk)
        body = s.ActionItemStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.action_item_set_status(actor=request.user, item=item, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data)


class IssueViewSet(AttachmentsActionMixin, ScopedViewSet):
    """
    Major issues. ``POST`` raises one for the caller's organisation (any party's staff); officers
    correct it (``PATCH``), ``acknowledge`` and ``decide`` it; every party it affects ``comment``s
    (comments and proposals) and adds attachments; the raising party ``confirm``s closure or
    ``reopen``s it. ``overdue`` flags are live; escalation is automatic (daily run).
    """

    serializer_class = s.IssueSerializer
    selector = staticmethod(_issues)
    filterset_class = IssueFilterSet
    ordering_fields = ["raised_at", "resolve_due", "severity", "status", "id"]
    http_method_names = NO_DELETE

    def may_attach(self, request, obj) -> bool:
        """Every party the issue affects, while it is not closed."""
        return services.may_attach_to_issue(request.user, obj)

    def create_object(self, data):
        data = dict(data)
        issue = services.issue_raise(actor=self.request.user, **data)
        return self.get_queryset().get(pk=issue.pk)

    def update_object(self, instance, data):
        data = dict(data)
        data.pop("park", None)
        data.pop("raising_organisation", None)
        services.issue_update(actor=self.request.user, issue=instance, data=data)
        return self.get_queryset().get(pk=instance.pk)

    def _step(self, request, body_class, run):
        issue = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        run(issue, body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=issue.pk)).data)

    @extend_schema(request=s.ConsultationNoteSerializer, responses=s.IssueSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Acknowledge a raised issue (officers)."""
        return self._step(
            request,
            s.ConsultationNoteSerializer,
            lambda i, d: services.issue_acknowledge(actor=request.user, issue=i, **d),
        )

    @extend_schema(request=s.IssueCommentSerializer, responses=s.IssueSerializer)
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        """Add a comment or a proposal to the consultation (every party the issue affects)."""
        return self._step(
            request, s.IssueCommentSerializer, lambda i, d: services.issue_comment(actor=request.user, issue=i, **d)
        )

    @extend_schema(request=s.IssueDecideSerializer, responses=s.IssueSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Record the decision (officers), possibly naming the meeting that took it."""
        return self._step(
            request, s.IssueDecideSerializer, lambda i, d: services.issue_decide(actor=request.user, issue=i, **d)
        )

    @extend_schema(request=s.ConsultationNoteSerializer, responses=s.IssueSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """The raising party confirms closure of a decided issue."""
        return self._step(
            request,
            s.ConsultationNoteSerializer,
            lambda i, d: services.issue_confirm_closure(actor=request.user, issue=i, **d),
        )

    @extend_schema(request=s.ConsultationReasonSerializer, responses=s.IssueSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """The raising party reopens a decided or closed issue, with a reason."""
        return self._step(
            request,
            s.ConsultationReasonSerializer,
            lambda i, d: services.issue_reopen(actor=request.user, issue=i, **d),
        )


class SeverityDeadlineViewSet(ScopedViewSet):
    """A park's acknowledgement and resolution times per severity (defaults apply to severities without a row)."""

    serializer_class = s.SeverityDeadlineSerializer
    selector = staticmethod(selectors.severity_deadline_list)
    filterset_class = SeverityDeadlineFilterSet
    ordering_fields = ["severity", "id"]

    def create_object(self, data):
        return services.severity_deadline_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data = dict(data)
        data.pop("park", None)
        data.pop("severity", None)
        return services.severity_deadline_update(actor=self.request.user, deadline=instance, data=data)

    def delete_object(self, instance):
        services.severity_deadline_delete(actor=self.request.user, deadline=instance)


def register(router) -> None:
    """Register this app's viewsets on the API router."""
    router.register("contact-meetings", MeetingViewSet, basename="meeting")
    router.register("meeting-agenda-items", AgendaItemViewSet, basename="agendaitem")
    router.register("meeting-decisions", DecisionViewSet, basename="decision")
    router.register("meeting-action-items", ActionItemViewSet, basename="actionitem")
    router.register("major-issues", IssueViewSet, basename="issue")
    router.register("issue-deadlines", SeverityDeadlineViewSet, basename="severitydeadline")
