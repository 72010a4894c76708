"""Notification kinds of contact meetings and major issues (in-app bell and e-mail), registered on import."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from iepark.careers.notifications import register_texts

from .choices import IssueStatus

MEETING_INVITED = "consultation.meeting_invited"
MEETING_CHANGED = "consultation.meeting_changed"
MEETING_CANCELLED = "consultation.meeting_cancelled"
MEETING_REMINDER = "consultation.meeting_reminder"
MINUTES_RECORDED = "consultation.minutes_recorded"
ACTION_ASSIGNED = "consultation.action_assigned"
ACTION_DUE_SOON = "consultation.action_due_soon"
ACTION_OVERDUE = "consultation.action_overdue"
ISSUE_RAISED = "consultation.issue_raised"
ISSUE_STATUS = "consultation.issue_status"
ISSUE_COMMENTED = "consultation.issue_commented"
ISSUE_ESCALATED = "consultation.issue_escalated"
ISSUE_NO_MEETING = "consultation.issue_no_meeting"

register_texts(
    {
        MEETING_INVITED: _("You are invited to the contact meeting “%(meeting)s” on %(time)s at %(place)s."),
        MEETING_CHANGED: _("The contact meeting “%(meeting)s” changed: now on %(time)s at %(place)s."),
        MEETING_CANCELLED: _("The contact meeting “%(meeting)s” on %(time)s is cancelled."),
        MEETING_REMINDER: _("Reminder: the contact meeting “%(meeting)s” starts on %(time)s at %(place)s."),
        MINUTES_RECORDED: _("The minutes of the contact meeting “%(meeting)s” are available."),
        ACTION_ASSIGNED: _("Action item for %(organisation)s: “%(action)s”, due %(due)s."),
        ACTION_DUE_SOON: _("The action item “%(action)s” is due on %(due)s."),
        ACTION_OVERDUE: _("The action item “%(action)s” was due on %(due)s and is overdue."),
        ISSUE_RAISED: _("%(organisation)s raised a major issue (%(severity)s): “%(issue)s”."),
        ISSUE_STATUS: _("The major issue “%(issue)s” is now: %(status)s."),
        ISSUE_COMMENTED: _("%(author)s wrote on the major issue “%(issue)s”."),
        ISSUE_ESCALATED: _("The overdue major issue “%(issue)s” was put on the agenda of “%(meeting)s”."),
        ISSUE_NO_MEETING: _(
            "The major issue “%(issue)s” is overdue and no contact meeting is scheduled: schedule one."
        ),
    },
    {ISSUE_STATUS: IssueStatus},
)
