"""flask --app lms cpd ...: CPD jobs run from the command line (or cron) until background
work lands (issue 13)."""

from datetime import date

import click
from flask import Flask

from lms.formatting import plural, uk_date


def register_cpd_cli(app: Flask) -> None:
    @app.cli.group()
    def cpd():
        """CPD jobs: reminders, and entries for modules completed on the platform."""

    @cpd.command("reminders")
    @click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  help="Run as if on this day (YYYY-MM-DD); default today.")
    def cpd_reminders(today):
        """Email the CPD reminders due today (90, 30 and 7 days before a year ends, not met)."""
        from lms.cpd.reminders import send_due_reminders
        from lms.extensions import db

        day = today.date() if today else date.today()
        sent = send_due_reminders(day)
        db.session.commit()
        click.echo(f"{plural(sent, 'CPD reminder')} sent ({uk_date(day)}).")

    @cpd.command("backfill-modules")
    def cpd_backfill_modules():
        """Make the CPD entries for modules completed before the platform made them."""
        from lms.cpd.module_entries import backfill_module_entries
        from lms.extensions import db

        made = backfill_module_entries()
        db.session.commit()
        click.echo(f"Made {plural(made, 'CPD entry', 'CPD entries')} for modules completed "
                   "on the platform.")
