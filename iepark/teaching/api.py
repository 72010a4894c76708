"""REST endpoints of teaching (registered by ``iepark.urls``): thin over selectors and services."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from iepark.core.api.attachments import AttachmentsActionMixin
from iepark.core.api.base import ReadOnlyScopedViewSet, ScopedViewSet
from iepark.core.api.serializers import ScopedRelatedField
from iepark.core.models import Major, Organisation, Park, Student, Teacher

from . import selectors, services
from . import timetable_exports as exports
from .choices import AgreementScope
from .filtersets import (
    AgreementFilterSet,
    CohortFilterSet,
    CourseFilterSet,
    EnrolmentFilterSet,
    RoomFeatureFilterSet,
    RoomFilterSet,
    RoomUnavailabilityFilterSet,
    TeacherUnavailabilityFilterSet,
    TermFilterSet,
    TimetableEntryFilterSet,
    TimetableRunFilterSet,
)
from .models import (
    Cohort,
    CooperationAgreement,
    Course,
    Enrolment,
    Room,
    RoomFeature,
    RoomUnavailability,
    TeacherUnavailability,
    Term,
    TimetableEntry,
    TimetableRun,
)

DAY_HELP = _("0 = Monday … 6 = Sunday.")


def _day_field():
    return serializers.IntegerField(min_value=0, max_value=6, help_text=DAY_HELP)


# --- cooperation agreements -------------------------------------------------------------------------


class AgreementSerializer(serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())
    parties = ScopedRelatedField(queryset=Organisation.objects.all(), many=True)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=AgreementScope.choices), allow_empty=False)
    status_today = serializers.CharField(
        source="current_status",
        read_only=True,
        help_text=_("The status as of today: a signed or active agreement past its end date is expired."),
    )

    class Meta:
        model = CooperationAgreement
        fields = [
            "id",
            "park",
            "title",
            "number",
            "agreement_type",
            "parties",
            "scopes",
            "start_date",
            "end_date",
            "agreement_status",
            "status_today",
            "signed_on",
            "terminated_on",
            "termination_reason",
            "reminder_days",
            "reminder_sent_at",
            "notes",
        ]
        read_only_fields = [
            "agreement_status",
            "signed_on",
            "terminated_on",
            "termination_reason",
            "reminder_sent_at",
        ]
        validators: list = []


class AgreementSignSerializer(serializers.Serializer):
    signed_on = serializers.DateField(required=False)


class AgreementTerminateSerializer(serializers.Serializer):
    reason = serializers.CharField()
    terminated_on = serializers.DateField(required=False)


class AgreementViewSet(AttachmentsActionMixin, ScopedViewSet):
    """
    Cooperation agreements; ``sign``, ``activate`` and ``terminate`` move the status (a draft → signed →
    active; termination needs a reason); ``attachments`` holds the signed documents. ``status_today``
    shows expiry from the end date.
    """

    serializer_class = AgreementSerializer
    selector = staticmethod(selectors.agreement_list)
    filterset_class = AgreementFilterSet
    ordering_fields = ["start_date", "end_date", "title", "id"]

    def create_object(self, data):
        agreement = services.agreement_create(actor=self.request.user, **data)
        return self.get_queryset().get(pk=agreement.pk)

    def update_object(self, instance, data):
        data.pop("park", None)
        services.agreement_update(
            actor=self.request.user, agreement=instance, data=data, parties=data.pop("parties", None)
        )
        return self.get_queryset().get(pk=instance.pk)

    def delete_object(self, instance):
        services.agreement_delete(actor=self.request.user, agreement=instance)

    @extend_schema(request=AgreementSignSerializer, responses=AgreementSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        agreement = self.get_object()
        body = AgreementSignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.agreement_sign(actor=request.user, agreement=agreement, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=agreement.pk)).data)

    @extend_schema(request=None, responses=AgreementSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        agreement = self.get_object()
        services.agreement_activate(actor=request.user, agreement=agreement)
        return Response(self.get_serializer(self.get_queryset().get(pk=agreement.pk)).data)

    @extend_schema(request=AgreementTerminateSerializer, responses=AgreementSerializer)
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        agreement = self.get_object()
        body = AgreementTerminateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.agreement_terminate(actor=request.user, agreement=agreement, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=agreement.pk)).data)


# --- rooms ------------------------------------------------------------------------------------------------


class RoomFeatureSerializer(serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())

    class Meta:
        model = RoomFeature
        fields = ["id", "park", "name", "name_en"]
        validators: list = []


class RoomFeatureViewSet(ScopedViewSet):
    """Equipment rooms have and courses require (e.g. a coal-chemical process simulator)."""

    serializer_class = RoomFeatureSerializer
    selector = staticmethod(selectors.room_feature_list)
    filterset_class = RoomFeatureFilterSet
    ordering_fields = ["name", "id"]

    def create_object(self, data):
        return services.room_feature_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("park", None)
        return services.room_feature_update(actor=self.request.user, feature=instance, data=data)

    def delete_object(self, instance):
        services.room_feature_delete(actor=self.request.user, feature=instance)


class RoomSerializer(serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())
    owner = ScopedRelatedField(queryset=Organisation.objects.all())
    features = ScopedRelatedField(queryset=RoomFeature.objects.all(), many=True, required=False)

    class Meta:
        model = Room
        fields = ["id", "park", "building", "number", "name", "room_kind", "capacity", "features", "owner", "is_active"]
        validators: list = []


class RoomViewSet(ScopedViewSet):
    """Teaching rooms and venues: kind, capacity, features and owner."""

    serializer_class = RoomSerializer
    selector = staticmethod(selectors.room_list)
    filterset_class = RoomFilterSet
    ordering_fields = ["building", "number", "capacity", "id"]

    def create_object(self, data):
        room = services.room_create(actor=self.request.user, **data)
        return self.get_queryset().get(pk=room.pk)

    def update_object(self, instance, data):
        data.pop("park", None)
        services.room_update(actor=self.request.user, room=instance, data=data, features=data.pop("features", None))
        return self.get_queryset().get(pk=instance.pk)

    def delete_object(self, instance):
        services.room_delete(actor=self.request.user, room=instance)


class RoomUnavailabilitySerializer(serializers.ModelSerializer):
    room = ScopedRelatedField(queryset=Room.objects.all())
    day_of_week = _day_field()

    class Meta:
        model = RoomUnavailability
        fields = ["id", "room", "day_of_week", "first_period", "last_period", "start_date", "end_date", "reason"]
        validators: list = []


class RoomUnavailabilityViewSet(ScopedViewSet):
    """Weekly times a room cannot be used for teaching, optionally between two dates."""

    serializer_class = RoomUnavailabilitySerializer
    selector = staticmethod(selectors.room_unavailability_list)
    filterset_class = RoomUnavailabilityFilterSet
    ordering_fields = ["day_of_week", "first_period", "id"]

    def create_object(self, data):
        return services.room_unavailability_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("room", None)
        return services.room_unavailability_update(actor=self.request.user, unavailability=instance, data=data)

    def delete_object(self, instance):
        services.room_unavailability_delete(actor=self.request.user, unavailability=instance)


# --- terms ---------------------------------------------------------------------------------------------------


class TermSerializer(serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())
    holidays = serializers.ListField(child=serializers.DateField(), required=False)
    period_times = serializers.ListField(
        child=serializers.RegexField(r"^\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}$"), required=False
    )

    class Meta:
        model = Term
        fields = [
            "id",
            "park",
            "name",
            "start_date",
            "end_date",
            "teaching_weeks",
            "days_per_week",
            "periods_per_day",
            "period_times",
            "holidays",
        ]
        validators: list = []


class TermViewSet(ScopedViewSet):
    """Teaching terms: dates, teaching weeks, days per week, periods per day and holidays."""

    serializer_class = TermSerializer
    selector = staticmethod(selectors.term_list)
    filterset_class = TermFilterSet
    ordering_fields = ["start_date", "name", "id"]

    def create_object(self, data):
        return services.term_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("park", None)
        return services.term_update(actor=self.request.user, term=instance, data=data)

    def delete_object(self, instance):
        services.term_delete(actor=self.request.user, term=instance)


# --- cohorts and enrolments ---------------------------------------------------------------------------------


class CohortSerializer(serializers.ModelSerializer):
    college = ScopedRelatedField(queryset=Organisation.objects.all())
    major = ScopedRelatedField(queryset=Major.objects.all())
    sponsor = ScopedRelatedField(queryset=Organisation.objects.all(), required=False, allow_null=True)
    agreement = ScopedRelatedField(queryset=CooperationAgreement.objects.all(), required=False, allow_null=True)
    enrolled = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = Cohort
        fields = [
            "id",
            "college",
            "major",
            "name",
            "intake_year",
            "cohort_type",
            "sponsor",
            "seats",
            "enrolled",
            "hiring_commitment",
            "hiring_terms",
            "agreement",
            "is_active",
        ]
        validators: list = []


class CohortViewSet(ScopedViewSet):
    """Cohorts (classes): regular, order classes (sponsor, seats, hiring commitment) and agreement classes."""

    serializer_class = CohortSerializer
    selector = staticmethod(selectors.cohort_list)
    filterset_class = CohortFilterSet
    ordering_fields = ["name", "intake_year", "id"]

    def create_object(self, data):
        cohort = services.cohort_create(actor=self.request.user, **data)
        return self.get_queryset().get(pk=cohort.pk)

    def update_object(self, instance, data):
        data.pop("college", None)
        services.cohort_update(actor=self.request.user, cohort=instance, data=data)
        return self.get_queryset().get(pk=instance.pk)

    def delete_object(self, instance):
        services.cohort_delete(actor=self.request.user, cohort=instance)


class EnrolmentSerializer(serializers.ModelSerializer):
    cohort = ScopedRelatedField(queryset=Cohort.objects.all())
    student = ScopedRelatedField(queryset=Student.objects.all())
    student_name = serializers.CharField(source="student.person.name", read_only=True)
    student_number = serializers.CharField(source="student.student_number", read_only=True)
    start_date = serializers.DateField(required=False)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "cohort",
            "student",
            "student_name",
            "student_number",
            "start_date",
            "end_date",
            "leave_reason",
        ]
        read_only_fields = ["end_date", "leave_reason"]
        validators: list = []


class EnrolmentEndSerializer(serializers.Serializer):
    reason = serializers.CharField()
    end_date = serializers.DateField(required=False)


class EnrolmentViewSet(ScopedViewSet):
    """
    Students in cohorts: POST enrols (an order class never exceeds its seats); ``leave`` ends an
    enrolment with a date and a reason. Enrolments are never edited or deleted (the history stays).
    """

    serializer_class = EnrolmentSerializer
    selector = staticmethod(selectors.enrolment_list)
    filterset_class = EnrolmentFilterSet
    ordering_fields = ["start_date", "end_date", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def create_object(self, data):
        return services.enrol(actor=self.request.user, **data)

    @extend_schema(request=EnrolmentEndSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        enrolment = self.get_object()
        body = EnrolmentEndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.enrolment_end(actor=request.user, enrolment=enrolment, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=enrolment.pk)).data)


# --- courses ---------------------------------------------------------------------------------------------------


class CourseSerializer(serializers.ModelSerializer):
    term = ScopedRelatedField(queryset=Term.objects.all())
    college = ScopedRelatedField(queryset=Organisation.objects.all())
    teachers = ScopedRelatedField(queryset=Teacher.objects.all(), many=True)
    cohorts = ScopedRelatedField(queryset=Cohort.objects.all(), many=True)
    required_features = ScopedRelatedField(queryset=RoomFeature.objects.all(), many=True, required=False)
    required_room_kind = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text=_("A room kind (as in rooms' room_kind), or empty.")
    )

    class Meta:
        model = Course
        fields = [
            "id",
            "term",
            "college",
            "code",
            "name",
            "name_en",
            "course_type",
            "lectures_per_week",
            "min_working_days",
            "teachers",
            "cohorts",
            "required_room_kind",
            "required_features",
        ]
        validators: list = []


class CourseViewSet(ScopedViewSet):
    """Courses of a term: teachers, cohorts, lectures per week, minimum working days, room kind and features."""

    serializer_class = CourseSerializer
    selector = staticmethod(selectors.course_list)
    filterset_class = CourseFilterSet
    ordering_fields = ["code", "name", "id"]

    def create_object(self, data):
        course = services.course_create(actor=self.request.user, **data)
        return self.get_queryset().get(pk=course.pk)

    def update_object(self, instance, data):
        data.pop("term", None)
        data.pop("college", None)
        services.course_update(
            actor=self.request.user,
            course=instance,
            data=data,
            teachers=data.pop("teachers", None),
            cohorts=data.pop("cohorts", None),
            required_features=data.pop("required_features", None),
        )
        return self.get_queryset().get(pk=instance.pk)

    def delete_object(self, instance):
        services.course_delete(actor=self.request.user, course=instance)


class TeacherUnavailabilitySerializer(serializers.ModelSerializer):
    term = ScopedRelatedField(queryset=Term.objects.all())
    teacher = ScopedRelatedField(queryset=Teacher.objects.all())
    day_of_week = _day_field()

    class Meta:
        model = TeacherUnavailability
        fields = ["id", "term", "teacher", "day_of_week", "first_period", "last_period", "reason"]
        validators: list = []


class TeacherUnavailabilityViewSet(ScopedViewSet):
    """Weekly times in a term when a teacher cannot teach."""

    serializer_class = TeacherUnavailabilitySerializer
    selector = staticmethod(selectors.teacher_unavailability_list)
    filterset_class = TeacherUnavailabilityFilterSet
    ordering_fields = ["day_of_week", "first_period", "id"]

    def create_object(self, data):
        return services.teacher_unavailability_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("term", None)
        data.pop("teacher", None)
        return services.teacher_unavailability_update(actor=self.request.user, unavailability=instance, data=data)

    def delete_object(self, instance):
        services.teacher_unavailability_delete(actor=self.request.user, unavailability=instance)


# --- timetabling runs -----------------------------------------------------------------------------------


class TimetableRunSerializer(serializers.ModelSerializer):
    term = ScopedRelatedField(queryset=Term.objects.all())
    colleges = ScopedRelatedField(queryset=Organisation.objects.all(), many=True, required=False)
    seconds = serializers.IntegerField(min_value=1, max_value=services.TIMETABLE_MAX_SECONDS, required=False)
    seed = serializers.IntegerField(min_value=0, required=False)
    job_status = serializers.CharField(source="job.status", read_only=True, default=None)
    job_message = serializers.CharField(source="job.message", read_only=True, default=None)

    class Meta:
        model = TimetableRun
        fields = [
            "id",
            "term",
            "colleges",
            "seconds",
            "seed",
            "status",
            "job",
            "job_status",
            "job_message",
            "cost",
            "hard_violations",
            "soft_cost",
            "error",
            "created_at",
            "finished_at",
            "published_at",
        ]
        read_only_fields = [
            "status",
            "job",
            "cost",
            "hard_violations",
            "soft_cost",
            "error",
            "created_at",
            "finished_at",
            "published_at",
        ]
        validators: list = []


class LectureNoteSerializer(serializers.Serializer):
    entry = serializers.IntegerField(help_text=_("The timetable entry (lecture)."))
    cost = serializers.IntegerField(help_text=_("The soft cost charged to this lecture."))
    penalties = serializers.ListField(child=serializers.CharField())
    problems = serializers.ListField(child=serializers.CharField(), help_text=_("Hard constraints it breaks."))


class TimetableMoveSerializer(serializers.Serializer):
    day_of_week = serializers.IntegerField(min_value=0, max_value=6, help_text=DAY_HELP)
    period = serializers.IntegerField(min_value=1, max_value=16)
    room = ScopedRelatedField(queryset=Room.objects.all())


class TimetableRunViewSet(ScopedViewSet):
    """
    Timetabling runs of a term: POST starts a background run of the engine (``seconds`` time limit,
    optional ``colleges`` scope); ``publish`` makes a draft the term's published timetable.
    """

    serializer_class = TimetableRunSerializer
    selector = staticmethod(selectors.timetable_run_list)
    filterset_class = TimetableRunFilterSet
    ordering_fields = ["created_at", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def create_object(self, data):
        run = services.timetable_start(actor=self.request.user, **data)
        return self.get_queryset().get(pk=run.pk)

    @extend_schema(request=None, responses=TimetableRunSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        run = self.get_object()
        services.timetable_publish(actor=request.user, run=run)
        return Response(self.get_serializer(self.get_queryset().get(pk=run.pk)).data)

    @extend_schema(request=None, responses=TimetableRunSerializer)
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        """Copy a draft or published timetable into a new draft, to change it by hand."""
        copy = services.timetable_copy(actor=request.user, run=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=copy.pk)).data, status=201)

    @extend_schema(request=None, responses=LectureNoteSerializer(many=True))
    @action(detail=True, methods=["get"])
    def explanation(self, request, pk=None):
        """Each lecture's soft penalties (cost and reasons) and the hard constraints it breaks."""
        from .timetable_explain import explain_run

        run = self.get_object()
        notes = explain_run(run).notes()
        rows = [
            {"entry": pk, "cost": note.cost, "penalties": note.penalties, "problems": note.problems}
            for pk, note in sorted(notes.items())
        ]
        return Response(LectureNoteSerializer(rows, many=True).data)


