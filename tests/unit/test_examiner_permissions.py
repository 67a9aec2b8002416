"""Who reads a script in the moderation sample, and who writes the examiner's report."""

from dataclasses import dataclass, field

import pytest

from lms.assessments.permissions import can_read_script, can_write_examiner_report


@dataclass
class Person:
    roles: set = field(default_factory=set)

    def has_role(self, role):
        return role in self.roles


@dataclass
class Work:
    state: str = "marked"


@pytest.mark.parametrize(("roles", "state", "in_sample", "allowed"), [
    ({"examiner"}, "marked", True, True),
    ({"examiner"}, "marked", False, False),      # outside the sample
    ({"examiner"}, "draft", True, False),
    ({"moderator"}, "in_marking", False, True),  # moderators read any submitted work
    ({"moderator"}, "draft", False, False),
    ({"marker"}, "marked", True, False),         # markers read their allocations elsewhere
    ({"admin"}, "marked", True, False),
    ({"trainee"}, "released", True, False),
])
def test_who_reads_a_script(roles, state, in_sample, allowed):
    assert can_read_script(Person(roles), Work(state), in_sample) is allowed


@pytest.mark.parametrize(("roles", "allowed"), [
    ({"examiner"}, True), ({"moderator"}, False), ({"marker"}, False), ({"admin"}, False),
    ({"moderator", "examiner"}, True)])
def test_only_examiners_write_the_report(roles, allowed):
    assert can_write_examiner_report(Person(roles)) is allowed
