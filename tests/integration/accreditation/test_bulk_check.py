"""An accredited organisation checks up to 100 numbers at once, on screen and as CSV; withheld
entries are shown to it, the employer never is, and every check is recorded."""

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.accreditation.models import BulkCheck
from lms.extensions import db
from tests.conftest import csrf_token, sign_in
from tests.integration.accreditation.dashkit import TODAY, advocate_at, org_admin_of
from tests.integration.courses.test_query_counts import count_queries

UNKNOWN = "IMSA-2222-3333"


@pytest.fixture
def setting(app, create_user, create_organisation):
    """Northbridge's admin checks advocates employed by Eastgate, in Fife."""
    northbridge = create_organisation("Northbridge Survivor Support")
    eastgate = create_organisation("Eastgate Advocacy", region="Fife", nation="scotland")
    admin = org_admin_of(app, create_user, northbridge, name="Morgan Manager")
    ada, ada_number = advocate_at(app, create_user, eastgate, "Ada Quinn")
    wren, wren_number = advocate_at(app, create_user, eastgate, "Wren Hidden", withheld=True)
    isla, isla_number = advocate_at(app, create_user, eastgate, "Isla Stalking",
                                    specialism="stalking", accredit=False)
    client = app.test_client()
    sign_in(client, admin)
    return {"client": client, "url": f"/organisations/{northbridge.id}/check",
            "org": northbridge, "admin": admin, "ada": ada_number, "wren": wren_number,
            "isla": isla_number}


def check(client, url, numbers="", *, action="check", file=None):
    data = {"numbers": numbers, "action": action, "csrf_token": csrf_token(client, url)}
    if file is not None:
        data["file"] = file
    return client.post(url, data=data, content_type="multipart/form-data")


def answers_table(page: str) -> str:
    match = re.search(r'aria-label="Answers".*?</table>', page, re.S)
    assert match, page[:2000]
    return match.group(0)


def checks(app):
    with app.app_context():
        return db.session.scalars(select(BulkCheck).order_by(BulkCheck.id)).all()


def test_numbers_are_answered_on_screen_with_withheld_entries_and_no_employer(app, setting):
    typed = (f"{setting['ada'].lower().replace('-', ' ')}\n{setting['wren']}, {UNKNOWN}\n"
             f"IMSA-OOOO-1111;{setting['isla']}")
    response = check(setting["client"], setting["url"], typed)
    assert response.status_code == 200
    table = answers_table(response.get_data(as_text=True))
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    cells = [re.findall(r"<td>(?:<strong>)?(.*?)(?:</strong>)?</td>", row, re.S) for row in rows]
    until = cells[0][5]
    assert cells == [
        [setting["ada"].lower().replace("-", " "), setting["ada"], "Ada Quinn", "Accredited",
         "modern slavery (IMSA)", until],
        [setting["wren"], setting["wren"], "Wren Hidden", "Accredited",
         "modern slavery (IMSA)", until],
        [UNKNOWN, UNKNOWN, "—", "No match", "—", "—"],
        ["IMSA-OOOO-1111", "—", "—", "Not a valid number", "—", "—"],
        [setting["isla"], setting["isla"], "Isla Stalking", "Qualified: stalking advocacy (ISA)",
         "stalking advocacy (ISA)", "—"],
    ]
    assert re.fullmatch(r"\d{1,2} \w+ \d{4}", until)
    page = response.get_data(as_text=True)
    assert "5 numbers checked" in page and "3 found on the register" in page
    assert "Eastgate" not in page and "Fife" not in page and "Scotland" not in page
    # What was checked stays in the box, so "Download CSV" posts the same numbers.
    assert f"{UNKNOWN}\nIMSA-OOOO-1111\n" in page


