"""Loads the demo data into an empty database and prints the demo sign-ins."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from sponsorship.licences.demo import DEMO_PASSWORD, demo_sign_ins, load_demo_data
from sponsorship.licences.models import Sponsor


class Command(BaseCommand):
    help = "Load the demo sponsors, users and messages when the database has no sponsor yet."

    def handle(self, *args: Any, **options: Any) -> None:
        if Sponsor.objects.exists():
            self.stdout.write("The database already has data: demo data not loaded again.")
        else:
            load_demo_data()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD})")
        for organisation, name, level, user_id in demo_sign_ins():
            self.stdout.write(f"  {user_id:<11} {name:<22} {level:<34} {organisation}")
        self.stdout.write("")
        self.stdout.write(
            f"Passcodes are e-mailed: open the newest file in {settings.EMAIL_FILE_PATH}/ "
            "(the server log names it too)."
        )
