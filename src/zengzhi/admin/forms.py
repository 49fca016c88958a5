"""POSTed page forms: the CSRF check, the idempotency key, amounts, and the message after a command.

Every POST form carries the session's CSRF token (403 otherwise, nothing
done) and a one-time ``nonce`` that becomes the command's idempotency key.
"""

from __future__ import annotations

import hmac
import re
import uuid
from collections.abc import Callable
from typing import Final, TypeVar

from fastapi import Request
from starlette.datastructures import FormData

from zengzhi.admin import i18n
from zengzhi.admin.session import PageError, SessionUser, flash
from zengzhi.domain.money import AmountError
from zengzhi.engine.engine import Receipt

NONCE_RE: Final = re.compile(r"[0-9a-f]{32}")

T = TypeVar("T")


async def checked_form(request: Request) -> FormData:
    """The POSTed form, once its CSRF token matches the session's (else 403)."""
    form = await request.form()
    sent = form.get("csrf")
    expected = request.session.get("csrf")
    if (not isinstance(sent, str) or not isinstance(expected, str) or not expected
            or not hmac.compare_digest(sent.encode(), expected.encode())):
        raise PageError(403, "error_csrf")
    return form


def command_key(user: SessionUser, form: FormData) -> str:
    """The idempotency key of a form's command: the form's one-time ``nonce``.

    A form submitted twice (a double click, a resent request) carries the
    same nonce, so the engine answers the second time with the first result
    instead of acting twice.
    """
    nonce = form.get("nonce")
    if not isinstance(nonce, str) or not NONCE_RE.fullmatch(nonce):
        nonce = uuid.uuid4().hex
    return f"page:{user.role}:{user.username}:{nonce}"


def form_amount(request: Request, lang: str, form: FormData, name: str,
                parse: Callable[[str, str], T]) -> T | None:
    """The form field ``name`` read by ``parse`` (``parse_cents``, ``parse_points``).

    None when it is not an amount; the error is then flashed, and the caller
    redirects back without doing anything.
    """
    try:
        return parse(str(form.get(name) or ""), name)
    except AmountError as exc:
        flash(request, "error", i18n.translate(lang, "bad_amount", detail=str(exc)))
        return None


def flash_outcome(request: Request, lang: str, receipt: Receipt, done: Callable[[], str]) -> None:
    """Flash the command's rejection, or ``done()`` (called only if the command went through)."""
    rejected = rejection_text(lang, receipt)
    if rejected is not None:
        flash(request, "error", rejected)
    else:
        flash(request, "ok", done())


def rejection_text(lang: str, receipt: Receipt) -> str | None:
    rejection = receipt.outcome.rejection
    if rejection is None:
        return None
    reason = f"{i18n.code_label(lang, rejection.code.value)} — {rejection.message()}"
    return i18n.translate(lang, "rejected", reason=reason)


def result_code(receipt: Receipt) -> str:
    """``ok`` or the rejection code: what the audit log records of a command."""
    rejection = receipt.outcome.rejection
    return "ok" if rejection is None else rejection.code.value
