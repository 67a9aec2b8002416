"""The register of accredited organisations: organisations, never people, browsable by nation
and region, with each one's status and valid-until date."""

from datetime import date, timedelta

from lms.accreditation import orgrules
from lms.formatting import uk_date
from lms.organisations.models import Employment
from tests.integration.courses.test_query_counts import count_queries

TODAY = date.today()
VALID_UNTIL = uk_date(orgrules.default_valid_until(TODAY - timedelta(days=365)))


def rows(page: str) -> list[str]:
    body = page.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in page else ""
    return [" ".join(cell.split("</td>")[0].strip() for cell in row.split("<td>")[1:])
            for row in body.split("<tr>")[1:]]


def register(create_organisation):
    create_organisation("Harbour Light Advocacy", nation="scotland",
                        region="Highlands and Islands")
    create_organisation("Clyde Survivor Network", status="conditions", nation="scotland",
                        region="Glasgow")
    create_organisation("Taff Valley Support", status="suspended", nation="wales",
                        region="South Wales")
    create_organisation("Northbridge Survivor Support", nation="england", region="North East")
    # Not on the register: expired, applying, never applied.
    create_organisation("Old Quay Trust", status="lapsed", nation="england",
                        region="North East")
    create_organisation("New Dawn Project", status="applying", nation="england")
    create_organisation("Quiet Lane Charity", status="not_applied", nation="scotland",
                        region="Glasgow")


def test_the_register_lists_accredited_conditional_and_suspended_organisations_only(
        client, create_organisation):
    register(create_organisation)
    page = client.get("/organisations/register").get_data(as_text=True)
    assert rows(page) == [
        f"Northbridge Survivor Support England North East Accredited {VALID_UNTIL}",
        "Taff Valley Support Wales South Wales Accreditation suspended "
        "Not valid while suspended",
        f"Clyde Survivor Network Scotland Glasgow Accredited, with conditions {VALID_UNTIL}",
        f"Harbour Light Advocacy Scotland Highlands and Islands Accredited {VALID_UNTIL}",
    ]
    assert "All nations: 4 organisations" in page
    for absent in ("Old Quay Trust", "New Dawn Project", "Quiet Lane Charity"):
        assert absent not in page


def test_the_register_is_browsed_by_nation_and_then_region(client, create_organisation):
    register(create_organisation)
    scotland = client.get("/organisations/register?nation=scotland").get_data(as_text=True)
    assert [row.split(" Scotland ")[0] for row in rows(scotland)] == [
        "Clyde Survivor Network", "Harbour Light Advocacy"]
    assert "Scotland: 2 organisations" in scotland
    # Region links for the regions on the register in that nation, as plain links.
    assert ('<a href="/organisations/register?nation=scotland&amp;region=Glasgow">Glasgow</a>'
            in scotland)
    assert "South Wales" not in scotland
    glasgow = client.get("/organisations/register?nation=scotland&region=Glasgow")
    assert [row.split(" ")[0] for row in rows(glasgow.get_data(as_text=True))] == ["Clyde"]
    assert "Glasgow, Scotland: 1 organisation" in glasgow.get_data(as_text=True)
    ireland = client.get("/organisations/register?nation=northern_ireland")
    assert "No organisation in Northern Ireland is on the register" in ireland.get_data(
        as_text=True)
    assert client.get("/organisations/register?nation=atlantis").status_code == 404
    assert client.get("/organisations/register?nation=wales&region=Glasgow").status_code == 404


def test_the_register_names_no_people(app, client, create_organisation, create_user):
    from lms.extensions import db

    org = create_organisation("Harbour Light Advocacy", nation="scotland")
    advocate = create_user("advocate", name="Amira Haddad")
    with app.app_context():
        db.session.add(Employment(user_id=advocate.id, organisation_id=org.id,
                                  start_date=TODAY - timedelta(days=30)))
        db.session.commit()
    page = client.get("/organisations/register").get_data(as_text=True)
    assert "Harbour Light Advocacy" in page
    assert "Amira Haddad" not in page and "advocate" not in rows(page)[0].casefold()


def test_the_register_costs_the_same_queries_however_many_organisations(
        app, client, create_organisation):
    create_organisation("First Organisation")

    def measure():
        with count_queries(app) as statements:
            assert client.get("/organisations/register").status_code == 200
        return len(statements)

    one = measure()
    for n in range(5):
        create_organisation(f"Organisation {n}", status="conditions" if n % 2 else "accredited",
                            nation="wales", region=f"Region {n}")
    assert measure() == one
