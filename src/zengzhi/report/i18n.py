"""The report's texts in English and 简体中文 (``--lang en|zh``)."""

from __future__ import annotations

from collections.abc import Callable

LANGS = ("en", "zh")

TEXTS: dict[str, dict[str, str]] = {
    "title": {"en": "Economics truth report", "zh": "经济真相报告"},
    "source": {"en": "Source", "zh": "数据来源"},
    "behaviour": {"en": "behaviour model", "zh": "行为模型"},
    "scenario": {"en": "scenario events", "zh": "场景事件"},
    "summary": {"en": "Summary", "zh": "摘要"},
    "promise": {"en": "The only promise of this model is that the point price never falls. It does not promise "
                      "that anyone gets back what they spent: every yuan paid to a member comes out of the pool, "
                      "which only grows when members spend.",
                "zh": "这个模式唯一的承诺是积分价格不会下跌。它不承诺任"
                      "何人能拿回所花的钱：付给会员的每一元都来自资金池，"
                      "而资金池只有在会员继续消费时才会增长。"},
    "orders": {"en": "orders", "zh": "订单数"},
    "members": {"en": "members who ordered", "zh": "下单会员数"},
    "spend": {"en": "spend", "zh": "消费额"},
    "cash": {"en": "cash out", "zh": "已到手现金"},
    "value": {"en": "points value", "zh": "积分账面价值"},
    "pool_money": {"en": "pool money", "zh": "资金池"},
    "points": {"en": "points", "zh": "流通积分"},
    "price": {"en": "price", "zh": "积分价格"},
    "subsidy": {"en": "subsidy (注资)", "zh": "注资"},
    "exits": {"en": "forced exits", "zh": "出局次数"},
    "paid_line": {"en": "Members who ordered: {members}. {breakeven} ({breakeven_pct}) hold cash plus points worth "
                        "at least what they spent, on paper at the final price; {cash_members} received any cash. "
                        "Cash received: {cash} of {spend} spent ({cash_pct}).",
                  "zh": "下单会员 {members} 人。按最终价格计算，{breakeve"
                        "n} 人（{breakeven_pct}）的现金加积分账面价值不低于"
                        "消费额；{cash_members} 人拿到过现金。到手现金 {cash}，消费 {spend}（{cash_pct}）。"},
    "later_line": {"en": "{later_pct} of the cash paid to members came from pool money of orders placed after the "
                         "payee's own first order.",
                   "zh": "付给会员的现金中，{later_pct} 来自收款人首单之后的订单注入资金池的钱。"},
    "stress_line": {"en": "If growth stopped now and {sellers} holders sold everything, they would get {paid} back "
                          "for the {spend} they spent ({spend_pct}); their points were worth {paper} on paper, and "
                          "they get {paid_pct} of that in total, but the first 10% to sell get {first} of their "
                          "paper value and the last 10% {last}.",
                    "zh": "如果现在停止增长、{sellers} 名持有人全部卖出，他们总共消费 {spend}，能拿回 {paid}"
                          "（{spend_pct}）；积分账面价值 {paper}，合计拿到其中的 {paid_pct}，"
                          "但最先卖出的 10% 只拿到账面价值的 {first}，最后卖出的 10% 拿到 {last}。"},
    "stress_spend": {"en": "what the sellers spent", "zh": "卖出者的消费额"},
    "sec_compliance": {"en": "Compliance red flags", "zh": "合规风险提示"},
    "sec_compliance_note": {"en": "The compliance audit (合规体检) of this report's config: features that resemble "
                                  "what a Chinese law or regulation describes (传销 pyramid selling, 非法集资 illegal "
                                  "fund-raising, advertising), each with the config field it comes from and the rule "
                                  "it relates to. The findings come from the config alone, not from the run; their "
                                  "texts are the audit's own.",
                            "zh": "对本报告所用配置的合规体检：配置中与中国法律法规所描述的情形（传销、非法集资、"
                                  "广告宣传）相似的特征，逐条列出来自哪个配置字段、与哪条规定相关。"
                                  "发现只来自配置本身，与运行结果无关；文字均为体检原文。"},
    "compliance_counts": {"en": "high {high} · medium {medium} · info {info}",
                          "zh": "高 {high} · 中 {medium} · 提示 {info}"},
    "compliance_none": {"en": "No red flags: nothing high or medium.", "zh": "未发现红旗：没有高、中级别的发现。"},
    "compliance_note": {"en": "Not legal advice; the audit reports, it never blocks. The same audit is "
                              "zengzhi audit {config} (--text FILE also scans marketing copy, which this report does "
                              "not; --json for machine-readable output); docs/audit.md says what each check looks "
                              "for.",
                        "zh": "仅供参考, 不构成法律意见; 只报告, 不阻止。同样的体检可运行 zengzhi audit {config}"
                              "（--text FILE 还会检查宣传文案，本报告不检查；--json 输出机器可读结果）；"
                              "每项检查的含义见 docs/audit.md。"},
    "compliance_severity": {"en": "severity", "zh": "级别"},
    "compliance_finding": {"en": "finding", "zh": "发现"},
    "compliance_path": {"en": "config path", "zh": "配置位置"},
    "compliance_rule": {"en": "rule it relates to", "zh": "相关规定"},
    "compliance_laws": {"en": "The rules cited", "zh": "所引规定"},
    "severity_high": {"en": "high", "zh": "高"},
    "severity_medium": {"en": "medium", "zh": "中"},
    "severity_info": {"en": "info", "zh": "提示"},
    "sec_price": {"en": "Price and pool over time", "zh": "价格与资金池走势"},
    "sec_price_note": {"en": "x axis: orders settled so far. The price rises after every order and sale; the "
                             "rise slows as the pool grows.",
                       "zh": "横轴：已结算订单数。每笔订单和卖出都会推高价格；资金池越大，涨幅越慢。"},
    "sec_cohorts": {"en": "Cohorts (by first order)", "zh": "分批会员（按首单先后）"},
    "sec_cohorts_note": {"en": "Members who ordered, split into equal groups by the order of their first order. "
                               "Break-even: cash + points value ≥ spend. Exit: forced out (出局) at least once.",
                         "zh": "下单会员按首单先后平均分组。回本：现金 + 积分"
                               "账面价值 ≥ 消费额。出局：至少被强制出局一次。"},
    "cohort": {"en": "cohort", "zh": "批次"},
    "first_orders": {"en": "first orders", "zh": "首单序号"},
    "breakeven_share": {"en": "break-even share", "zh": "回本比例"},
    "exit_share": {"en": "exit share", "zh": "出局比例"},
    "later_cash": {"en": "cash from later orders", "zh": "来自后来订单的现金"},
    "sec_growth": {"en": "The growth multiple each cohort needs", "zh": "各批会员需要的增长倍数"},
    "sec_growth_note": {"en": "Closed form (pool.md): a member who joined at order n_j sees its points worth what it "
                              "spent near order n_j·(1/(g·s))^(1/(1−g)), and a k-times exit near "
                              "n_j·(k/(g·s))^(1/(1−g)). Here g = {g}, s = {s} (pool money per yuan spent in this "
                              "run), k = {k}: break-even needs {m1}× the orders, exit {mk}×. 'Observed' is the "
                              "order count at which the price reached the cohort's median member's own first-order "
                              "break-even (or exit) price in this run.",
                        "zh": "闭式公式（pool.md）：第 n_j 单入场的会员，大约要到"
                              "第 n_j·(1/(g·s))^(1/(1−g)) 单积分才值回"
                              "消费额，k 倍出局要到第 n_j·(k/(g·s))^(1/(1−g"
                              ")) 单。本次 g = {g}，s = {s}（每元消费进入资金池的"
                              "比例），k = {k}：回本需要 {m1} 倍订单量，出"
                              "局需要 {mk} 倍。“实际”是本次运行中价格达到该批中位"
                              "会员首单回本（或出局）价格时的订单数。"},
    "n_j": {"en": "median member's first order n_j", "zh": "中位会员首单 n_j"},
    "pred_be": {"en": "break-even, closed form", "zh": "回本（公式）"},
    "obs_be": {"en": "break-even, observed", "zh": "回本（实际）"},
    "pred_exit": {"en": "exit, closed form", "zh": "出局（公式）"},
    "obs_exit": {"en": "exit, observed", "zh": "出局（实际）"},
    "not_reached": {"en": "not reached", "zh": "未达到"},
    "no_exit": {"en": "none (no forced exit)", "zh": "无（不出局）"},
    "sec_stress": {"en": "Stop-growth stress test", "zh": "停止增长压力测试"},
    "sec_stress_note": {"en": "From the end state: nobody joins any more and {share} of the members holding points "
                              "sell everything, in join order, through the engine's own sale rule (each sale keeps "
                              "r = {r} in the pool, forced exits cascade). Paper value is each seller's points at "
                              "the final price before the rush.",
                        "zh": "从最终状态出发：不再有新会员，持有积分的会员中 {s"
                              "hare} 按入会先后全部卖出，用引擎自己的卖出规则"
                              "（每笔卖出留 r = {r} 在池中，出局可连锁"
                              "触发）。账面价值是挤兑前按最终价格计算的积分价值。"},
    "holders": {"en": "members holding points", "zh": "持有积分的会员"},
    "sellers": {"en": "sellers", "zh": "卖出人数"},
    "paper": {"en": "paper value", "zh": "账面价值"},
    "paid": {"en": "actually paid", "zh": "实际到手"},
    "pool_before": {"en": "pool before", "zh": "挤兑前资金池"},
    "pool_after": {"en": "pool left after", "zh": "挤兑后资金池"},
    "first_decile": {"en": "first 10% of sellers got", "zh": "最先卖出的 10% 拿到"},
    "last_decile": {"en": "last 10% of sellers got", "zh": "最后卖出的 10% 拿到"},
    "of_paper": {"en": "of paper value", "zh": "占账面价值"},
    "of_spend": {"en": "of spend", "zh": "占消费额"},
    "sec_later": {"en": "Cash that came from later members' spending", "zh": "来自后来者消费的现金"},
    "sec_later_note": {"en": "The pool is read first-in, first-out (先进先出): every payout (sale, forced exit, "
                             "redemption) takes the oldest money still in the pool. The part of a member's payout "
                             "that comes from pool contributions of orders settled after that member's first order "
                             "counts as later money (the member's own repeat orders included; subsidies never count). "
                             "FIFO charges each payout to the oldest money first, so it is a favourable reading of "
                             "the scheme.",
                       "zh": "资金池按先进先出读取：每笔支出（卖出、出局、兑换）"
                             "先用池中最早的钱。会员收到的款项中，来自该会员首单"
                             "之后结算的订单所注入资金的部分，算作“后来者的钱"
                             "”（包括会员自己的复购；注资不计入）。先进先出把"
                             "每笔支出先记到最早的钱上，是对该模式较为有利的读法。"},
    "cash_total": {"en": "cash paid to members from the pool", "zh": "资金池付给会员的现金"},
    "later_total": {"en": "of which from later orders", "zh": "其中来自后来订单"},
    "sec_gini": {"en": "Concentration of net gain", "zh": "净收益集中度"},
    "sec_gini_note": {"en": "Net gain = cash received + points value at the final price − spend. The Gini "
                            "coefficient uses the Raffinetti–Siletti–Vernizzi normalisation so losses are allowed "
                            "and it stays between 0 (equal) and 1 (one member holds everything).",
                      "zh": "净收益 = 到手现金 + 按最终价格的积分价值 − 消费额。基尼"
                            "系数采用 Raffinetti–Siletti–Vernizzi "
                            "归一化，允许亏损，取值 0（完全平均）到 1（一人独占）。"},
    "gini": {"en": "Gini of net gain", "zh": "净收益基尼系数"},
    "winners": {"en": "members with a net gain", "zh": "净收益为正的会员"},
    "gains": {"en": "sum of gains", "zh": "盈利合计"},
    "losses": {"en": "sum of losses", "zh": "亏损合计"},
    "top_decile": {"en": "share of all gains held by the top 10%", "zh": "前 10% 会员占全部盈利的比例"},
    "sec_plans": {"en": "Plan payouts by rank", "zh": "按等级的奖励计划支出"},
    "plans_note": {"en": "This config has no reward plans (distribution, ranks: 分销, 等级), so the report covers "
                         "the appreciation pool (消费增值) only. With plans, this section shows what each plan paid, "
                         "by rank.",
                   "zh": "该配置没有奖励计划（分销、等级），因此本报告只分析消费增值资金池。"
                         "配置了奖励计划时，本节按等级列出每个计划的支出。"},
    "sec_plans_note": {"en": "Each reward plan pays from its own split bucket (拨比), never from the pool, through the "
                             "engine's own plan rules. 'Paid' is plan money that reached a member's cash or frozen "
                             "(帮扶基金) account; the cash, break-even and net-gain figures above count pool cash "
                             "only. Every commission here was paid out of some member's purchase. Ranks are each "
                             "plan's own at the end of the run (none: the plan's rank was never reached or given; "
                             "all: the plan has no ranks).",
                       "zh": "每个奖励计划只从自己的拨比桶支出，从不动用资金池，使用引擎自身的"
                             "计划规则。“支出”是进入会员零钱或冻结（帮扶基金）账户的计划资金；上面的现金、"
                             "回本和净收益数字只含资金池现金。这里的每一笔奖金都来自某位会员的消费。"
                             "等级为运行结束时各计划自己的等级（none：未达到或未被授予该计划的等级；"
                             "all：该计划没有等级）。"},
    "plans_sim_note": {"en": "Sponsors (推荐人) were drawn by the '{recruit}' recruiting model; the first {appoint} "
                             "members got the ranks an operator sets (dividend classes, regional agencies); dividend "
                             "periods closed every {period} days and once at the end.",
                       "zh": "推荐人按“{recruit}”招募模型抽取；最先加入的 {appoint} 名会员"
                             "获得运营方设置的等级（分红身份、区域代理）；分红每 {period} 天结算一次，"
                             "运行结束时再结算一次。"},
    "plans_line": {"en": "Reward plans paid {paid} to {members_paid} of {members} members ({residual} of the plan "
                         "buckets went unpaid, to the platform). The top 1% of members by plan income received "
                         "{top1} of it, the top 10% {top10}.",
                   "zh": "奖励计划共支出 {paid}，{members} 名会员中 {members_paid} 人拿到"
                         "（计划桶中未分配的 {residual} 归平台）。按计划收入排名前 1% 的会员拿走其中 "
                         "{top1}，前 10% 拿走 {top10}。"},
    "plan": {"en": "plan", "zh": "计划"},
    "rank": {"en": "rank", "zh": "等级"},
    "rank_members": {"en": "members", "zh": "人数"},
    "plan_paid": {"en": "paid", "zh": "支出"},
    "plan_mean": {"en": "mean per member", "zh": "人均"},
    "plan_share": {"en": "share of the plan's payouts", "zh": "占该计划支出"},
    "plans_top1": {"en": "share of plan payouts to the top 1% of members", "zh": "前 1% 会员拿走的计划支出比例"},
    "plans_top10": {"en": "share of plan payouts to the top 10% of members", "zh": "前 10% 会员拿走的计划支出比例"},
    "fig_plan_mean": {"en": "mean paid per member (yuan, log scale)", "zh": "人均支出（元，对数刻度）"},
    "exact_note": {"en": "All money figures are exact (integer cents) from the engine's domain rules; shares, "
                         "multiples and the Gini are rounded for display.",
                   "zh": "所有金额均由引擎领域规则精确计算（整数分）；比例、倍数和基尼系数仅为显示而四舍五入。"},
    "fig_price": {"en": "price (yuan/point)", "zh": "积分价格（元/分）"},
    "fig_pool": {"en": "pool money (yuan)", "zh": "资金池（元）"},
    "fig_orders": {"en": "orders settled", "zh": "已结算订单"},
    "fig_spend": {"en": "spend", "zh": "消费额"},
    "fig_cash": {"en": "cash out", "zh": "到手现金"},
    "fig_value": {"en": "points value", "zh": "积分账面价值"},
    "fig_cohort": {"en": "cohort (by first order)", "zh": "批次（按首单先后）"},
    "fig_yuan": {"en": "yuan", "zh": "元"},
    "fig_predicted_be": {"en": "break-even, closed form", "zh": "回本（公式）"},
    "fig_observed_be": {"en": "break-even, observed", "zh": "回本（实际）"},
    "fig_predicted_exit": {"en": "exit, closed form", "zh": "出局（公式）"},
    "fig_run_orders": {"en": "orders in this run", "zh": "本次运行订单数"},
    "fig_nj": {"en": "first order of the cohort's median member (n_j)", "zh": "中位会员首单序号 n_j"},
    "fig_orders_needed": {"en": "orders needed", "zh": "所需订单数"},
    "fig_paper": {"en": "paper value (cumulative)", "zh": "账面价值（累计）"},
    "fig_paid": {"en": "actually paid (cumulative)", "zh": "实际到手（累计）"},
    "fig_sellers": {"en": "sellers, in selling order", "zh": "卖出人数（按卖出顺序）"},
    "fig_percentile": {"en": "members, from largest loss to largest gain (%)", "zh": "会员（从亏损最多到盈利最多，%）"},
    "fig_net_gain": {"en": "net gain (yuan)", "zh": "净收益（元）"},
}


def translator(lang: str) -> Callable[[str], str]:
    if lang not in LANGS:
        raise ValueError(f"language must be one of {', '.join(LANGS)}")
    return lambda key: TEXTS[key][lang]
