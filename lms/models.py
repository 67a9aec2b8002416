"""Every model, imported in one place so metadata is complete."""

from lms.accreditation.models import (
    AccreditationReminder,
    AdvocateDecision,
    Award,
    BulkCheck,
    OrgAnnualReturn,
    OrgAppeal,
    OrgApplication,
    OrgCriterionAnswer,
    OrgDecision,
    OrgEvidence,
    OrgMessage,
    RegisterEntry,
)
from lms.assessments.models import (
    Allocation,
    Assessment,
    Attachment,
    ExaminerReport,
    Extension,
    Mark,
    Submission,
)
from lms.audit.models import AuditEvent
from lms.auth.models import PasswordToken, RoleGrant, User, UserSession
from lms.certs.models import Certificate
from lms.cohorts.models import Cohort, Enrolment
from lms.courses.models import (
    CheckAttempt,
    Lesson,
    LessonProgress,
    Module,
    ModuleStudy,
    ModuleVersion,
)
from lms.cpd.models import (
    CpdAudit,
    CpdAuditCase,
    CpdConfirmation,
    CpdEntry,
    CpdEvidence,
    CpdLeave,
    CpdProfile,
    CpdReminder,
    CpdScheme,
)
from lms.mail.models import OutboxMessage
from lms.organisations.models import Employment, HostOrganisation

__all__ = [
    "AccreditationReminder",
    "AdvocateDecision",
    "Award",
    "BulkCheck",
    "OrgAnnualReturn",
    "OrgAppeal",
    "OrgApplication",
    "OrgCriterionAnswer",
    "OrgDecision",
    "OrgEvidence",
    "OrgMessage",
    "RegisterEntry",
    "CpdAudit",
    "CpdAuditCase",
    "CpdConfirmation",
    "CpdEntry",
    "CpdEvidence",
    "CpdLeave",
    "CpdProfile",
    "CpdReminder",
    "CpdScheme",
    "Allocation",
    "Mark",
    "Assessment",
    "Attachment",
    "ExaminerReport",
    "Extension",
    "Submission",
    "AuditEvent",
    "Certificate",
    "CheckAttempt",
    "Cohort",
    "Employment",
    "Enrolment",
    "HostOrganisation",
    "Lesson",
    "LessonProgress",
    "Module",
    "ModuleStudy",
    "ModuleVersion",
    "OutboxMessage",
    "PasswordToken",
    "RoleGrant",
    "User",
    "UserSession",
]