class TimetableEntrySerializer(serializers.ModelSerializer):
    course_code = serializers.CharField(source="course.code", read_only=True)
    room_name = serializers.StringRelatedField(source="room", read_only=True)
    day_of_week = serializers.IntegerField(read_only=True, help_text=DAY_HELP)

    class Meta:
        model = TimetableEntry
        fields = ["id", "run", "course", "course_code", "room", "room_name", "day_of_week", "period"]
        read_only_fields = fields


class TimetableEntryViewSet(ReadOnlyScopedViewSet):
    """The weekly lectures of timetabling runs (``day_of_week`` 0 = Monday; periods from 1)."""

    serializer_class = TimetableEntrySerializer
    selector = staticmethod(selectors.timetable_entry_list)
    filterset_class = TimetableEntryFilterSet
    ordering_fields = ["day_of_week", "period", "id"]

    @extend_schema(request=TimetableMoveSerializer, responses=TimetableEntrySerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """
        Move a lecture of a draft to another day, period or room. A move that would break a hard
        constraint is refused (400) with the exact reasons; otherwise the run's cost is scored again.
        """
        entry = self.get_object()
        data = TimetableMoveSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        services.timetable_entry_move(actor=request.user, entry=entry, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=entry.pk)).data)


# --- everyone's own timetable ---------------------------------------------------------------------------


