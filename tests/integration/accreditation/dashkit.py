"""People for the organisation dashboard and bulk check tests: org admins, and advocates with
an award, a place on the register and (by default) accreditation confirmed."""

from datetime import date, timedelta

from lms.extensions import db

TODAY = date.today()


def employ(app, user, org, *, days=700, job_title="", ended_days_ago=None):
    from lms.organisations.models import Employment

    with app.app_context():
        db.session.add(Employment(
            user_id=user.id, organisation_id=org.id, job_title=job_title,
            start_date=TODAY - timedelta(days=days),
            end_date=TODAY - timedelta(days=ended_days_ago) if ended_days_ago else None))
        db.session.commit()


def org_admin_of(app, create_user, org, **fields):
    admin = create_user("org_admin", **fields)
    employ(app, admin, org)
    return admin


def advocate_at(app, create_user, org, name, *, specialism="modern_slavery", accredit=True,
                withheld=False, cpd_minutes=0, role="advocate", days=700):
    """An advocate employed by `org` with a PG Cert award and a register number; returns
    (user, number)."""
    from lms.accreditation import services
    from lms.auth.models import User
    from lms.cpd.models import CpdEntry

    person = create_user(role, name=name)
    if org is not None:
        employ(app, person, org, days=days, job_title="IMSA")
    with app.app_context():
        user = db.session.get(User, person.id)
        services.record_award(user, specialism, TODAY - timedelta(days=330), actor=None)
        if accredit:
            services.decide_for_advocate(user, "accredit", TODAY - timedelta(days=300),
                                         actor=None, reason="Initial conditions met.")
        if withheld:
            services.set_withheld(user, True, actor=None, reason="At risk.")
        if cpd_minutes:
            db.session.add(CpdEntry(user_id=user.id, status="logged", title="Workshop",
                                    start=TODAY - timedelta(days=3), minutes=cpd_minutes,
                                    activity="formal_training"))
        db.session.commit()
        number = services.register_entries_of([user.id])[user.id].number
    return person, number
