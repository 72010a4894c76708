from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "iepark.teaching.attendance"
    label = "attendance"
    verbose_name = _("Attendance")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Policy rules and notification texts register themselves on import; the demo park gets
        # a few weeks of attendance and some leave requests.
        from iepark.core.demo.builder import register_demo_extension

        from . import demo, notifications, policy  # noqa: F401

        register_demo_extension(demo.build)
