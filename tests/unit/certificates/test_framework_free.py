"""The certificates package stands alone: the web app imports it, never the reverse."""

import subprocess
import sys

CHECK = ("import sys, certificates.documents, certificates.printed, certificates.codes; "
         "print(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'lms', 'sqlalchemy'}))")


def test_importing_the_documents_brings_in_no_flask_no_database_and_no_lms():
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
