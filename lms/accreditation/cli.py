"""flask --app lms accreditation ...: accreditation jobs run from the command line (or cron)
until background work lands (issue 13)."""

from datetime import date

import click
from flask import Flask


def register_accreditation_cli(app: Flask) -> None:
    @app.cli.group()
    def accreditation():
        """Accreditation jobs: reminders to organisations."""

    @accreditation.command("reminders")
    @click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  help="Run as if on this day (YYYY-MM-DD); default today.")
    def accreditation_reminders(today):
        """Email organisations the reminders due today (renewal window, 30 and 7 days before
        the term ends, term ended; yearly return due in 30 days, overdue), each once."""
        from lms.accreditation.renewals import send_due_reminders, summary
        from lms.extensions import db

        day = today.date() if today else date.today()
        counts = send_due_reminders(day)
        db.session.commit()
        click.echo(summary(counts, day))
