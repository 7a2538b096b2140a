"""Funding rules (SPEC §2.7, §2.8): every cost fully paid, shares within the rules, envelopes,
own funds and OPCA access fees.

Codes: ``cost_coverage``, ``share_bounds``, ``share_sum``, ``opca_access``, ``access_fee``,
``envelope``, ``own_funds``, ``negative_amount``, ``duplicate_id``, ``unknown_id``,
``derived_field``, ``file_format``.

Tolerances: a group's rows (one session, member and cost item) must add up to its cost within
1 cent per row; a line's amount must lie in [Σ share_min, Σ share_max] × cost of the line's
applicable rules within 1 cent per trainee of the group (each trainee's share may have been
rounded on its own). Envelopes and own funds are compared exactly.
"""

from __future__ import annotations

from collections import defaultdict

from planner.checker.costs import Group, GroupCost
from planner.checker.index import PlanIndex
from planner.checker.read import ASSIGNMENTS, FUNDING, FundingRecord
from planner.checker.report import Violation
from planner.domain import OWN, CostItem, Funder, Member, Rule
from planner.domain.units import PPM

FEE_PREFIX = "access_fee:"
COST_ITEMS = {c.value for c in CostItem}


def eur(cents: float) -> str:
    return f"{cents / 100:,.2f} EUR"


def pct(ppm: int) -> str:
    return f"{ppm / PPM * 100:g} %"


