"""Who may download a certificate's Open Badges credential."""

from dataclasses import dataclass, field

import pytest

from lms.certs.badges import can_download_credential


@dataclass
class Person:
    id: int
    roles: set = field(default_factory=set)

    def has_role(self, role):
        return role in self.roles


@dataclass
class Cert:
    user_id: int | None
    organisation_id: int | None = None


@pytest.mark.parametrize(("person", "cert", "administered", "allowed"), [
    (Person(1), Cert(1), set(), True),  # the holder
    (Person(2), Cert(1), set(), False),  # someone else
    (Person(2, {"org_admin"}), Cert(1, 7), {7}, True),  # an admin of its organisation
    (Person(2, {"org_admin"}), Cert(1, 7), {8}, False),  # an admin of another one
    (Person(2, {"org_admin"}), Cert(1, None), {7}, False),
    (Person(3, {"admin"}), Cert(1), set(), True),  # staff who issue and revoke
    (Person(3, {"marker", "moderator", "examiner"}), Cert(1), set(), False),
    (Person(4), Cert(None, 7), set(), False),  # no holder matches nobody
])
def test_holder_organisation_admins_and_admins_only(person, cert, administered, allowed):
    assert can_download_credential(person, cert, administered) is allowed
