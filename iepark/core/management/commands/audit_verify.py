"""Verify the audit hash chain and report the first broken link."""

from django.core.management.base import BaseCommand, CommandError

from iepark.core.audit import iter_chain_breaks
from iepark.core.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; exit 1 and name the first broken event if it does not verify."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="List every break, not only the first.")

    def handle(self, *args, **options):
        breaks = iter_chain_breaks()
        first = next(breaks, None)
        if first is None:
            self.stdout.write(self.style.SUCCESS(f"Audit chain verifies: {AuditEvent.objects.count()} events."))
            return
        self.stderr.write(f"First broken link: event {first.event_id}: {first.reason}")
        if options["all"]:
            for b in breaks:
                self.stderr.write(f"Also broken: event {b.event_id}: {b.reason}")
        raise CommandError("Audit chain is broken.")
