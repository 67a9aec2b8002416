"""An organisation's dashboard never names another organisation an advocate works for."""


from lms.accreditation.rules import AdvocateStatus
from lms.organisations.dashboard import as_seen_by


def _status(*reasons, why=""):
    return AdvocateStatus("accredited", "modern_slavery", reasons, why=why)


def test_another_employers_name_is_taken_out_of_the_reasons():
    status = _status("PG Cert awarded on 1 July 2025 with the modern slavery specialism.",
                     "Employed by Eastgate Advocacy, an accredited host organisation.",
                     "Eastgate Advocacy's accreditation as a host organisation ended on "
                     "1 May 2026.", "Eastgate Advocacy is not an accredited host organisation.",
                     why="Eastgate Advocacy is not an accredited host organisation.")
    seen = as_seen_by(status, "Northbridge Survivor Support")
    assert not any("Eastgate" in reason for reason in seen.reasons)
    assert "Eastgate" not in seen.headline
    assert seen.reasons[1] == "Employed by another organisation, an accredited host organisation."
    assert seen.reasons[2].startswith("Another organisation's accreditation as a host")


def test_the_viewing_organisations_own_name_stays():
    reason = "Employed by Northbridge Survivor Support, an accredited host organisation."
    seen = as_seen_by(_status(reason), "Northbridge Survivor Support")
    assert seen.reasons == (reason,)
