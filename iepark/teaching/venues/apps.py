from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenuesConfig(AppConfig):
    name = "iepark.teaching.venues"
    label = "venues"
    verbose_name = _("Venue booking")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Policy rules and notification texts register themselves on import; the demo park gets its bookings.
        from iepark.core.demo.builder import register_demo_extension

        from . import demo, notifications, policy  # noqa: F401

        register_demo_extension(demo.build)
