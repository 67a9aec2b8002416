"""Route access declarations: every view says who may use it, and the default is deny."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from lms.extensions import login_manager
from lms.vocab import ROLES

PUBLIC = "public"
SIGNED_IN = "signed_in"
_KNOWN = set(ROLES) | {PUBLIC, SIGNED_IN}


def allow(*who: str) -> Callable:
    """Declare who may use a view: PUBLIC, SIGNED_IN, or one or more role names."""
    unknown = set(who) - _KNOWN
    if not who or unknown:
        raise ValueError(f"allow() needs known roles, got {sorted(unknown) or 'nothing'}")

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            if PUBLIC not in who:
                if not current_user.is_authenticated:
                    return login_manager.unauthorized()
                if SIGNED_IN not in who and not current_user.has_any_role(who):
                    abort(403)
            return view(*args, **kwargs)

        guarded.access = frozenset(who)
        return guarded

    return decorate


def declared_access(view: Callable) -> frozenset[str] | None:
    """Return the access a view declared, or None if it declared nothing."""
    return getattr(view, "access", None)
