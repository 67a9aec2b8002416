"""Sign-in limits: keyed by the client's address, by account and address, and by account.

Only a wrong email or password (a 401 answer) counts; throttled, invalid and successful attempts
do not. One address can fail at most LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS times against one account
and LOGIN_LIMIT_PER_ADDRESS times in all, far below LOGIN_LIMIT_PER_ACCOUNT, so an attacker at one
address cannot pause the account of the person they name; only guessing from many addresses can.
"""

import hashlib

from flask import request

from lms.auth.services import normalise_email


def _client_address() -> str:
    # The connecting address, or the client's as reported by LMS_PROXY_FIX trusted proxies.
    return request.remote_addr or "unknown"


def _account() -> str:
    # Hashed: keys stay short whatever is typed, and the limit store holds no email addresses.
    email = normalise_email(request.form.get("email", ""))
    return hashlib.sha256(email.encode()).hexdigest()[:32]


def address_key() -> str:
    return "sign-in-address:" + _client_address()


def account_and_address_key() -> str:
    return f"sign-in:{_account()}:{_client_address()}"


def account_key() -> str:
    return "sign-in-account:" + _account()


def wrong_credentials(response) -> bool:
    """Count an attempt only when a password was checked and refused."""
    return response.status_code == 401
