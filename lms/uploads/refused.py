"""The one error the upload pipeline raises: a file we will not keep, and why."""


class Refused(ValueError):
    """A file that cannot be accepted; `reason` is a sentence the uploader can act on."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


DAMAGED = ("This file looks damaged: it could not be read. Save it again (or export it again "
           "as PDF) and upload the new copy.")
