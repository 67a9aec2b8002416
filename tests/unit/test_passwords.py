import pytest

from lms.auth.passwords import check_password, hash_password, password_problems


@pytest.mark.parametrize("password", ["short-pass1", "", "a" * 11])
def test_short_passwords_are_refused(password):
    assert "Use at least 12 characters." in password_problems(password)


@pytest.mark.parametrize("password", [
    "qwerty123456", "123456qwerty", "password1234", "Password123!!", "!!!password!!!",
    "aaaaaaaaaaaaaa", "abababababab",
])
def test_common_and_trivial_passwords_are_refused(password):
    assert any("too common" in p for p in password_problems(password))


def test_a_password_containing_the_persons_name_is_refused():
    problems = password_problems("tamsin-walks-the-dog", email="t.reade@example.org",
                                 name="Tamsin Reade")
    assert problems == ["Do not use your name or email address in your password."]


@pytest.mark.parametrize("password", ["correct-horse-battery-staple-9", "lighthouse tea orbit"])
def test_long_uncommon_passwords_are_accepted(password):
    assert password_problems(password, email="someone@example.org", name="Sam Jones") == []


def test_hash_is_scrypt_and_verifies_only_the_right_password():
    hashed = hash_password("lighthouse tea orbit")
    assert hashed.startswith("scrypt:")
    assert check_password(hashed, "lighthouse tea orbit")
    assert not check_password(hashed, "lighthouse tea orbiT")
    assert not check_password(None, "anything at all")
