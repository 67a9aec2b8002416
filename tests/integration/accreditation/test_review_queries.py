"""The queue, the review page and the organisation's page cost the same number of queries
however many applications, messages, reviewers and files there are."""

from datetime import date

from lms.extensions import db
from tests import filekit
from tests.integration.accreditation.apply_kit import (
    answer_of,
    draft_application,
    org_with_admin,
    review_all,
    save,
    signed_in,
    submitted_application,
)
from tests.integration.courses.test_query_counts import count_queries


def _queries(app, client, url):
    client.get(url)
    with count_queries(app) as statements:
        assert client.get(url).status_code == 200, url
    return len(statements)


def _grow(app, create_user, application_id, n):
    """n more staff reviewing, and n messages from each side."""
    from lms.accreditation import applications as apps
    from lms.auth.models import User

    for _i in range(n):
        review_all(app, application_id, create_user("moderator"), verdict="more_info")
    with app.app_context():
        application = apps.load(application_id)
        admin_id = application.submitted_by_id
        for i in range(n):
            for user_id, staff in ((admin_id, False), (application.answers[0].reviewed_by_id,
                                                       True)):
                apps.post_message(application, author=db.session.get(User, user_id),
                                  body=f"Message {i}", criterion="complaints",
                                  from_staff=staff, today=date.today())
        db.session.commit()


def test_pages_do_not_grow_with_the_data(app, create_user, create_organisation):
    counts = {}
    staff = signed_in(app, create_user("moderator"))
    for n in (1, 4):
        org, admin = org_with_admin(app, create_user, create_organisation, name=f"Org {n}",
                                    admin_name=f"Admin {n}")
        draft_application(app, org, admin)
        client = signed_in(app, admin)
        for key in ("safeguarding", "complaints")[: 1 if n == 1 else 2]:
            for _ in range(n):
                save(client, org, key, "With files.", version=answer_of(app, org, key).version,
                     attachment=(filekit.pdf(), "policy.pdf"))
        from lms.accreditation import applications as apps
        from lms.auth.models import User

        with app.app_context():
            apps.submit(apps.load(apps.latest_application(org.id).id),
                        actor=db.session.get(User, admin.id))
            db.session.commit()
            application_id = apps.latest_application(org.id).id
        for k in range(n):
            other, other_admin = org_with_admin(app, create_user, create_organisation,
                                                name=f"Queue {n}-{k}", admin_name="Q")
            submitted_application(app, other, other_admin)
        _grow(app, create_user, application_id, n)
        counts[n] = (_queries(app, staff, "/staff/organisations/applications"),
                     _queries(app, staff, f"/staff/organisations/applications/{application_id}"),
                     _queries(app, client, f"/organisations/{org.id}/application"),
                     _queries(app, client, f"/organisations/{org.id}/application/criteria/"
                                           "complaints"))
    assert counts[1] == counts[4], counts
    assert min(counts[1]) > 3  # the pages read the database at all
