from assessments.anonymity import shows_name


def test_the_full_name_is_found_however_it_is_spaced_or_cased():
    assert shows_name("Prepared by JORDAN  ELLIS, trainee", "Jordan Ellis")
    assert shows_name("Jordan\nEllis\n12 November", "Jordan Ellis")
    assert shows_name("Signed: Siobhán Ní Bhriain", "Siobhán Ní Bhriain")


def test_parts_of_words_and_surnames_alone_are_not_names():
    assert not shows_name("I met Ms Ellis at the centre", "Jordan Ellis")
    assert not shows_name("Jordan Ellison", "Jordan Ellis")
    assert not shows_name("anything", "Cher")  # one-word names are not checked
    assert not shows_name("", "Jordan Ellis")
