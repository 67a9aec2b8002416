"""What a host organisation shows to be accredited as an IMSA employing organisation: the
criteria an application answers, each with what good looks like and what evidence to attach.

Pure data (no Flask, no database). The guidance is ours, written for the organisations that
apply; it makes no legal claim. Where a duty comes from law the organisation names it itself."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Criterion:
    key: str
    title: str
    summary: str
    good: tuple[str, ...]
    evidence: tuple[str, ...]


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        key="safeguarding",
        title="Safeguarding policy",
        summary="A current safeguarding policy for adults and children that advocates know and "
                "use.",
        good=(
            "The policy covers adults at risk and children, and says what an advocate does when "
            "they are worried about someone, including out of hours.",
            "It names a safeguarding lead and a deputy, and how advocates reach them.",
            "It covers the risks particular to exploitation: a person being watched or "
            "controlled, re-trafficking, and threats to the advocate.",
            "It has been reviewed in the last year and advocates have been trained on it.",
        ),
        evidence=(
            "The safeguarding policy, with its review date.",
            "A record of advocates' safeguarding training (names may be removed).",
        ),
    ),
    Criterion(
        key="supervision",
        title="Supervision arrangements for advocates",
        summary="Regular case supervision and pastoral support for every advocate.",
        good=(
            "Each advocate has one-to-one case supervision at a stated frequency, with a "
            "supervisor who understands independent advocacy.",
            "Pastoral or reflective supervision is offered separately from line management, so "
            "an advocate can talk about the effect of the work on them.",
            "There is a way to get advice on a difficult case between supervisions.",
            "Supervision is recorded, and missed sessions are noticed and rearranged.",
        ),
        evidence=(
            "The supervision policy or agreement.",
            "An anonymised supervision schedule or record template.",
        ),
    ),
    Criterion(
        key="independence",
        title="Independence of the advocate role",
        summary="Advocates act for the survivor alone: independent of law enforcement and of "
                "decisions about support contracts.",
        good=(
            "The advocate does not gather intelligence or evidence for the police or any other "
            "agency, and survivors are told so in plain words.",
            "Advocates take no part in decisions about the survivor's support under a support "
            "contract, or about the organisation's own contracts, so they can challenge those "
            "decisions on the survivor's behalf.",
            "Where the organisation also provides support, the advocate is managed separately "
            "from that service and conflicts of interest are written down and handled.",
            "Information-sharing agreements with partners say what an advocate will and will "
            "not pass on.",
        ),
        evidence=(
            "The advocate's job description and where the role sits in the structure.",
            "The conflict-of-interest policy and any information-sharing agreements.",
        ),
    ),
    Criterion(
        key="data_protection",
        title="Data protection and confidentiality",
        summary="Survivors' information is kept safe, shared only when it must be, and survivors "
                "know how it is used.",
        good=(
            "Survivors are told, in a language they understand, what is recorded, who sees it "
            "and the limits of confidentiality.",
            "Case records are held securely, with access limited to those who need it, and "
            "kept no longer than the retention schedule says.",
            "There is a named person responsible for data protection and a way to report and "
            "learn from a breach.",
            "Addresses and other details that could locate a survivor or an advocate are "
            "protected.",
        ),
        evidence=(
            "The data protection and confidentiality policy, and the retention schedule.",
            "The privacy notice or the information given to survivors.",
        ),
    ),
    Criterion(
        key="complaints",
        title="Complaints procedure",
        summary="Survivors can complain easily, safely and without it affecting their support.",
        good=(
            "The procedure is written in plain words, available in other languages and formats, "
            "and can be used with help from someone else.",
            "It says how long each step takes and who looks at a complaint about an advocate.",
            "Complaints and what was learned from them are reviewed by managers or trustees.",
        ),
        evidence=(
            "The complaints procedure and the version given to survivors.",
            "A summary of complaints in the last year and what changed (no names).",
        ),
    ),
    Criterion(
        key="lived_experience",
        title="Involvement of people with lived experience",
        summary="People with lived experience of exploitation shape the service, and are paid "
                "and supported to do so.",
        good=(
            "People with lived experience take part in designing, reviewing or governing the "
            "service, not only in telling their stories.",
            "Their involvement is paid or recompensed, voluntary, and can stop at any time.",
            "They get support and debriefing, and their privacy is protected.",
            "The organisation can show something that changed because of their advice.",
        ),
        evidence=(
            "A description of how people with lived experience are involved and supported.",
            "An example of a change made on their advice.",
        ),
    ),
    Criterion(
        key="cpd_time",
        title="Protected time for CPD",
        summary="Advocates have paid time for continuing professional development, and it is "
                "protected from casework.",
        good=(
            "Each advocate has a stated amount of paid time a year for CPD, enough to meet the "
            "accreditation's CPD requirement.",
            "The time is planned with the advocate and not cancelled for casework except in an "
            "emergency.",
            "Managers confirm advocates' CPD on this platform when asked.",
        ),
        evidence=(
            "The CPD or training policy showing the time allowed.",
            "A training plan for the coming year (names may be removed).",
        ),
    ),
    Criterion(
        key="advocate_in_post",
        title="At least one advocate employed or in training",
        summary="The organisation employs at least one advocate who is qualified or training "
                "for the PG Cert.",
        good=(
            "At least one person is employed in the advocate role, qualified or enrolled on the "
            "PG Cert.",
            "The organisation has a plan to keep the role filled if the advocate leaves.",
        ),
        evidence=(
            "The advocate's contract or a letter confirming their employment in the role "
            "(salary may be removed).",
            "Where they are in training, their enrolment confirmation.",
        ),
    ),
)

KEYS: tuple[str, ...] = tuple(c.key for c in CRITERIA)
BY_KEY: dict[str, Criterion] = {c.key: c for c in CRITERIA}


def criterion(key: str) -> Criterion | None:
    """Return the criterion with this key, or None."""
    return BY_KEY.get(key)


def title_of(key: str | None) -> str:
    """The criterion's title for a key; a key no longer listed is shown as it is."""
    found = BY_KEY.get(key or "")
    return found.title if found else (key or "")
