"""Checks every audit chain and reports the first broken link of each."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sponsorship.audit.models import AuditChain
from sponsorship.audit.selectors import audit_chain_first_break


class Command(BaseCommand):
    help = "Verify the audit trail's hash chains; exit with an error at the first broken link."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--chain", help="Check one chain only, e.g. sponsor:12 or home-office.")

    def handle(self, *args: Any, **options: Any) -> None:
        chains = AuditChain.objects.order_by("key")
        if options["chain"]:
            chains = chains.filter(key=options["chain"])
        broken = 0
        checked = 0
        for chain in chains.iterator():
            checked += 1
            link = audit_chain_first_break(chain)
            if link is not None:
                broken += 1
                where = f"event id {link.event_id}" if link.event_id else "a missing event"
                self.stderr.write(
                    f"Broken: chain {link.chain}, position {link.seq} ({where}): {link.problem}."
                )
        if broken:
            raise CommandError(f"{broken} of {checked} audit chains are broken.")
        self.stdout.write(f"All {checked} audit chains verify.")
