"""URLs of the core pages: sign-in, home, language, and the object pages of the core models."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .generic_views import object_urlpatterns_from
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
    *object_urlpatterns_from("organisations", Organisation, views),
    *object_urlpatterns_from("people", Person, views),
    path("people/<int:pk>/login-account/", views.person_login, name="person_login"),
    *object_urlpatterns_from("memberships", Membership, views),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    *object_urlpatterns_from("majors", Major, views),
    *object_urlpatterns_from("students", Student, views),
    *object_urlpatterns_from("teachers", Teacher, views),
    path("audit/", views.AuditEventListView.as_view(), name="auditevent_list"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/cancel/", views.job_cancel, name="job_cancel"),
]
