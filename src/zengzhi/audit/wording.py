"""Wording that promises appreciation or profit (只涨不跌, 稳赚, guaranteed …).

Advertising Law art. 25 forbids guaranteeing returns in ads that carry an
expected investment return. Every string of the raw config (names, keys,
text fields; comments are gone after loading) and each ``--text`` file is
scanned, case-insensitively. A plain substring match: it can flag a
negation ("not guaranteed") too — the audit reports, a person decides.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from zengzhi.audit.finding import Finding
from zengzhi.audit.laws import ADVERTISING

# the one list of phrases; keep each in its shortest telling form
PHRASES: tuple[str, ...] = (
    # 中文
    "只涨不跌", "永不贬值", "稳赚不赔", "稳赚", "只赚不赔", "包赚", "躺赚", "躺着赚钱", "保本", "保息", "保底",
    "零风险", "无风险", "没有风险", "保证收益", "保收益", "收益保证", "稳定收益", "固定收益", "高额回报",
    "增值保障", "保值增值", "免费购物", "全民免单", "消费全返", "全额返还", "倍出局", "回本", "月入过万",
    "财富自由", "一本万利", "刚性兑付",
    # English
    "guarantee", "risk-free", "risk free", "zero risk", "no risk", "only goes up", "never goes down",
    "can't lose", "cannot lose", "free shopping", "shop for free", "get paid to shop", "passive income",
    "double your money", "fixed return", "principal protected", "capital protected", "sure profit",
)
SNIPPET_CHARS = 60


def check(raw: object, texts: Mapping[str, str]) -> list[Finding]:
    found = [f for path, text in _strings(raw, "") if (f := _finding(path, text)) is not None]
    for label, content in texts.items():
        for number, line in enumerate(content.splitlines(), 1):
            hit = _finding(f"{label}:{number}", line)
            if hit is not None:
                found.append(hit)
    return found


def phrases_in(text: str) -> list[str]:
    """The listed phrases ``text`` contains, less those inside a longer one found."""
    folded = text.casefold()
    hits = [p for p in PHRASES if p.casefold() in folded]
    return [p for p in hits if not any(p != q and p.casefold() in q.casefold() for q in hits)]


def _finding(path: str, text: str) -> Finding | None:
    hits = phrases_in(text)
    if not hits:
        return None
    quoted = ", ".join(f"“{p}”" for p in hits)
    snippet = text.strip()
    if len(snippet) > SNIPPET_CHARS:
        snippet = snippet[:SNIPPET_CHARS] + "…"
    return Finding(
        "wording.promise", "high", path or "config",
        f"{quoted} 承诺增值或收益: {snippet!r}",
        f"{quoted} promises appreciation or profit: {snippet!r}", ADVERTISING)


def _strings(data: object, path: str) -> Iterator[tuple[str, str]]:
    """Every string of a loaded YAML/JSON value with its path: mapping keys and string values."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, Mapping):
        for key, value in data.items():
            here = f"{path}.{key}" if path else str(key)
            if isinstance(key, str):
                yield here, key
            yield from _strings(value, here)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _strings(item, f"{path}[{i}]")
