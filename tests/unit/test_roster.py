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


def test_people_already_on_the_cohort_are_set_aside_and_existing_accounts_noted():
    roster = parse(HEADER + "A B,ab@example.org,,stalking,Scotland\n"
                   + "C D,cd@example.org,,stalking,Scotland\n", enrolled={"ab@example.org"})
    assert roster.valid and roster.errors == []
    assert [(r.line, r.email) for r in roster.already_enrolled] == [(2, "ab@example.org")]
    assert [r.email for r in roster.rows] == ["cd@example.org"]
    only_enrolled = parse(HEADER + "A B,ab@example.org,,stalking,Scotland\n",
                          enrolled={"ab@example.org"})
    assert not only_enrolled.valid and only_enrolled.errors == []  # nothing to import
    roster = parse(HEADER + "A B,ab@example.org,,stalking,Scotland\n", existing={"ab@example.org"})
    assert roster.rows[0].existing_account


def test_an_enrolled_row_repeated_in_the_file_is_still_an_error():
    roster = parse(HEADER + "A B,ab@example.org,,stalking,Scotland\n"
                   + "A B,AB@example.org,,stalking,Scotland\n", enrolled={"ab@example.org"})
    assert not roster.valid and roster.errors == [(3, "The email ab@example.org is also on row 2.")]


def test_an_optional_student_id_column_is_read_and_checked():
    header = "Name,Email,Organisation,Specialism,Jurisdiction,Student ID\n"
    roster = parse(header + "A B,ab@example.org,,stalking,Scotland, S123 \n"
                   + "C D,cd@example.org,,stalking,Scotland,\n")
    assert [r.student_id for r in roster.rows] == ["S123", ""]
    assert parse(HEADER + "A B,ab@example.org,,stalking,Scotland\n").rows[0].student_id == ""
    roster = parse(header + "A B,ab@example.org,,stalking,Scotland,S1\n"
                   + "C D,cd@example.org,,stalking,Scotland,s1\n"
                   + "E F,ef@example.org,,stalking,Scotland," + "9" * 33 + "\n")
    assert dict(roster.errors) == {3: "Student ID s1 is also on row 2.",
                                   4: "Student ID is longer than 32 characters."}
    roster = parse_roster(header + "C D,cd@example.org,,stalking,Scotland,S1\n",
                          organisations=ORGS, existing_emails=set(), enrolled_emails=set(),
                          enrolled_student_ids={"s1": "ab@example.org"})
    assert roster.errors == [(2, "Student ID S1 belongs to ab@example.org, already enrolled "
                                 "on this cohort.")]


def test_uploads_are_checked_by_content():
    assert decode_upload("\ufeffname\n".encode()) == "name\n"
    for data in (b"%PDF-1.7\x00\x00binary", "café".encode("latin-1")):
        try:
            decode_upload(data)
        except ValueError as error:
            assert "CSV" in str(error)
        else:
            raise AssertionError("binary or non-UTF-8 upload accepted")
