"""flask --app lms certificates ...: issue what is due in bulk, and remind holders before an
accreditation certificate expires. Running either again does nothing twice."""

from datetime import date

import click
from flask import Flask


def register_certificates_cli(app: Flask) -> None:
    @app.cli.group()
    def certificates():
        """Certificates: issue what is due, and remind holders before expiry."""

    @certificates.command("issue")
    @click.option("--cohort", "cohort_name", default=None, help="The cohort's name.")
    @click.option("--all", "everyone", is_flag=True, help="Every cohort and organisation.")
    @click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  help="Run as if on this day (YYYY-MM-DD); default today.")
    def issue(cohort_name, everyone, today):
        """Issue every certificate due to a cohort's people (or everyone's, with --all)."""
        from lms.certs.issuing import Tally, issue_due
        from lms.extensions import db

        if bool(cohort_name) == everyone:
            raise click.UsageError("Give either --cohort NAME or --all.")
        day = today.date() if today else date.today()
        people, orgs = _who(cohort_name)
        tally = Tally()
        with click.progressbar(people, label="Issuing certificates",
                               show_pos=True) as bar:
            for person in bar:
                found = issue_due([person], today=day)
                tally.issued += found.issued
                tally.already += found.already
                tally.not_due += found.not_due
        if orgs:
            found = issue_due(orgs=orgs, today=day)
            tally.issued += found.issued
            tally.already += found.already
            tally.not_due += found.not_due
        db.session.commit()
        click.echo(str(tally).capitalize() + ".")

    @certificates.command("remind")
    @click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  help="Run as if on this day (YYYY-MM-DD); default today.")
    def remind(today):
        """Email holders whose accreditation certificate expires within 30 days (once each)."""
        from lms.certs.reminders import send_expiry_reminders
        from lms.extensions import db
        from lms.formatting import plural

        sent = send_expiry_reminders(today.date() if today else date.today())
        db.session.commit()
        click.echo(f"{plural(sent, 'expiry reminder')} sent.")


def _who(cohort_name: str | None) -> tuple[list, list]:
    """The people (and, with --all, the organisations) a run covers."""
    from sqlalchemy import select

    from lms.auth.models import User
    from lms.cohorts.models import Cohort, Enrolment
    from lms.extensions import db
    from lms.organisations.models import HostOrganisation

    if cohort_name:
        cohort = db.session.scalar(select(Cohort).where(Cohort.name == cohort_name))
        if cohort is None:
            raise click.BadParameter(f"no cohort called {cohort_name!r}", param_hint="--cohort")
        return list(db.session.scalars(
            select(User).join(Enrolment, Enrolment.user_id == User.id)
            .where(Enrolment.cohort_id == cohort.id).order_by(User.id).distinct())), []
    from lms.accreditation.models import RegisterEntry

    enrolled = select(Enrolment.user_id)
    registered = select(RegisterEntry.user_id)
    people = list(db.session.scalars(select(User).where(
        User.id.in_(enrolled) | User.id.in_(registered)).order_by(User.id)))
    return people, list(db.session.scalars(select(HostOrganisation).order_by(HostOrganisation.id)))
