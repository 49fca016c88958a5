"""Errors of the platform API: one JSON shape ``{"code", "field", "reason"}``.

``ApiError`` is raised by handlers and dependencies; ``install`` adds its
handler and reshapes request validation errors under ``/v1`` (a JSON float,
a missing field …) into the same shape, naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from zengzhi.domain.results import Rejection

API_PREFIX = "/v1"
LOCATIONS = ("body", "query", "path", "header", "cookie")


class ApiError(Exception):
    def __init__(self, status: int, code: str, field: str, reason: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status} {code} {field}: {reason}")
        self.status = status
        self.code = code
        self.field = field
        self.reason = reason
        self.headers = headers

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "field": self.field, "reason": self.reason}


def problem(status: int, code: str, field: str, reason: str, *, seq: int | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "field": field, "reason": reason}
    if seq is not None:
        body["seq"] = seq
    return JSONResponse(body, status_code=status, headers=headers)


def rejection_body(rejection: Rejection, seq: int, field: str | None = None) -> dict[str, Any]:
    return {"code": rejection.code.value, "field": field or rejection.field,
            "reason": rejection.reason, "seq": seq}


def _field_of(loc: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in LOCATIONS:
        parts = parts[1:]
    return ".".join(parts)


def _reason(error: Mapping[str, Any]) -> str:
    message = str(error.get("msg", "invalid"))
    return message.removeprefix("Value error, ")


def validation_problem(errors: Sequence[Mapping[str, Any]], prefix: str = "") -> JSONResponse:
    whole = prefix.rstrip(".") or "body"  # a model validator's error names the model itself
    items = []
    for e in errors:
        field = _field_of(tuple(e.get("loc", ())))
        items.append({"field": prefix + field if field else whole, "reason": _reason(e)})
    first = items[0] if items else {"field": whole, "reason": "invalid"}
    body = {"code": "invalid_field", "field": first["field"], "reason": first["reason"], "errors": items}
    return JSONResponse(body, status_code=422)


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        if not request.url.path.startswith(API_PREFIX):
            return await request_validation_exception_handler(request, exc)
        return validation_problem(list(exc.errors()))
