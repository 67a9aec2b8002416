from tests.certkit import create_certificate  # noqa: F401
