"""Page rendering: the Jinja2 environment, ``render`` (language, CSRF, message, security headers), display formats."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from zengzhi.admin import i18n
from zengzhi.admin.session import csrf_token, language
from zengzhi.domain.money import Ratio, format_cents, format_points, format_ratio

HERE: Final = Path(__file__).resolve().parent
STATIC_URL: Final = "/static/pages"
SECURITY_HEADERS: Final = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                             autoescape=jinja2.select_autoescape(("html",), default=True),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(cents=format_cents, points=format_points, static=STATIC_URL,
                       nonce=lambda: uuid.uuid4().hex)
    return Jinja2Templates(env=env)


TEMPLATES: Final = _templates()


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    lang = language(request)
    session = request.session

    def t(key: str, **values: object) -> str:
        return i18n.translate(lang, key, **values)

    base: dict[str, Any] = {
        "lang": lang,
        "t": t,
        "rule_label": lambda rule: i18n.rule_label(lang, rule),
        "csrf": csrf_token(request),
        "user": session.get("user"),
        "role": session.get("role"),
        "session_tenant": session.get("tenant"),
        "flash": session.pop("flash", None),
        "path": request.url.path,
    }
    base.update(context)
    response = TEMPLATES.TemplateResponse(request, name, base, status_code=status)
    response.headers.update(SECURITY_HEADERS)
    return response


def time_ms(at_ms: int) -> str:
    return datetime.fromtimestamp(at_ms // 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")


def plain(ratio: Ratio) -> str:
    """``3`` or ``2.50``: a ratio for display."""
    whole, rest = divmod(ratio.num, ratio.den)
    return str(whole) if rest == 0 else format_ratio(ratio, 2)


def percent(ratio: Ratio) -> str:
    return plain(Ratio(ratio.num * 100, ratio.den)) + "%"
