"""Standard access tests of this area's API endpoints and pages (see ``iepark.testing.ApiAccessSuite``)."""

from __future__ import annotations

from iepark.careers.choices import ApplicationStatus, NotificationKind
from iepark.careers.models import Application, Interview, Offer, Posting, StudentProfile
from iepark.careers.notifications import notify
from iepark.careers.testing import make_application, make_offer, make_posting
from iepark.testing import ApiAccessSuite

from .helpers import in_days, make_interview, make_student, other_park_posting, soon


def _posting(world, title, enterprise=None, **fields) -> Posting:
    """Return the posting titled ``title``, made once (payload builders are called more than once)."""
    return Posting.objects.filter(title=title).first() or make_posting(world, enterprise, title=title, **fields)


def _application(world, title, student=None, status=ApplicationStatus.INTERVIEW, enterprise=None) -> Application:
    posting = _posting(world, title, enterprise)
    student = student or world.a_student
    return Application.objects.filter(posting=posting, student=student).first() or make_application(
        posting, student, status=status
    )


class TestCareerProfileAccess(ApiAccessSuite):
    basename = "studentprofile"
    readers = ("college_a_admin", "student_a")
    readonly = ("committee", "coordinator", "park_admin", "teacher_a")
    writer = "manager_a"
    outsiders = ("student_b", "college_b_admin", "hr_e1", "hr_e2", "mentor_e1", "operator", "other_admin", "outsider")
    page_list, page_detail, page_edit = "studentprofile_list", "studentprofile_detail", "studentprofile_edit"

    def own(self, world):
        return StudentProfile.objects.get_or_create(student=world.a_student, defaults={"skills": "DCS"})[0]

    def _new_student(self, world):
        from iepark.core.models import Student

        return Student.objects.filter(student_number="S0001").first() or make_student(world, 1)

    def create_payload(self, world):
        return {"student": self._new_student(world).pk, "skills": "焊接", "open_to_offers": True}

    def update_payload(self, world, obj):
        return {"preferred_places": "五彩湾"}

    def foreign_payload(self, world):
        return {"student": world.b_student.pk, "skills": "焊接"}

    def invalid_payload(self, world):
        return {"student": self._new_student(world).pk, "earliest_start": "next spring"}, "earliest_start"

    def make_many(self, world, n, start):
        for i in range(n):
            StudentProfile.objects.create(student=make_student(world, start + i, login=False), skills="x")


class TestApplicationAccess(ApiAccessSuite):
    basename = "application"
    readers = ("hr_e1", "student_a", "college_a_admin")
    readonly = ("mentor_e1", "manager_a", "teacher_a", "committee", "coordinator", "park_admin")
    writer = "student_a"
    outsiders = ("hr_e2", "student_b", "college_b_admin", "operator", "other_admin", "outsider")
    page_list, page_detail = "application_list", "application_detail"

    def own(self, world):
        return _application(world, "化工操作工", status=ApplicationStatus.APPLIED)

    def create_payload(self, world):
        return {"posting": _posting(world, "DCS 操作员").pk, "cover_letter": "我想应聘。"}

    def foreign_payload(self, world):
        posting = Posting.objects.filter(title="外园岗位").first() or other_park_posting(world)
        return {"posting": posting.pk, "cover_letter": "?"}

    def invalid_payload(self, world):
        closed = _posting(world, "已截止岗位", closes_on=in_days(-1))
        return {"posting": closed.pk, "cover_letter": "x"}, "posting"

    def make_many(self, world, n, start):
        posting = _posting(world, "批量岗位")
        for i in range(n):
            make_application(posting, make_student(world, start + i, login=False))


class TestInterviewAccess(ApiAccessSuite):
    basename = "interview"
    readers = ("hr_e1", "student_a", "college_a_admin")
    readonly = ("mentor_e1", "committee", "coordinator")
    writer = "hr_e1"
    outsiders = ("hr_e2", "student_b", "college_b_admin", "operator", "other_admin", "outsider")
    page_list, page_detail = "interview_list", "interview_detail"

    def own(self, world):
        return Interview.objects.filter(location="Room 1").first() or make_interview(
            _application(world, "化工操作工"), location="Room 1"
        )

    def create_payload(self, world):
        application = _application(world, "面试岗位")
        return {"application": application.pk, "starts_at": soon(5).isoformat(), "location": "行政楼 2 楼"}

    def foreign_payload(self, world):
        application = _application(world, "E2 岗位", world.b_student, enterprise=world.enterprise_2)
        return {"application": application.pk, "starts_at": soon(5).isoformat(), "location": "x"}

    def invalid_payload(self, world):
        return dict(self.create_payload(world), starts_at=soon(-2).isoformat()), "starts_at"

    def make_many(self, world, n, start):
        for i in range(n):
            application = make_application(
                _posting(world, "化工操作工"),
                make_student(world, start + i, login=False),
                status=ApplicationStatus.INTERVIEW,
            )
            make_interview(application)


class TestOfferAccess(ApiAccessSuite):
    basename = "offer"
    readers = ("hr_e1", "student_a", "college_a_admin")
    readonly = ("mentor_e1", "committee", "coordinator", "manager_a")
    writer = "hr_e1"
    outsiders = ("hr_e2", "student_b", "college_b_admin", "operator", "other_admin", "outsider")
    page_list, page_detail = "offer_list", "offer_detail"

    def own(self, world):
        application = _application(world, "化工操作工")
        return Offer.objects.filter(application=application).first() or make_offer(application)

    def _payload(self, application):
        return {
            "application": application.pk,
            "post": "DCS 操作员",
            "monthly_pay": 6500,
            "contract_type": "fixed_term",
            "start_date": in_days(60).isoformat(),
            "deadline": in_days(10).isoformat(),
        }

    def create_payload(self, world):
        return self._payload(_application(world, "录用岗位"))

    def foreign_payload(self, world):
        return self._payload(_application(world, "E2 岗位", world.b_student, enterprise=world.enterprise_2))

    def invalid_payload(self, world):
        return dict(self.create_payload(world), deadline=in_days(-3).isoformat()), "deadline"

    def make_many(self, world, n, start):
        for i in range(n):
            application = make_application(
                _posting(world, "化工操作工"),
                make_student(world, start + i, login=False),
                status=ApplicationStatus.INTERVIEW,
            )
            make_offer(application)


class TestNotificationAccess(ApiAccessSuite):
    basename = "notification"
    readers = ("student_a",)
    outsiders = ("student_b", "hr_e1", "park_admin", "college_a_admin", "committee", "other_admin", "outsider")
    page_list = "notification_list"

    def own(self, world):
        return notify([world.student_a], NotificationKind.APPLICATION_MOVED, {"posting": "x", "status": "screened"})[0]

    def make_many(self, world, n, start):
        for i in range(n):
            notify([world.student_a], NotificationKind.INTERVIEW_PROPOSED, {"enterprise": "E1", "posting": str(i)})