class _Funding:
    """One pass over funding.csv: row checks first, then groups and totals."""

    def __init__(self, ix: PlanIndex, costs: dict[Group, GroupCost]):
        self.ix, self.sc, self.costs = ix, ix.scenario, costs
        self.out: list[Violation] = []
        self.fee_paid: set[tuple[str, str]] = set()  # (member_id, funder_id)
        self.groups: dict[Group, list[FundingRecord]] = defaultdict(list)

    def v(self, rule: str, r: FundingRecord | None, message: str, session_id: str | None = None,
          member_id: str | None = None) -> None:
        self.out.append(Violation(
            rule, message, session_id=session_id or (r.session_id if r else None) or None,
            member_id=member_id or (r.member_id if r else None) or None,
            file=FUNDING if r else None, row=r.row if r else None,
        ))

    # --- rows --------------------------------------------------------------------------------
    def rows(self) -> None:
        seen: dict[tuple[str, str, str, str], int] = {}
        fees: dict[tuple[str, str], int] = {}
        for r in self.ix.plan.funding:
            if r.amount_cents < 0:
                self.v("negative_amount", r, f"{FUNDING} row {r.row} pays a negative amount {eur(r.amount_cents)}")
            key = (r.session_id, r.member_id, r.line_id, r.cost_item)
            if key in seen:
                self.v("duplicate_id", r, f"{FUNDING} rows {seen[key]} and {r.row} are both for session "
                       f"{r.session_id!r}, member {r.member_id!r}, line {r.line_id!r}, {r.cost_item}; one row each")
            seen.setdefault(key, r.row)
            member = self.sc.member.get(r.member_id)
            if member is None:
                self.v("unknown_id", r, f"{FUNDING} row {r.row} names an unknown member {r.member_id!r}")
            if not r.session_id:
                self._fee_row(r, member, fees)
                continue
            if r.cost_item.startswith(FEE_PREFIX):
                self.v("access_fee", r, f"{FUNDING} row {r.row}: an access fee is paid once per member, "
                       f"with an empty session_id, not for session {r.session_id!r}")
                continue
            self._line(r)
            if r.cost_item not in COST_ITEMS:
                self.v("unknown_id", r, f"{FUNDING} row {r.row} has cost_item {r.cost_item!r}; expected one of "
                       f"{', '.join(sorted(COST_ITEMS))}")
                continue
            status = self.ix.session_status(r.session_id)
            if status == "unknown":
                self.v("unknown_id", r, f"{FUNDING} row {r.row} names an unknown session {r.session_id!r}")
            if status == "live" and member is not None:
                self.groups[(r.session_id, r.member_id, r.cost_item)].append(r)

    def _line(self, r: FundingRecord) -> None:
        """Check line_id and funder_id."""
        if r.line_id == OWN:
            if r.funder_id != r.member_id:
                self.v("derived_field", r, f"{FUNDING} row {r.row}: own funds must name the member as funder_id "
                       f"({r.member_id!r}), not {r.funder_id!r}")
            return
        line = self.sc.budget_line.get(r.line_id)
        if line is None:
            self.v("unknown_id", r, f"{FUNDING} row {r.row} names an unknown budget line {r.line_id!r}")
        elif r.funder_id != line.funder_id:
            self.v("derived_field", r, f"{FUNDING} row {r.row}: line {line.id!r} belongs to funder "
                   f"{line.funder_id!r}, not {r.funder_id!r}")

    def _fee_row(self, r: FundingRecord, member: Member | None, fees: dict[tuple[str, str], int]) -> None:
        if not r.cost_item.startswith(FEE_PREFIX):
            self.v("file_format", r, f"{FUNDING} row {r.row} has no session_id but is not an access fee "
                   f"(cost_item {r.cost_item!r}; expected {FEE_PREFIX}<funder id>)")
            return
        fid = r.cost_item[len(FEE_PREFIX):]
        if r.line_id != OWN:
            self.v("access_fee", r, f"{FUNDING} row {r.row}: the access fee to {fid!r} is paid from own funds "
                   f"(line_id 'own'), not from line {r.line_id!r}")
        if r.funder_id != r.member_id:
            self.v("derived_field", r, f"{FUNDING} row {r.row}: an access fee names the paying member as "
                   f"funder_id ({r.member_id!r}), not {r.funder_id!r}")
        funder: Funder | None = self.sc.funder.get(fid)
        if funder is None:
            self.v("unknown_id", r, f"{FUNDING} row {r.row} pays an access fee to an unknown funder {fid!r}")
            return
        if member is None:
            return
        who = f"member {member.id!r}"
        if (member.id, fid) in fees:
            self.v("access_fee", r, f"{who} pays the access fee to {fid!r} twice ({FUNDING} rows "
                   f"{fees[(member.id, fid)]} and {r.row}); once is enough")
        fees.setdefault((member.id, fid), r.row)
        self.fee_paid.add((member.id, fid))
        if not funder.opca or funder.access_fee_cents is None:
            self.v("access_fee", r, f"{who} pays an access fee to {fid!r}, which "
                   + ("is not an OPCA" if not funder.opca else "opens no access to non-adherents"))
        elif r.amount_cents != funder.access_fee_cents:
            self.v("access_fee", r, f"{who} pays {eur(r.amount_cents)} as access fee to {fid!r}; the fee is "
                   f"{eur(funder.access_fee_cents)}")
        if member.opca == fid:
            self.v("access_fee", r, f"{who} adheres to {fid!r} and needs no access fee")

    # --- groups ------------------------------------------------------------------------------
    def groups_paid(self) -> None:
        """Each group is fully paid, each line within its rules' shares, shares ≤ 100 %."""
        plan = self.ix.plan
        if not plan.intact(ASSIGNMENTS, FUNDING):
            return  # costs or rows are incomplete: totals would only repeat the file_format findings
        for key in sorted(set(self.costs) | set(self.groups)):
            if key in plan.broken_groups:
                continue
            cost = self.costs.get(key, GroupCost())
            rows = self.groups.get(key, [])
            # shares are only meaningful once the rows pay the cost: one finding per group
            if self._covered(key, cost, rows):
                self._shares(key, cost, rows)

    def _covered(self, key: Group, cost: GroupCost, rows: list[FundingRecord]) -> bool:
        sid, mid, item = key
        paid = sum(r.amount_cents for r in rows)
        if abs(paid - cost.cents) <= len(rows):
            return True
        if cost.trainees == 0 and cost.cents == 0:
            what = f"member {mid!r} has no {item} cost in session {sid!r}"
        else:
            what = f"the {item} cost of member {mid!r} in session {sid!r} is {eur(cost.cents)}"
        self.v("cost_coverage", None, f"{what} but its funding rows pay {eur(paid)} "
               f"({len(rows)} row(s), tolerance 1 cent per row)", session_id=sid, member_id=mid)
        return False

    def applicable(self, line_id: str, item: str, family, member: Member) -> list[Rule]:
        return [
            r for r in self.sc.rules
            if r.line_id == line_id and r.cost_item.value == item
            and r.matches(family, member.kind, member.territory_id)
        ]

    def _shares(self, key: Group, cost: GroupCost, rows: list[FundingRecord]) -> None:
        sid, mid, item = key
        session, member = self.ix.sessions[sid], self.sc.member[mid]
        paid_by: dict[str, int] = defaultdict(int)
        for r in rows:
            paid_by[r.line_id] += r.amount_cents
        c, tol = cost.cents, max(1, cost.trainees)
        what = f"the {item} cost of member {mid!r} in session {sid!r}"
        min_total, via_fee = 0, []
        for line in self.sc.budget_lines:
            amount = paid_by.get(line.id, 0)
            rules = self.applicable(line.id, item, session.module.family, member)
            if not rules:
                if amount:
                    self.v("share_bounds", None, f"line {line.id!r} pays {eur(amount)} of {what} but none of its "
                           f"rules covers {item} of a {session.module.family.value} module for kind "
                           f"{member.kind.value} in territory {member.territory_id!r}", session_id=sid, member_id=mid)
                continue
            funder = self.sc.funder.get(line.funder_id)
            opca = funder is not None and funder.opca
            if opca and member.opca != funder.id and (mid, funder.id) not in self.fee_paid:
                if amount:
                    self.v("opca_access", None, f"line {line.id!r} of OPCA {funder.id!r} pays {eur(amount)} of {what} "
                           f"but {mid!r} neither adheres to {funder.id!r} nor pays its access fee",
                           session_id=sid, member_id=mid)
                continue
            lo, hi = sum(r.share_min_ppm for r in rules), sum(r.share_max_ppm for r in rules)
            if amount * PPM < lo * c - tol * PPM or amount * PPM > hi * c + tol * PPM:
                share = pct(lo) if lo == hi else f"{pct(lo)}..{pct(hi)}"
                self.v("share_bounds", None, f"line {line.id!r} pays {eur(amount)} of {what}; its rule(s) set "
                       f"{share} of {eur(c)}, i.e. {eur(lo * c / PPM)}..{eur(hi * c / PPM)} "
                       f"(tolerance {tol} cent(s))", session_id=sid, member_id=mid)
            min_total += lo
            if opca and member.opca != funder.id:
                via_fee.append(line.id)
        if c > 0 and min_total > PPM:
            cause = (f"; the access fee paid to open line(s) {', '.join(via_fee)} makes it so" if via_fee
                     else " (the scenario itself allows this)")
            self.v("share_sum", None, f"the minimum shares of the rules that apply to {what} add up to "
                   f"{pct(min_total)}, above 100 %{cause}", session_id=sid, member_id=mid)

    # --- totals ------------------------------------------------------------------------------
    def totals(self) -> None:
        spent: dict[str, int] = defaultdict(int)
        own: dict[str, int] = defaultdict(int)
        for r in self.ix.plan.funding:
            if r.line_id == OWN:
                own[r.member_id] += r.amount_cents
            else:
                spent[r.line_id] += r.amount_cents
        for line in self.sc.budget_lines:
            if line.envelope_cents is not None and spent.get(line.id, 0) > line.envelope_cents:
                self.v("envelope", None, f"line {line.id!r} of {line.funder_id!r} spends {eur(spent[line.id])}, "
                       f"above its envelope of {eur(line.envelope_cents)}")
        for mid, total in sorted(own.items()):
            member = self.sc.member.get(mid)
            if member is not None and total > member.own_funds_cents:
                self.v("own_funds", None, f"member {mid!r} pays {eur(total)} from own funds (access fees "
                       f"included), above its {eur(member.own_funds_cents)}", member_id=mid)


def check(ix: PlanIndex, costs: dict[Group, GroupCost]) -> list[Violation]:
    if not ix.plan.readable(FUNDING):
        return []
    f = _Funding(ix, costs)
    f.rows()
    f.groups_paid()
    f.totals()
    return f.out
