from dataclasses import dataclass, field

import pytest

from lms.admin.permissions import can_change_active, can_change_roles, grantable_roles
from lms.organisations.permissions import can_view_organisation


@dataclass
class Person:
    id: int
    roles: set = field(default_factory=set)

    def has_role(self, role):
        return role in self.roles

    def has_any_role(self, roles):
        return bool(self.roles & set(roles))


def test_admins_grant_any_role_moderators_only_non_controlling_ones():
    assert "admin" in grantable_roles(Person(1, {"admin"}))
    assert grantable_roles(Person(1, {"moderator"})) == {"trainee", "marker", "examiner",
                                                          "org_admin"}
    assert grantable_roles(Person(1, {"marker"})) == frozenset()


@pytest.mark.parametrize(("actor_roles", "target_roles", "wanted", "allowed"), [
    ({"admin"}, {"trainee"}, {"trainee", "marker"}, True),
    ({"moderator"}, {"trainee"}, {"trainee", "marker"}, True),
    ({"moderator"}, {"trainee"}, {"trainee", "admin"}, False),
    ({"moderator"}, {"admin"}, set(), False),
    ({"marker"}, {"trainee"}, {"trainee", "marker"}, False),
])
def test_role_changes(actor_roles, target_roles, wanted, allowed):
    assert can_change_roles(Person(1, actor_roles), Person(2, target_roles), wanted) is allowed


def test_an_admin_cannot_remove_their_own_admin_role_or_deactivate_themselves():
    me = Person(1, {"admin"})
    assert not can_change_roles(me, me, set())
    assert not can_change_active(me, me)
    assert can_change_active(me, Person(2))


def test_org_admins_see_only_organisations_they_work_for():
    org_admin = Person(1, {"org_admin"})
    assert can_view_organisation(org_admin, 7, {7})
    assert not can_view_organisation(org_admin, 8, {7})
    assert not can_view_organisation(Person(2, {"trainee"}), 7, {7})
    assert can_view_organisation(Person(3, {"moderator"}), 8, set())


def test_attachments_are_for_the_author_their_markers_and_moderation_only():
    from types import SimpleNamespace

    from lms.assessments.permissions import can_download

    author, marker = Person(1, {"trainee"}), Person(2, {"marker"})
    examiner, stranger = Person(3, {"examiner"}), Person(4, {"trainee"})
    attachment = SimpleNamespace(owner_id=1)
    draft, submitted = SimpleNamespace(state="draft"), SimpleNamespace(state="submitted")
    assert can_download(author, attachment, draft, allocated=False)
    assert not can_download(marker, attachment, draft, allocated=True)
    assert can_download(marker, attachment, submitted, allocated=True)
    assert not can_download(marker, attachment, submitted, allocated=False)
    assert can_download(examiner, attachment, submitted, allocated=False, in_sample=True)
    assert not can_download(examiner, attachment, submitted, allocated=False)  # not sampled
    assert not can_download(stranger, attachment, submitted, allocated=False)
    assert not can_download(marker, attachment, None, allocated=False)  # extension evidence
    assert can_download(Person(5, {"moderator"}), attachment, None, allocated=False)
