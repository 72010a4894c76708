"""URLs of the core pages: sign-in, home, language, and the object pages of the core models."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .generic_views import object_urlpatterns
from .models import Major, Membership, Organisation, Person, Student, Teacher

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("", include("iepark.core.urls_io")),
    *object_urlpatterns(
        "organisations",
        Organisation,
        list_view=views.OrganisationListView,
        detail_view=views.OrganisationDetailView,
        edit_view=views.OrganisationEditView,
        delete_view=views.OrganisationDeleteView,
        history_view=views.OrganisationHistoryView,
    ),
    *object_urlpatterns(
        "people",
        Person,
        list_view=views.PersonListView,
        detail_view=views.PersonDetailView,
        edit_view=views.PersonEditView,
        delete_view=views.PersonDeleteView,
        history_view=views.PersonHistoryView,
    ),
    path("people/<int:pk>/login-account/", views.person_login, name="person_login"),
    *object_urlpatterns(
        "memberships",
        Membership,
        list_view=views.MembershipListView,
        detail_view=views.MembershipDetailView,
        edit_view=views.MembershipEditView,
        delete_view=views.MembershipDeleteView,
        history_view=views.MembershipHistoryView,
    ),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    *object_urlpatterns(
        "majors",
        Major,
        list_view=views.MajorListView,
        detail_view=views.MajorDetailView,
        edit_view=views.MajorEditView,
        delete_view=views.MajorDeleteView,
        history_view=views.MajorHistoryView,
    ),
    *object_urlpatterns(
        "students",
        Student,
        list_view=views.StudentListView,
        detail_view=views.StudentDetailView,
        edit_view=views.StudentEditView,
        delete_view=views.StudentDeleteView,
        history_view=views.StudentHistoryView,
    ),
    *object_urlpatterns(
        "teachers",
        Teacher,
        list_view=views.TeacherListView,
        detail_view=views.TeacherDetailView,
        edit_view=views.TeacherEditView,
        delete_view=views.TeacherDeleteView,
        history_view=views.TeacherHistoryView,
    ),
    path("audit/", views.AuditEventListView.as_view(), name="auditevent_list"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/cancel/", views.job_cancel, name="job_cancel"),
]
