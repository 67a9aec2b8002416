"""How many characters each free-text field takes: one place for forms, views, pages and tests."""

# A trainee's work (cut to these lengths in lms/assessments/routes.py).
ANSWER = 50_000
JUSTIFICATION = 10_000

# A marker's feedback, per criterion and overall.
CRITERION_FEEDBACK = 5_000
OVERALL_FEEDBACK = 10_000

EXTENSION_REASON = 4_000
# The external examiner's report on an assessment (Markdown): a few pages at most.
EXAMINER_REPORT = 30_000
NOTE = 20_000
CONTENT_REVIEW = 5_000  # what a reviewer checked in a lesson or scenario
CPD_CONFIRMER_COMMENT = 2_000  # a confirmer's comment on a CPD entry they confirm or query
REASON = 500  # a reason recorded in the audit log
CPD_TITLE = 200
CPD_REFLECTION = 10_000  # each of the three parts
CPD_LEAVE_NOTE = 2_000
ACCREDITATION_NUMBER = 40  # what may be typed for one (with spaces); a number is 14
NAME = 200  # a person's or an organisation's name
EMAIL = 254  # the longest address SMTP can carry
SHORT_TEXT = 120  # a job title, a region, a cohort's name
STUDENT_ID = 32  # the university's student number for an enrolment

# The longest text anyone can give that is shown through the user_markdown filter: the cost
# test renders adversarial text of this length.
USER_MARKDOWN = max(ANSWER, JUSTIFICATION, CRITERION_FEEDBACK, OVERALL_FEEDBACK,
                    EXAMINER_REPORT)
