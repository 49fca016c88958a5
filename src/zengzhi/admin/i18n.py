"""The pages' message catalogue: every label in English and Simplified Chinese.

The Chinese terms follow the spec's glossary (盈利池, 增值积分, 积分价格,
零钱, 出局, 提现, 注资 …). ``translate(lang, key, **values)`` formats a
message; a missing key is a bug (a test checks that both languages have
every key, and that the templates use only known keys).
"""

from __future__ import annotations

from typing import Final

LANGUAGES: Final = ("zh-CN", "en")

# key -> (English, 中文)
_MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # chrome
    "app_name": ("zengzhi", "增值"),
    "admin_title": ("Operator console", "运营后台"),
    "member_title": ("My account", "我的账户"),
    "language": ("Language", "语言"),
    "tenant": ("Tenant", "租户"),
    "signed_in_as": ("Signed in as {user}", "当前用户：{user}"),
    "logout": ("Sign out", "退出登录"),
    # login
    "login_title": ("Sign in", "登录"),
    "username": ("Username", "用户名"),
    "password": ("Password", "密码"),
    "sign_in": ("Sign in", "登录"),
    "bad_login": ("Wrong username or password.", "用户名或密码错误。"),
    # navigation
    "nav_dashboard": ("Dashboard", "概览"),
    "nav_members": ("Members", "会员"),
    "nav_orders": ("Orders", "订单"),
    "nav_withdrawals": ("Withdrawals", "提现审核"),
    "nav_config": ("Config", "配置"),
    "nav_audit": ("Audit log", "操作日志"),
    # dashboard
    "pool_money": ("Pool money", "盈利池资金"),
    "pool_points": ("Appreciation points in circulation", "流通中的增值积分"),
    "price": ("Point price", "积分价格"),
    "initial_price": ("Initial price", "起盘价"),
    "members_count": ("Members", "会员数"),
    "orders_count": ("Orders", "订单数"),
    "exits": ("Forced exits", "出局次数"),
    "payouts_total": ("Paid to members' cash balances", "已支付到会员零钱"),
    "payouts_sale": ("from selling points", "其中卖出积分所得"),
    "payouts_exit": ("from forced exits", "其中出局所得"),
    "withdrawn": ("Withdrawn to bank", "已提现到账"),
    "withdrawals_pending": ("Withdrawals waiting", "待处理提现"),
    "price_chart": ("Point price over the event log", "积分价格走势（按事件序号）"),
    "chart_x": ("event #", "事件序号"),
    "yuan_per_point": ("yuan per point", "元/积分"),
    "honest_note": (
        "The point price never falls; that is the only guarantee. It does not promise that "
        "anyone gets back what they spent: a sale pays the current price less the retention, "
        "and the pool only grows while new orders come in.",
        "积分价格只涨不跌，这是唯一的保证；它并不保证任何人能收回所花的钱：卖出按当前价格扣除回流比例后支付，"
        "且盈利池只有在持续有新订单时才会增长。"),
    "subsidy": ("Subsidy into the pool", "注资（消费补贴进入盈利池）"),
    "subsidy_help": ("Money from outside (external funding) added to the pool; it raises the price.",
                     "外部资金注入盈利池，会抬高积分价格。"),
    "subsidy_done": ("Subsidy of {amount} added to the pool.", "已向盈利池注资 {amount} 元。"),
    "amount_yuan": ("Amount (yuan)", "金额（元）"),
    "submit": ("Submit", "提交"),
    # members
    "search": ("Search", "搜索"),
    "search_placeholder": ("member id", "会员编号"),
    "member": ("Member", "会员"),
    "member_id": ("Member id", "会员编号"),
    "sponsor": ("Sponsor", "推荐人"),
    "placement": ("Placement", "安置人"),
    "none": ("none", "无"),
    "downline": ("Referral tree (downline)", "推荐关系（下级）"),
    "downline_more": ("… and {count} more", "……另有 {count} 人"),
    "no_downline": ("No referrals yet.", "暂无推荐会员。"),
    "statement": ("Statement (recent postings)", "账户明细（近期记账）"),
    "statement_window": ("Postings of the last {count} events of the log.", "仅显示最近 {count} 个事件中的记账。"),
    "balances": ("Balances", "余额"),
    "cash": ("Cash balance", "零钱"),
    "frozen": ("Frozen", "冻结"),
    "pending": ("Pending (orders not settled)", "待结算"),
    "withdrawing": ("Withdrawing", "提现中"),
    "points": ("Appreciation points", "增值积分"),
    "spent": ("Spent in this cycle", "本轮消费"),
    "member_exits": ("Forced exits", "出局次数"),
    "no_results": ("Nothing found.", "没有找到。"),
    "showing_first": ("Showing the first {count}.", "仅显示前 {count} 条。"),
    "showing_latest": ("Showing the latest {count}.", "仅显示最近 {count} 条。"),
    "unknown_member": ("No such member.", "没有这个会员。"),
    # orders
    "order_id": ("Order", "订单号"),
    "amount": ("Amount", "金额"),
    "status": ("Status", "状态"),
    "all": ("all", "全部"),
    "status_paid": ("paid", "已支付"),
    "status_settled": ("settled", "已结算"),
    "status_refunded": ("refunded", "已退款"),
    "points_granted": ("Points granted", "赠送积分"),
    # withdrawals
    "withdrawal_id": ("Withdrawal", "提现单号"),
    "status_in_flight": ("requested", "待审核"),
    "status_approved": ("approved", "已审核"),
    "status_done": ("paid out", "已打款"),
    "status_failed": ("failed (returned)", "已驳回（退回零钱）"),
    "actions": ("Actions", "操作"),
    "approve": ("Approve", "审核通过"),
    "complete": ("Mark paid", "确认打款"),
    "fail": ("Reject / failed", "驳回/失败"),
    "confirm_action": ("{action}: withdrawal {id} of {amount}? This cannot be undone.",
                       "确定{action}：提现单 {id}，金额 {amount} 元？此操作不可撤销。"),
    "withdrawals_open": ("Waiting for review or payment", "待审核 / 待打款"),
    "withdrawals_closed": ("Finished", "已处理"),
    "no_withdrawals": ("No withdrawals.", "暂无提现。"),
    "action_done": ("{action}: withdrawal {id} is now {status}.", "{action}：提现单 {id} 当前状态为{status}。"),
    # config / audit
    "config_title": ("Tenant config (read-only)", "租户配置（只读）"),
    "audit_title": ("Audit log", "操作日志"),
    "time": ("Time", "时间"),
    "actor": ("Actor", "操作人"),
    "action": ("Action", "操作"),
    "detail": ("Detail", "详情"),
    # member page
    "my_points_value": ("Value at the current price", "按当前积分价格估值"),
    "my_sale_value": ("If you sold them all now (after the {retention} retention)",
                      "若现在全部卖出可得（扣除 {retention} 回流后）"),
    "points_note": ("Points are not a deposit: what a sale pays depends on the pool at the time you sell.",
                    "增值积分不是存款：卖出所得取决于卖出时盈利池的情况。"),
    "sell_title": ("Sell points", "卖出积分"),
    "sell_points": ("Points to sell", "卖出积分数量"),
    "sell_button": ("Sell", "卖出"),
    "sold": ("Sold {points} points; {amount} was added to your cash balance.",
             "已卖出 {points} 积分，{amount} 元已转入零钱。"),
    "withdraw_title": ("Withdraw cash", "提现"),
    "withdraw_button": ("Withdraw", "申请提现"),
    "withdraw_requested": ("Withdrawal {id} of {amount} requested; it waits for review.",
                           "已申请提现 {amount} 元（单号 {id}），等待审核。"),
    "my_withdrawals": ("My withdrawals", "我的提现"),
    "history": ("History (recent postings)", "收支明细（近期）"),
    "forced_exit_note": ("Forced exit: when the points of your current cycle are worth {multiple}× what you "
                         "spent in it (at the current price), they are all sold for you, with the same "
                         "retention, and the cycle ends.",
                         "强制出局：当本轮积分按当前价格的价值达到本轮消费额的 {multiple} 倍时，系统会按同样的回流比例"
                         "替你卖出全部积分，本轮结束。"),
    "rejected": ("Rejected: {reason}", "未成功：{reason}"),
    "bad_amount": ("Not a valid amount: {detail}", "数量无效：{detail}"),
    # postings
    "seq": ("#", "序号"),
    "rule": ("Entry", "项目"),
    "account": ("Account", "账户"),
    "direction_in": ("in", "收入"),
    "direction_out": ("out", "支出"),
    "no_postings": ("No postings yet.", "暂无记账。"),
    # errors
    "error_forbidden": ("You may not open this page.", "你无权访问此页面。"),
    "error_csrf": ("The form has expired; reload the page and try again.", "表单已失效，请刷新页面后重试。"),
    "error_not_found": ("Not found.", "页面不存在。"),
    "back": ("Back", "返回"),
}

