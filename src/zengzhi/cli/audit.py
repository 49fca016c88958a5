"""``zengzhi audit CONFIG``: the compliance audit (合规体检) of a tenant config.

Lists red flags with the rule each relates to; it reports and never blocks:
exit 0 whatever it finds, 2 when the config (or a ``--text`` file) cannot be
read or is invalid. Not legal advice (docs/audit.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from zengzhi.cli import render
from zengzhi.errors import ZengzhiError

if TYPE_CHECKING:
    from zengzhi.audit import Finding
    from zengzhi.domain.config import TenantConfig

EXIT_BAD_INPUT = 2
STYLES = {"high": "bold red", "medium": "yellow", "info": "dim"}
WORDS = {
    "zh": {"title": "合规体检", "severity": "级别", "where": "代码 / 配置位置", "finding": "发现",
           "rule": "相关规定", "none": "未发现红旗", "counts": "高 {high} · 中 {medium} · 提示 {info}",
           "note": "仅供参考, 不构成法律意见; 只报告, 不阻止。完整条文见 --json 或 docs/audit.md。"},
    "en": {"title": "compliance audit", "severity": "severity", "where": "code / config path",
           "finding": "finding", "rule": "rule", "none": "no red flags",
           "counts": "high {high} · medium {medium} · info {info}",
           "note": "Not legal advice; the audit reports, it never blocks. Full citations: --json or docs/audit.md."},
}


def _load(path: Path) -> tuple[TenantConfig, object]:
    """The parsed tenant config and the raw config mapping (a scenario file: its ``config``)."""
    from zengzhi.domain.config import ConfigError, parse_tenant_config
    from zengzhi.scenario import load_file

    data = load_file(path)
    raw = data.get("config") if ("config" in data or "events" in data) else data
    try:
        return parse_tenant_config(raw), raw
    except ConfigError as exc:
        raise ValueError(f"{path}: config.{exc.field}: {exc.reason}") from None


def _show(path: Path, findings: list[Finding], lang: str) -> None:
    from zengzhi.audit import counts, red_flags

    words = WORDS[lang]
    table = Table(title=f"zengzhi audit — {words['title']}: {path.name}", show_lines=True)
    table.add_column(words["severity"], no_wrap=True)
    table.add_column(words["where"], overflow="fold", max_width=28)
    table.add_column(words["finding"], overflow="fold", ratio=3)
    table.add_column(words["rule"], overflow="fold", ratio=1)
    for f in findings:
        table.add_row(f"[{STYLES[f.severity]}]{f.severity}[/]", f"{f.code}\n{f.path}", f.message(lang),
                      f.law.short(lang))
    render.out.print(table)
    if not red_flags(findings):
        render.out.print(f"[green]{words['none']}[/]")
    render.out.print(words["counts"].format(**counts(findings)))
    render.out.print(words["note"])


def audit(
    config: Annotated[Path, typer.Argument(help="Tenant config YAML/JSON, or a scenario file (its config).")],
    text: Annotated[list[Path] | None, typer.Option(
        "--text", help="Marketing copy to scan for promises of appreciation (repeatable).")] = None,
    lang: Annotated[str, typer.Option(help="Language: zh (简体中文) or en.")] = "zh",
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings and counts as JSON.")] = False,
) -> None:
    """Compliance audit: red flags (chain depth, recruitment, entry fee, team pay, static returns, wording)."""
    from zengzhi.audit import audit as run_audit
    from zengzhi.audit import counts, red_flags

    try:
        if lang not in WORDS:
            raise ValueError("--lang must be zh or en")
        tenant, raw = _load(config)
        texts = {str(p): p.read_text(encoding="utf-8") for p in text or []}
    except (ZengzhiError, OSError, ValueError) as exc:
        render.error(f"{exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    findings = run_audit(tenant, raw, texts)
    if as_json:
        render.print_json({"config": str(config), "red_flags": bool(red_flags(findings)),
                           "counts": counts(findings), "findings": [f.to_json(lang) for f in findings]})
    else:
        _show(config, findings, lang)
