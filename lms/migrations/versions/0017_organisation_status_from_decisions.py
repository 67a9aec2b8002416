"""An organisation's accreditation is computed from decisions: the typed label goes

Each organisation's label becomes the records that give the same status today: "accredited"
an accreditation decision from today for the default term, "suspended" that and a suspension,
"lapsed" an accreditation that ended yesterday, "applying" an application in draft. Every
carried-over decision says so in its reasons. Downgrading restores the label from the status
the decisions give on the day.

Revision ID: 0017
Revises: 0016
"""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

CARRIED = "Carried over on {day} from the status recorded before decisions were kept."


def _term_end(start: date) -> date:
    try:
        end = start.replace(year=start.year + 3)
    except ValueError:
        end = date(start.year + 3, 3, 1)
    return end - timedelta(days=1)


def upgrade() -> None:
    bind = op.get_bind()
    today = date.today()
    now = datetime.now(UTC)
    reasons = CARRIED.format(day=f"{today.day} {today:%B %Y}")
    organisations = sa.table("host_organisations", sa.column("id", sa.Integer),
                             sa.column("accreditation_status", sa.String))
    decisions = sa.table(
        "org_decisions", sa.column("organisation_id", sa.Integer),
        sa.column("kind", sa.String), sa.column("effective_on", sa.Date),
        sa.column("valid_until", sa.Date), sa.column("reasons", sa.Text),
        sa.column("conditions", sa.Text), sa.column("decided_at", sa.DateTime(timezone=True)))
    applications = sa.table(
        "org_applications", sa.column("organisation_id", sa.Integer),
        sa.column("kind", sa.String), sa.column("status", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)), sa.column("version", sa.Integer))
    rows = bind.execute(sa.select(organisations.c.id, organisations.c.accreditation_status))
    for org_id, status in rows.all():
        made = []
        if status in {"accredited", "suspended"}:
            made.append(("accredited", today, _term_end(today)))
        if status == "suspended":
            made.append(("suspended", today, None))
        if status == "lapsed":
            start = _term_end(today - timedelta(days=1)).replace(year=today.year - 3)
            made.append(("accredited", start, today - timedelta(days=1)))
        for kind, effective_on, valid_until in made:
            bind.execute(decisions.insert().values(
                organisation_id=org_id, kind=kind, effective_on=effective_on,
                valid_until=valid_until, reasons=reasons, conditions="", decided_at=now))
        if status == "applying":
            bind.execute(applications.insert().values(
                organisation_id=org_id, kind="initial", status="draft", created_at=now,
                version=1))
    # A plain DROP COLUMN (SQLite 3.35 and later have it): a batch copy of the table would
    # drop host_organisations while decisions now point at it, which foreign keys refuse.
    op.drop_column("host_organisations", "accreditation_status")


def downgrade() -> None:
    op.add_column("host_organisations",
                  sa.Column("accreditation_status", sa.String(length=32),
                            server_default="not_applied", nullable=False))
    bind = op.get_bind()
    today = date.today()
    latest = {}
    for org_id, kind, effective_on, valid_until in bind.execute(sa.text(
            "SELECT organisation_id, kind, effective_on, valid_until FROM org_decisions "
            "ORDER BY effective_on, id")).all():
        if isinstance(effective_on, str):
            effective_on = date.fromisoformat(effective_on)
        if isinstance(valid_until, str):
            valid_until = date.fromisoformat(valid_until)
        if effective_on > today:
            continue
        if kind in {"accredited", "accredited_conditions"}:
            latest[org_id] = "accredited" if (valid_until or today) >= today else "lapsed"
        elif kind == "suspended":
            latest[org_id] = "suspended"
        elif kind == "lifted":
            latest[org_id] = "accredited"
        elif kind in {"declined", "withdrawn"}:
            latest[org_id] = "not_applied"
    applying = {row[0] for row in bind.execute(sa.text(
        "SELECT organisation_id FROM org_applications WHERE decided_at IS NULL")).all()}
    for org_id in applying - set(latest):
        latest[org_id] = "applying"
    for org_id, status in latest.items():
        bind.execute(sa.text("UPDATE host_organisations SET accreditation_status = :s "
                             "WHERE id = :i"), {"s": status, "i": org_id})
