"""``manage.py consultation_tick``: meeting and action-item reminders, escalation of overdue issues (run daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from iepark.core.models import Park


class Command(BaseCommand):
    help = (
        "Remind participants of meetings within a day and owners of action items due soon or overdue, and put "
        "overdue major issues on the agenda of the next contact meeting. Safe to run repeatedly."
    )

    def add_arguments(self, parser):
        parser.add_argument("--park", help="Code of one park (all parks by default).")

    def handle(self, *args, **options):
        from iepark.governance.consultation.services import tick

        park = None
        if options.get("park"):
            park = Park.objects.filter(code=options["park"]).first()
            if park is None:
                raise CommandError(f"No park with code {options['park']!r}.")
        result = tick(actor=None, park=park)
        self.stdout.write(
            f"{result['meeting_reminders']} meeting reminders, {result['due_soon']} due-soon and "
            f"{result['overdue']} overdue action reminders, {result['escalated']} issues escalated."
        )
