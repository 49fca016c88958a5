"""The rules the audit's findings relate to, cited once here (zh + en gloss).

Article numbers are given only where checked; each finding names one of these.
Not legal advice: a finding says a config *resembles* what a rule describes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Law:
    key: str
    zh: str
    en: str
    short_zh: str  # for a table cell
    short_en: str

    def cite(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def short(self, lang: str) -> str:
        return self.short_zh if lang == "zh" else self.short_en


# 组织、领导传销活动罪: three or more levels and thirty or more members is the criminal threshold
CHAIN_DEPTH = Law(
    "chain_depth",
    "《最高人民法院 最高人民检察院 公安部关于办理组织领导传销活动刑事案件适用法律若干问题的意见》"
    "(公通字〔2013〕37号) 第一条 (层级在三级以上); 《刑法》第二百二十四条之一",
    "SPC/SPP/MPS Opinions on criminal cases of organising pyramid selling (2013) art. 1 "
    "(three or more levels); Criminal Law art. 224-1",
    "2013《意见》第一条; 《刑法》第二百二十四条之一",
    "2013 Opinions art. 1; Criminal Law art. 224-1",
)

RECRUITMENT = Law(
    "recruitment",
    "《禁止传销条例》(国务院令第444号) 第七条第(一)项: 以发展人员数量为依据计算和给付报酬 (拉人头)",
    "Regulations on Prohibition of Pyramid Selling (State Council Decree 444) art. 7(1): "
    "pay based on the number of people recruited",
    "《禁止传销条例》第七条(一)",
    "Decree 444 art. 7(1)",
)

ENTRY_FEE = Law(
    "entry_fee",
    "《禁止传销条例》(国务院令第444号) 第七条第(二)项: 交纳费用或以认购商品等方式变相交纳费用取得加入资格 (入门费)",
    "Regulations on Prohibition of Pyramid Selling (State Council Decree 444) art. 7(2): "
    "a fee, or a purchase in its place, to qualify (entry fee)",
    "《禁止传销条例》第七条(二)",
    "Decree 444 art. 7(2)",
)

TEAM_PAY = Law(
    "team_pay",
    "《禁止传销条例》(国务院令第444号) 第七条第(三)项: 以下线的销售业绩为依据计算和给付上线报酬 (团队计酬)",
    "Regulations on Prohibition of Pyramid Selling (State Council Decree 444) art. 7(3): "
    "upline pay computed on the downline's sales (team pay)",
    "《禁止传销条例》第七条(三)",
    "Decree 444 art. 7(3)",
)

DIRECT_SELLING_CAP = Law(
    "direct_selling_cap",
    "《直销管理条例》(国务院令第443号) 第二十四条: 直销员报酬总额不得超过其本人直接向消费者销售产品收入的30%",
    "Direct Selling Regulations (State Council Decree 443) art. 24: a direct seller's total pay "
    "at most 30% of its own direct sales to consumers",
    "《直销管理条例》第二十四条",
    "Decree 443 art. 24",
)

FUNDRAISING = Law(
    "fundraising",
    "《防范和处置非法集资条例》(国务院令第737号) 第二条: 以许诺还本付息或者给予其他投资回报等方式向不特定对象吸收资金",
    "Regulations on Preventing and Handling Illegal Fund-raising (State Council Decree 737) art. 2: "
    "taking money from the public with a promise of principal, interest or other returns",
    "《防范和处置非法集资条例》第二条",
    "Decree 737 art. 2",
)

ADVERTISING = Law(
    "advertising",
    "《广告法》第二十五条: 招商等有投资回报预期的广告不得对未来效果、收益作出保证性承诺 (保本、无风险、保收益); "
    "《防范和处置非法集资条例》第十一条: 不得发布包含集资内容的广告",
    "Advertising Law art. 25: no guarantee of future results or returns in ads with an expected "
    "investment return (principal-safe, risk-free, assured profit); Illegal Fund-raising Regulations art. 11: "
    "no fund-raising advertising",
    "《广告法》第二十五条; 《防范和处置非法集资条例》第十一条",
    "Advertising Law art. 25; Decree 737 art. 11",
)

# not a law: the one promise the pool rules make (shared/spec/pool.md, docs/rules.md)
POOL_PROMISE = Law(
    "pool_promise",
    "zengzhi 池规则 (pool.md «Monotone price»): 唯一的保证是积分价格不下跌, 不保证任何人收回所花的钱",
    "zengzhi pool rules (pool.md, Monotone price): the only promise is that the point price never falls; "
    "nobody is promised to get back what they spent",
    "pool.md: 价格不下跌是唯一的保证",
    "pool.md: the price never falls, nothing more",
)
