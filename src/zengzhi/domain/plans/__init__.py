"""Reward plans (营销模式): one module per plan, named after its rule.

A plan is configured by a ``PlanSpec`` (immutable, parsed from the tenant's
``plans:`` list by ``registry.parse_plan``) and runs as a ``Plan`` (its
mutable state: ranks, quotas, dividend pools …), one per tenant state. The
``runner`` calls every plan on each settled order and turns what they pay
into postings from their bucket; see docs/plans.md.
"""
