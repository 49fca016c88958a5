"""The page session: signed-in user checks (``require``), CSRF token, language, one-shot messages.

Sessions are Starlette's signed cookie (``settings.secret_key``) holding the
tenant, user, role, member id, CSRF token, language and a one-shot message.
``PageError`` and ``LoginRequired`` are what a page raises when it will not
answer; ``pages.mount`` turns them into the error page and the login redirect.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Final

from fastapi import Request
from fastapi.responses import RedirectResponse

from zengzhi.admin import i18n
from zengzhi.admin.app_state import settings_of

SESSION_COOKIE: Final = "zengzhi_session"
SESSION_MAX_AGE_S: Final = 8 * 3600


class PageError(Exception):
    """Answered with the error page: ``status`` and a catalogue key."""

    def __init__(self, status: int, key: str) -> None:
        super().__init__(key)
        self.status = status
        self.key = key


class LoginRequired(Exception):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def language(request: Request) -> str:
    """The page language: ``?lang=`` (remembered), else the session's, else the default."""
    session = request.session
    asked = i18n.normalize(request.query_params.get("lang"))
    if asked is not None:
        session["lang"] = asked
        return asked
    remembered = session.get("lang")
    if remembered in i18n.LANGUAGES:
        return str(remembered)
    return settings_of(request).default_language


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


@dataclass(frozen=True, slots=True)
class SessionUser:
    tenant: str
    username: str
    role: str
    member_id: str | None


def require(request: Request, tenant: str, role: str) -> SessionUser:
    """The signed-in user of ``tenant`` with ``role``.

    Not signed in to this tenant: a GET goes to the login page, a POST is
    refused (403). Signed in with another role: 403.
    """
    session = request.session
    if session.get("tenant") != tenant or not session.get("user"):
        if request.method == "GET":
            raise LoginRequired(f"/{role}/{tenant}/login")
        raise PageError(403, "error_forbidden")
    if session.get("role") != role:
        raise PageError(403, "error_forbidden")
    member = session.get("member")
    return SessionUser(tenant, str(session["user"]), role, None if member is None else str(member))


def flash(request: Request, kind: str, text: str) -> None:
    request.session["flash"] = {"kind": kind, "text": text}


def back_to(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)
