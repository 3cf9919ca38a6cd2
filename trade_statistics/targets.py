"""The provincial target the dashboard is read against (DOMAIN §7.3)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PlanTarget:
    instrument: str
    title: object
    issued_on: date
    year: int
    value_usd: Decimal
    amount: object
    measure: object


# 浙江省跨境电子商务实施方案 (浙政办发〔2014〕59号), 一(二)主要目标: "争取到2017年，全省实现跨境电子商务
# 年交易额（指注册地在浙江省行政区域内企业实现的交易额）500亿美元".
PLAN_2014 = PlanTarget(
    instrument="浙政办发〔2014〕59号",
    title=_("Zhejiang implementation plan for cross-border e-commerce"),
    issued_on=date(2014, 4, 29),
    year=2017,
    value_usd=Decimal("50000000000"),
    amount=_("USD 50 billion"),
    measure=_(
        "Annual cross-border e-commerce transaction value of enterprises registered in Zhejiang Province"
    ),
)
