"""The main navigation, built from what the signed-in person may use."""

from dataclasses import dataclass
from functools import cached_property

from flask import request, url_for
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    prefix: str

    @cached_property  # read twice an item on every page (the link and whether it is current)
    def url(self) -> str:
        return url_for(self.endpoint)

    @property
    def current(self) -> bool:
        return request.path == self.url or (self.prefix != "/" and
                                            request.path.startswith(self.prefix))


def main_nav() -> list[NavItem]:
    roles = current_user.roles
    items = [NavItem("Home", "home.index", "/")]
    if roles & {"trainee", "marker", "moderator", "examiner", "admin"}:
        items.append(NavItem("Your programme" if "trainee" in roles else "Modules",
                             "courses.programme", "/modules"))
    if "trainee" in roles:
        items.append(NavItem("Assessments", "assessments.index", "/assessments"))
    if roles & {"trainee", "advocate"}:
        items.append(NavItem("CPD", "cpd.year", "/cpd"))
        items.append(NavItem("Accreditation", "accreditation.advocate_status", "/accreditation"))
    if roles & {"marker", "moderator"}:
        items.append(NavItem("Marking", "assessments.queue", "/marking"))
    if roles & {"moderator", "examiner"}:
        items.append(NavItem("Assessments" if "examiner" not in roles else "Moderation",
                             "assessments.staff_index", "/staff/assessments"))
    if roles & {"marker", "moderator", "examiner", "admin"}:
        items.append(NavItem("Course content", "courses.staff_content", "/staff/content"))
    if roles & {"moderator", "examiner", "admin"}:
        items.append(NavItem("CPD audits", "cpd.staff_audits", "/staff/cpd"))
    if roles & {"moderator", "admin"}:
        items.append(NavItem("Advocates", "accreditation.staff_advocates", "/staff/advocates"))
    if "org_admin" in roles:
        items.append(NavItem("Your organisation", "organisations.index", "/organisation"))
    if roles & {"trainee", "advocate", "org_admin"}:
        items.append(NavItem("Certificates", "certs.holder_index", "/certificates"))
    if roles & {"moderator", "admin"}:
        items.append(NavItem("Certificates issued", "certs.staff_index", "/staff/certificates"))
    if roles & {"admin", "moderator"}:
        # Applications, appeals and yearly returns: the queue page links to the other two.
        items.append(NavItem("Organisations", "accreditation.review_queue",
                             "/staff/organisations"))
    if roles & {"admin", "moderator"}:
        items.append(NavItem("Administration", "admin.index", "/admin"))
    return items
