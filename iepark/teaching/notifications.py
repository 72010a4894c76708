"""Notification texts of teaching, registered with the shared notifications (``iepark.careers.notifications``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from iepark.careers.notifications import register_texts

AGREEMENT_EXPIRING = "teaching.agreement_expiring"
TIMETABLE_PUBLISHED = "teaching.timetable_published"

register_texts(
    {
        AGREEMENT_EXPIRING: _("The cooperation agreement “%(agreement)s” ends on %(date)s, in %(days)s days."),
        TIMETABLE_PUBLISHED: _(
            "The timetable of %(term)s is published: see your week, or subscribe to it in your calendar."
        ),
    }
)
