from lms.admin.roster import decode_upload, parse_roster

ORGS = {"northbridge survivor support": "Northbridge Survivor Support"}
HEADER = "name,email,organisation,specialism,jurisdiction\n"


def parse(text, existing=(), enrolled=()):
    return parse_roster(text, organisations=ORGS, existing_emails=set(existing),
                        enrolled_emails=set(enrolled))


def test_valid_rows_are_read_with_labels_or_keys():
    roster = parse(HEADER
                   + "Kofi Mensah,Kofi@Example.org,northbridge survivor support,"
                     "Modern slavery,Scotland\n"
                   + "Ann Lee,ann@example.org,,domestic_abuse,England and Wales\n")
    assert roster.valid
    first, second = roster.rows
    assert (first.email, first.organisation, first.specialism, first.jurisdiction) == (
        "kofi@example.org", "Northbridge Survivor Support", "modern_slavery", "scotland")
    assert (second.organisation, second.specialism, second.line) == ("", "domestic_abuse", 3)


def test_every_bad_row_is_reported_by_row_number_and_nothing_is_valid():
    roster = parse(HEADER
                   + "Good Person,good@example.org,,stalking,Scotland\n"
                   + ",not-an-email,Nowhere Ltd,astrology,Wales\n"
                   + "Dup,good@example.org,,stalking,Scotland\n")
    assert not roster.valid
    lines = dict(roster.errors)
    assert set(lines) == {3, 4}
    assert "Name is missing" in lines[3]
    assert "not an email address" in lines[3]
    assert "no host organisation is called 'Nowhere Ltd'" in lines[3]
    assert "specialism 'astrology'" in lines[3]
    assert "jurisdiction 'Wales'" in lines[3]
    assert "also on row 2" in lines[4]


def test_missing_columns_and_empty_files_are_explained():
    assert "Missing: jurisdiction" in parse("name,email,organisation,specialism\n").errors[0][1]
    assert parse("").errors == [(None, "The file is empty.")]
    assert "no people" in parse(HEADER).errors[0][1]


def test_people_already_on_the_cohort_are_refused_and_existing_accounts_noted():
    roster = parse(HEADER + "A B,ab@example.org,,stalking,Scotland\n", enrolled={"ab@example.org"})
    assert "already enrolled" in roster.errors[0][1]
    roster = parse(HEADER + "A B,ab@example.org,,stalking,Scotland\n", existing={"ab@example.org"})
    assert roster.rows[0].existing_account


def test_uploads_are_checked_by_content():
    assert decode_upload("\ufeffname\n".encode()) == "name\n"
    for data in (b"%PDF-1.7\x00\x00binary", "café".encode("latin-1")):
        try:
            decode_upload(data)
        except ValueError as error:
            assert "CSV" in str(error)
        else:
            raise AssertionError("binary or non-UTF-8 upload accepted")