def _lecture_row(entry: TimetableEntry, day=None, start=None, end=None) -> dict:
    row = {
        "id": entry.pk,
        "run": entry.run_id,
        "term": entry.run.term_id,
        "course": entry.course_id,
        "course_code": entry.course.code,
        "course_name": entry.course.display_name,
        "room": entry.room_id,
        "room_name": str(entry.room),
        "teachers": [{"id": t.pk, "name": t.person.name} for t in entry.course.teachers.all()],
        "cohorts": [{"id": c.pk, "name": c.name} for c in entry.course.cohorts.all()],
        "day_of_week": entry.day_of_week,
        "period": entry.period,
    }
    if day is not None:
        row.update({"date": day.isoformat(), "start": start.isoformat(), "end": end.isoformat()})
    else:
        start_time, end_time = entry.run.term.period_span(entry.period)
        row.update(
            {
                "start_time": start_time.strftime("%H:%M"),
                "end_time": end_time.strftime("%H:%M"),
                "dates": [lec.date.isoformat() for lec in exports.lectures([entry])],
            }
        )
    return row


MY_TIMETABLE_SUBJECTS = [
    OpenApiParameter("cohort", OpenApiTypes.INT, description=_("A cohort's timetable instead of the user's own.")),
    OpenApiParameter("teacher", OpenApiTypes.INT, description=_("A teacher's timetable instead of the user's own.")),
    OpenApiParameter("room", OpenApiTypes.INT, description=_("A room's timetable instead of the user's own.")),
]