def test_the_csv_download_posts_the_form_and_neutralises_formulas(app, setting):
    typed = f"{setting['ada']}\n{setting['wren']}\n=HYPERLINK(\"http://x\")\n@SUM(A1)"
    response = check(setting["client"], setting["url"], typed, action="csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="accreditation-check-{TODAY.isoformat()}.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["Number as typed", "Accreditation number", "Name", "Status",
                       "Specialism", "Valid until"]
    assert rows[1][:5] == [setting["ada"], setting["ada"], "Ada Quinn", "Accredited",
                           "modern slavery (IMSA)"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", rows[1][5])
    assert rows[2][2] == "Wren Hidden"
    assert rows[3] == ["'=HYPERLINK(\"http://x\")", "", "", "Not a valid number", "", ""]
    assert rows[4][0] == "'@SUM(A1)"
    assert "Eastgate" not in response.get_data(as_text=True)
    assert [c.count for c in checks(app)] == [4]


def test_a_csv_or_text_file_is_read_with_anything_pasted(app, setting):
    data = f"\ufeffNumber\r\n{setting['ada']}\r\n{UNKNOWN}\r\n".encode()
    response = check(setting["client"], setting["url"], setting["wren"],
                     file=(io.BytesIO(data), "staff.csv"))
    assert response.status_code == 200
    table = answers_table(response.get_data(as_text=True))
    assert table.count("<tr>") == 5  # heading, pasted number, and three lines of the file
    assert "Wren Hidden" in table and "Ada Quinn" in table and "No match" in table
    assert "Not a valid number" in table  # the heading line, answered as typed
    response = check(setting["client"], setting["url"],
                     file=(io.BytesIO(setting["ada"].encode()), "numbers.txt"))
    assert "Ada Quinn" in answers_table(response.get_data(as_text=True))
    assert [c.count for c in checks(app)] == [4, 1]


@pytest.mark.parametrize("numbers, file, field, message", [
    ("", None, "numbers", "Enter at least one accreditation number, or choose a file."),
    ("\n".join(["IMSA-2222-3333"] * 101), None, "numbers",
     "You gave 101 numbers: check at most 100 at a time. Nothing was checked."),
    ("IMSA-2222-3333", (b"PK\x03\x04", "staff.xlsx"), "file",
     "The file must be a .csv or .txt file of accreditation numbers."),
    ("IMSA-2222-3333", (b"IMSA-2222-3333\n" * 2000, "big.csv"), "file",
     "The file is larger than 20 KB"),
    ("IMSA-2222-3333", (b"\x89PNG\r\n\x1a\n\x00\x00", "photo.txt"), "file",
     "The file is not a text file."),
])
def test_refused_input_comes_back_with_the_message_and_nothing_is_checked(
        app, setting, numbers, file, field, message):
    upload = (io.BytesIO(file[0]), file[1]) if file else None
    response = check(setting["client"], setting["url"], numbers, file=upload)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'<a href="#{field}">{message}' in page  # in the error summary, linked to the field
    assert f'id="{field}-error"' in page and 'aria-invalid="true"' in page
    assert 'aria-label="Answers"' not in page
    if numbers:
        assert f">\n{numbers}</textarea>" in page  # what was typed is kept
    assert checks(app) == []


def test_each_check_is_recorded_and_recent_checks_are_listed(app, setting):
    client, url = setting["client"], setting["url"]
    check(client, url, f"{setting['ada']} {UNKNOWN}")
    check(client, url, setting["ada"], action="csv")
    recorded = checks(app)
    assert [(c.user_id, c.count, c.organisation_id) for c in recorded] == [
        (setting["admin"].id, 2, setting["org"].id), (setting["admin"].id, 1, setting["org"].id)]
    page = client.get(url).get_data(as_text=True)
    recent = page.split("<h2>Recent checks</h2>")[1]
    assert recent.count("<td>Morgan Manager</td>") == 2
    assert re.search(r'<td class="numeric">1</td>.*<td class="numeric">2</td>', recent, re.S)
    assert setting["ada"] not in page  # the numbers themselves are never kept or shown again


def test_the_numbers_never_travel_in_an_address(app, setting):
    client, url = setting["client"], setting["url"]
    page = client.get(url).get_data(as_text=True)
    form = re.search(r"<form[^>]*>", page.split('id="main"')[1]).group(0)
    assert 'method="post"' in form and "action=" not in form
    assert 'value="csv"' in page and "Download CSV" in page
    response = check(client, url, setting["ada"])
    assert response.status_code == 200  # answered in place, not redirected to a GET
    assert f"?{setting['ada']}" not in response.get_data(as_text=True)
    assert client.get(f"{url}?numbers={setting['ada']}").get_data(as_text=True).count(
        "Ada Quinn") == 0


def test_a_hundred_numbers_cost_the_same_queries_as_one(app, create_user, setting):
    from tests.integration.accreditation.dashkit import advocate_at as add

    client, url = setting["client"], setting["url"]
    check(client, url, setting["ada"])  # warm
    token = csrf_token(client, url)

    def measured(numbers):
        with count_queries(app) as statements:
            response = client.post(url, data={"numbers": numbers, "action": "check",
                                              "csrf_token": token})
        assert response.status_code == 200
        return len(statements)

    one = measured(setting["ada"])
    more = [add(app, create_user, None, f"Extra {n}")[1] for n in range(5)]
    many = measured("\n".join([setting["ada"], setting["wren"], setting["isla"], *more,
                               *[f"IMSA-{n:04d}-2345".replace("0", "2").replace("1", "3")
                                 for n in range(92)]]))
    assert many == one


def test_an_advocate_who_left_their_employer_shows_the_status_that_follows(
        app, create_user, setting):
    from lms.organisations.models import Employment

    with app.app_context():
        db.session.query(Employment).filter(Employment.job_title == "IMSA").update(
            {"end_date": TODAY - timedelta(days=2)})
        db.session.commit()
    response = check(setting["client"], setting["url"], setting["ada"])
    table = answers_table(response.get_data(as_text=True))
    assert "Ada Quinn" in table and "Not practising: no accredited employer" in table


def test_bulk_checks_have_a_budget_per_person(app, setting, monkeypatch):
    """They see entries the public check withholds, so they cannot sweep the register."""
    monkeypatch.setitem(app.config, "BULK_CHECK_LIMITS", "2 per hour")
    client, url = setting["client"], setting["url"]
    replies = [check(client, url, setting["ada"]) for _ in range(3)]
    assert [r.status_code for r in replies] == [200, 200, 429]
    assert len(checks(app)) == 2  # the refused one checked and recorded nothing
