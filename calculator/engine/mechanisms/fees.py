"""Fees for paid platform courses: what has been paid, what completing would cost, the
reimbursement limit."""

from __future__ import annotations

from ...models.result import FeeCategory, Fees, RequirementLine
from ...models.rules import FeeRate, FreeHours, ReimbursementLimit
from ..cite import cite_entry
from ..words import num
from .state import ZERO, Evaluation, d, f


def fees(ev: Evaluation, lines: list[RequirementLine], deemed: bool) -> Fees | None:
    rules = ev.rules
    fee_rules = rules.rules.fees
    rates = [x for x in fee_rules if isinstance(x, FeeRate)]
    if not rates:
        return None
    free = {x.category: d(x.hours) for x in fee_rules if isinstance(x, FreeHours)}
    limit = next((x for x in fee_rules if isinstance(x, ReimbursementLimit)), None)
    shortfall = {line.category: d(line.shortfall) for line in lines if line.category}
    categories, so_far, to_complete = [], ZERO, ZERO
    u = ev.unit
    for rate in rates:
        yuan = d(rate.yuan_per_hour)
        paid = ev.ledger.paid[(ev.year, rate.category)]
        free_total = free.get(rate.category, ZERO)
        free_used = min(paid, free_total)
        amount = (paid - free_used) * yuan
        missing = ZERO if deemed else shortfall.get(rate.category, ZERO)
        hours_to_complete = max(ZERO, missing - (free_total - free_used))
        fc = FeeCategory(
            category=rate.category, category_name=rules.label(rate.category), yuan_per_hour=rate.yuan_per_hour,
            paid_hours=f(paid), free_hours_used=f(free_used), amount=f(amount),
            hours_to_complete=f(hours_to_complete), amount_to_complete=f(hours_to_complete * yuan),
            citation=cite_entry(rules, "fees", rate),
        )
        categories.append(fc)
        so_far += amount
        to_complete += hours_to_complete * yuan
        ev.note("fee", f"{fc.category_name}：已学平台课程{num(fc.paid_hours)}{u}，其中免费{num(fc.free_hours_used)}{u}，"
                       f"费用{num(fc.amount)}元；补足还需{num(fc.hours_to_complete)}{u}，约{num(fc.amount_to_complete)}元",
                fc.citation, f"fees/{rate.id}", amount=fc.amount, to_complete=fc.amount_to_complete)
    total = so_far + to_complete
    reimbursable = min(total, d(limit.yuan)) if limit else total
    out = Fees(
        categories=categories, amount_so_far=f(so_far), amount_to_complete=f(to_complete), total=f(total),
        reimbursement_limit=limit.yuan if limit else None, reimbursable=f(reimbursable),
        limit_citation=cite_entry(rules, "fees", limit) if limit else None,
        citations=[cite_entry(rules, "fees", x) for x in fee_rules],
    )
    if out.reimbursement_limit is not None:
        ev.note("fee", f"费用合计{num(out.total)}元，报账限额{num(out.reimbursement_limit)}元，可报销{num(out.reimbursable)}元",
                out.limit_citation, f"fees/{limit.id}" if limit else None, total=out.total)
    return out