class MyTimetableViewSet(viewsets.ViewSet):
    """
    The user's published timetable: one teaching week of dated lectures (``GET my-timetable/``) and one
    weekly lecture with all its dates (``GET my-timetable/<entry id>/``).

    Query: ``term`` (a term with a published timetable; default the current one), ``week`` (teaching
    week, default this week), and optionally one of ``cohort``, ``teacher`` or ``room`` for the timetable
    of a cohort, teacher or room the user may see (default: the user's own, as teacher or student).
    Only the lectures the user may see are listed; drafts never.
    """

    def _subject(self, request):
        given = [k for k in exports.SUBJECT_KINDS if request.query_params.get(k)]
        if len(given) > 1:
            raise ValidationError({given[1]: [_("Give one of cohort, teacher or room.")]})
        if not given:
            return exports.subject_for(request.user)
        kind = given[0]
        try:
            return exports.subject_for(request.user, kind, request.query_params[kind])
        except Http404:
            raise ValidationError({kind: [_("Unknown or not visible to you.")]}) from None

    @extend_schema(
        operation_id="my_timetable_list",
        parameters=[
            OpenApiParameter("term", OpenApiTypes.INT, description=_("A term with a published timetable.")),
            OpenApiParameter("week", OpenApiTypes.INT, description=_("The teaching week (from 1).")),
            *MY_TIMETABLE_SUBJECTS,
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def list(self, request):
        subject = self._subject(request)
        today = timezone.localdate()
        terms = exports.published_terms(request.user)
        term = exports.current_term(terms, today)
        if request.query_params.get("term"):
            term = next((t for t in terms if str(t.pk) == request.query_params["term"]), None)
            if term is None:
                raise ValidationError({"term": [_("No published timetable of this term is visible to you.")]})
        if term is None:
            return Response({"term": None, "week": None, "results": []})
        week = exports.default_week(term, today)
        if request.query_params.get("week"):
            try:
                week = int(request.query_params["week"])
            except ValueError:
                week = 0
            if not 1 <= week <= term.teaching_weeks:
                raise ValidationError(
                    {"week": [_("Give a teaching week from 1 to %(weeks)s.") % {"weeks": term.teaching_weeks}]}
                )
        entries = exports.published_entries(request.user, subject, term=term)
        view = exports.week_view(term, entries, week, today)
        results = [
            _lecture_row(lec.entry, lec.date, lec.start, lec.end) for day in view["days"] for lec in day.lectures
        ]
        return Response(
            {
                "subject": {"kind": subject.kind, "id": subject.pk, "name": str(subject.label)},
                "term": {"id": term.pk, "name": term.name, "start_date": term.start_date, "end_date": term.end_date},
                "week": view["week"],
                "weeks": view["weeks"],
                "days": [
                    {"date": d.date.isoformat(), "day_of_week": i, "holiday": d.is_holiday, "in_term": d.in_term}
                    for i, d in enumerate(view["days"])
                ],
                "time_zone": exports.park_zone().key,
                "results": results,
            }
        )

    @extend_schema(
        operation_id="my_timetable_retrieve",
        parameters=[
            OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("A timetable entry.")),
            *MY_TIMETABLE_SUBJECTS,
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def retrieve(self, request, pk=None):
        subject = self._subject(request)
        entries = exports.published_entries(request.user, subject, pk=pk)
        if not entries:
            raise Http404
        return Response(_lecture_row(entries[0]))


def register(router) -> None:
    """Register this app's viewsets on the API router."""
    router.register("agreements", AgreementViewSet, basename="cooperationagreement")
    router.register("room-features", RoomFeatureViewSet, basename="roomfeature")
    router.register("rooms", RoomViewSet, basename="room")
    router.register("room-unavailability", RoomUnavailabilityViewSet, basename="roomunavailability")
    router.register("terms", TermViewSet, basename="term")
    router.register("cohorts", CohortViewSet, basename="cohort")
    router.register("enrolments", EnrolmentViewSet, basename="enrolment")
    router.register("courses", CourseViewSet, basename="course")
    router.register("teacher-unavailability", TeacherUnavailabilityViewSet, basename="teacherunavailability")
    router.register("timetable-runs", TimetableRunViewSet, basename="timetablerun")
    router.register("timetable-entries", TimetableEntryViewSet, basename="timetableentry")
    router.register("my-timetable", MyTimetableViewSet, basename="mytimetable")
