"""Wording that promises appreciation, in the raw config and in marketing texts."""

from __future__ import annotations

from tests.unit.audit.configs import PACK, codes, config
from zengzhi.audit import wording
from zengzhi.audit.laws import ADVERTISING


def test_phrases_are_found_case_insensitively_longest_first() -> None:
    assert wording.phrases_in("稳赚不赔, 只涨不跌") == ["只涨不跌", "稳赚不赔"]
    assert wording.phrases_in("GUARANTEED returns, Risk-Free") == ["guarantee", "risk-free"]
    assert wording.phrases_in("a plain pack of tea") == []


def test_config_keys_and_values_are_scanned_with_their_paths() -> None:
    raw = config({"type": "dividend", "name": "stable", "bucket": "dividend", "inflow": "1.00", "by": "class",
                  "classes": {"躺赚合伙人": "100%"}}, products={"只涨不跌礼包": PACK})
    found = wording.check(raw, {})
    assert [f.path for f in found] == ["products.只涨不跌礼包", "plans[0].classes.躺赚合伙人"]
    assert all(f.severity == "high" and f.law is ADVERTISING for f in found)
    assert "“只涨不跌”" in found[0].zh


def test_texts_are_scanned_line_by_line() -> None:
    found = wording.check({}, {"copy.md": "好茶\n全民免单, 免费购物\nshop as usual\nzero risk"})
    assert [f.path for f in found] == ["copy.md:2", "copy.md:4"]
    assert "“免费购物”, “全民免单”" in found[0].en or "“全民免单”, “免费购物”" in found[0].en


def test_a_clean_config_has_no_wording_findings() -> None:
    assert codes(wording.check(config(), {"copy.txt": "积分价格只会在有新订单时上升"})) == []


def test_long_text_is_shortened_in_the_message() -> None:
    found = wording.check({}, {"t": "保本" + "x" * 200})
    assert "…" in found[0].en and len(found[0].en) < 120