# posting rules, by name (``split.<bucket>`` and unknown rules fall back to the rule itself)
_RULES: Final[dict[str, tuple[str, str]]] = {
    "order.paid": ("order paid", "订单支付"),
    "order.refund": ("order refunded", "订单退款"),
    "pool.grant": ("points granted", "赠送增值积分"),
    "sale.points": ("points sold", "卖出积分"),
    "sale.payout": ("sale payout", "卖出所得"),
    "exit.points": ("points taken at forced exit", "出局扣除积分"),
    "exit.payout": ("forced exit payout", "出局所得"),
    "redeem.points": ("points redeemed", "积分兑换"),
    "redeem.payout": ("redemption payout", "积分兑换结算"),
    "withdraw.request": ("withdrawal requested", "申请提现"),
    "withdraw.done": ("withdrawal paid out", "提现到账"),
    "withdraw.fail": ("withdrawal returned", "提现退回"),
    "subsidy": ("subsidy", "注资"),
    "split": ("split", "拨比"),
}

# rejection codes (``ResultCode`` values)
_CODES: Final[dict[str, tuple[str, str]]] = {
    "unknown_member": ("unknown member", "会员不存在"),
    "member_exists": ("member exists", "会员已存在"),
    "sponsor_cycle": ("sponsor cycle", "推荐关系成环"),
    "unknown_product": ("unknown product", "商品不存在"),
    "invalid_amount": ("invalid amount", "金额无效"),
    "invalid_split": ("invalid split", "拨比无效"),
    "order_conflict": ("order conflict", "订单冲突"),
    "unknown_order": ("unknown order", "订单不存在"),
    "order_not_pending": ("order not pending", "订单不是待结算状态"),
    "insufficient_points": ("not enough points", "积分不足"),
    "insufficient_funds": ("not enough cash", "零钱不足"),
    "withdrawal_conflict": ("withdrawal conflict", "提现单冲突"),
    "unknown_withdrawal": ("unknown withdrawal", "提现单不存在"),
    "withdrawal_not_in_flight": ("withdrawal already finished", "提现单已处理"),
    "invalid_field": ("invalid field", "字段无效"),
    "key_conflict": ("request id reused", "请求编号重复"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "zh-CN" else pair[0]


def normalize(lang: str | None) -> str | None:
    """A supported language from ``?lang=`` (``en``, ``zh-CN``, case-insensitive, ``zh`` too)."""
    if not lang:
        return None
    lowered = lang.strip().lower()
    if lowered in ("zh-cn", "zh", "zh_cn", "zh-hans"):
        return "zh-CN"
    if lowered in ("en", "en-us", "en-gb"):
        return "en"
    return None


def translate(lang: str, key: str, **values: object) -> str:
    text = _pick(_MESSAGES[key], lang)
    return text.format(**values) if values else text


def rule_label(lang: str, rule: str) -> str:
    pair = _RULES.get(rule) or _RULES.get(rule.split(".", 1)[0])
    if pair is None:
        return rule
    label = _pick(pair, lang)
    return f"{label} ({rule.split('.', 1)[1]})" if rule.startswith("split.") else label


def code_label(lang: str, code: str) -> str:
    pair = _CODES.get(code)
    return code if pair is None else _pick(pair, lang)


def keys() -> frozenset[str]:
    return frozenset(_MESSAGES)


def catalogue(lang: str) -> dict[str, str]:
    """Every message of ``lang`` (unformatted)."""
    return {key: _pick(pair, lang) for key, pair in _MESSAGES.items()}
