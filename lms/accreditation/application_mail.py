"""Emails about an organisation's application: a question from staff, the organisation's
answer, a criterion reopened, and the decision. Plain text, one message per person."""


from lms.accreditation import criteria
from lms.formatting import uk_date
from lms.links import external_for
from lms.mail.services import send_mail

SIGN_OFF = "\nThe PG Cert in Independent Advocacy team\n"


def _link(endpoint: str, **values) -> str:
    # Outside a request (a command, a job) the path is built from the URL map alone.
    return external_for(endpoint, **values)


def _org_link(application) -> str:
    return _link("accreditation.apply_overview", org_id=application.organisation_id)


def _staff_link(application) -> str:
    return _link("accreditation.review_application", application_id=application.id)


def _about(message) -> str:
    return f"About: {criteria.title_of(message.criterion)}\n\n" if message.criterion else ""


def _send(people, subject: str, body) -> None:
    for person in people:
        send_mail(person.email, subject, body(person))


def question_asked(application, organisation, message, author, admins) -> None:
    """Staff asked a question: tell the organisation's admins."""
    _send(admins, f"A question about your accreditation application ({organisation.name})",
          lambda person: (
              f"Dear {person.name},\n\n{author.name} of the course team has asked a question "
              f"about {organisation.name}'s application for accreditation.\n\n{_about(message)}"
              f"{message.body}\n\nAnswer it in the application's thread:\n"
              f"{_org_link(application)}\n{SIGN_OFF}"))


def answer_posted(application, organisation, message, author, staff) -> None:
    """The organisation wrote in the thread: tell the staff reviewing the application."""
    _send(staff, f"{organisation.name} replied about its accreditation application",
          lambda person: (
              f"Dear {person.name},\n\n{author.name} of {organisation.name} wrote in the "
              f"thread of the organisation's application for accreditation.\n\n"
              f"{_about(message)}{message.body}\n\nRead the thread and review the application:"
              f"\n{_staff_link(application)}\n{SIGN_OFF}"))


def more_information(application, organisation, answer, admins) -> None:
    """Staff need more on one criterion, which is open again for the organisation to change."""
    title = criteria.title_of(answer.criterion)
    _send(admins, f"More information needed: {title} ({organisation.name})",
          lambda person: (
              f"Dear {person.name},\n\nCourse staff reviewing {organisation.name}'s application "
              f"for accreditation need more information on one criterion: {title}.\n\n"
              f"What they asked:\n{answer.review_note}\n\nThis criterion is open again: change "
              f"the statement or add evidence, then tell staff in the thread.\n"
              f"{_org_link(application)}\n{SIGN_OFF}"))


def decided(application, organisation, decision, appeal_until, admins) -> None:
    """The decision, its reasons and conditions, and until when it may be appealed."""
    from lms.accreditation.models import ORG_DECISIONS

    label = ORG_DECISIONS[decision.kind]
    lines = [f"Decision: {label}"]
    if decision.valid_until:
        lines.append(f"Accredited from {uk_date(decision.effective_on)} until "
                     f"{uk_date(decision.valid_until)}.")
    if decision.conditions:
        lines.append(f"\nConditions:\n{decision.conditions}")
    if decision.reasons:
        lines.append(f"\nReasons:\n{decision.reasons}")
    if appeal_until:
        lines.append(f"\nYou may appeal against this decision until {uk_date(appeal_until)} "
                     f"(28 days from the decision). An appeal is decided by a member of staff "
                     f"who took no part in this decision. To appeal:\n"
                     + _link("accreditation.org_appeal", org_id=organisation.id,
                             decision_id=decision.id))
    body = "\n".join(lines)
    _send(admins, f"Accreditation decision for {organisation.name}: {label}",
          lambda person: (
              f"Dear {person.name},\n\nCourse staff have decided {organisation.name}'s "
              f"application for accreditation as an IMSA employing organisation.\n\n{body}\n\n"
              f"See the decision and the review of each criterion:\n{_org_link(application)}\n"
              f"{SIGN_OFF}"))
