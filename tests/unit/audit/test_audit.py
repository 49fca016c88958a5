"""The whole audit: order, counts, no red flags, and the benchmark config that has every plan."""

from __future__ import annotations

from tests.unit.audit.configs import audit_raw, codes, config
from zengzhi.audit import CHECKS, audit, counts, red_flags
from zengzhi.bench_plans import ALL_PLANS_CONFIG
from zengzhi.domain.config import parse_tenant_config


def test_a_config_without_plans_exit_or_wording_has_no_red_flags() -> None:
    found = audit_raw(config(pool={"exit_multiple": "1"}))
    assert red_flags(found) == []
    assert codes(found) == ["static_returns.only_promise"]
    assert counts(found) == {"high": 0, "medium": 0, "info": 1}


def test_every_check_flags_the_all_plans_config_in_check_order() -> None:
    found = audit(parse_tenant_config(ALL_PLANS_CONFIG), ALL_PLANS_CONFIG, {"ad.txt": "只涨不跌"})
    checks = [f.check for f in red_flags(found)]
    assert set(checks) == set(CHECKS)
    assert checks == sorted(checks, key=CHECKS.index)
    assert counts(found)["high"] >= 6


def test_json_form_names_the_rule_in_the_chosen_language() -> None:
    found = audit_raw(config(pool={"exit_multiple": "2"}))
    zh, en = found[0].to_json("zh"), found[0].to_json("en")
    assert zh["code"] == en["code"] == "static_returns.exit_multiple"
    assert "第二条" in zh["rule"] and "art. 2" in en["rule"]
    assert zh["rule_key"] == "fundraising" and zh["check"] == "static_returns"
