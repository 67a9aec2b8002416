"""The fixed vocabularies of the programme, with the words people read."""

ROLES = {
    "trainee": "Trainee advocate",
    "advocate": "Qualified advocate",
    "marker": "Marker",
    "moderator": "Moderator (programme lead)",
    "examiner": "External examiner",
    "org_admin": "Host organisation admin",
    "admin": "Platform admin",
}
STAFF_ROLES = frozenset({"marker", "moderator", "examiner", "admin"})

SPECIALISMS = {
    "modern_slavery": "Modern slavery (IMSA)",
    "domestic_abuse": "Domestic abuse (IDVA)",
    "sexual_violence": "Sexual violence (ISVA)",
    "stalking": "Stalking (ISA)",
}

JURISDICTIONS = {
    "england_wales": "England and Wales",
    "scotland": "Scotland",
    "northern_ireland": "Northern Ireland",
}

NATIONS = {
    "england": "England",
    "wales": "Wales",
    "scotland": "Scotland",
    "northern_ireland": "Northern Ireland",
}

ORGANISATION_KINDS = {
    "ngo": "NGO",
    "local_authority": "Local authority",
    "support_contract": "Support-contract provider",
    "community_faith": "Community or faith group",
}

# The typed label organisations had before status was computed from decisions (migration
# 0017); kept so the audit log still reads its old entries in words.
ORGANISATION_STATUSES = {
    "not_applied": "Not applied",
    "applying": "Applying for accreditation",
    "accredited": "Accredited",
    "suspended": "Accreditation suspended",
    "lapsed": "Accreditation lapsed",
}

ENROLMENT_STATUSES = {
    "active": "Studying",
    "interrupted": "Interrupted",
    "withdrawn": "Withdrawn",
    "completed": "Completed",
}


def label(vocabulary: dict[str, str], key: str | None) -> str:
    """Return the readable label for a key, or the key itself if unknown."""
    return vocabulary.get(key or "", key or "")
