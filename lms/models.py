"""Every model, imported in one place so metadata is complete."""

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
