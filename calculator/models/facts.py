"""The facts a rule may test: their names and what each means, in Chinese.

Rule files name these facts in conditions (`when: {fact: leave_months_in_year, op: ">",
value: 3}`); how each is computed from a person's case is the engine's (`engine/facts.py`),
so the same sentence in two provinces is computed the same way.
"""

from __future__ import annotations

from typing import Literal

FactName = Literal[
    "posting_months_in_year",
    "longest_posting_months",
    "covid_frontline",
    "covid_frontline_designated",
    "months_to_retirement_at_year_end",
    "leave_months_in_year",
    "disability",
    "title_applicant",
    "makeup_eligible",
    "months_in_post_in_year",
]
FACT_NAMES: frozenset[str] = frozenset(FactName.__args__)  # type: ignore[attr-defined]

FACT_LABELS: dict[str, str] = {
    "posting_months_in_year": "本年度内考核合格的外派（三援、东西部扶贫协作等）月数",
    "longest_posting_months": "与本年度重叠、考核合格的外派中最长一次的总月数",
    "covid_frontline": "参与疫情防控一线工作",
    "covid_frontline_designated": "经卫生健康部门确定的疫情防控一线卫生专业技术人员",
    "months_to_retirement_at_year_end": "截至当年12月31日距法定退休的月数",
    "leave_months_in_year": "本年度病休、孕产假合计月数",
    "disability": "因身体残疾等原因不能按期培训",
    "title_applicant": "本年度申报职称",
    "makeup_eligible": "因机构改革转岗等客观原因确需补学",
    "months_in_post_in_year": "本年度在岗月数（新进、调入人员自到岗之日起计）",
}
