"""Withdrawals (提现) in the stream kernel: the array twin of ``domain.withdrawal``.

A withdrawal id owns a slot ``wd[slot] = (status, member row, amount)``; the
encoder gives every id its slot, the kernel decides what depends on balances
and on earlier requests: an id already requested is a duplicate (same member
and amount: accepted, nothing changes) or a conflict; a request above the
member's cash is refused. ``withdraw_done`` sends the money out,
``withdraw_fail`` puts it back into cash; both only from in flight or approved.
"""

from __future__ import annotations

from zengzhi.sim.jit import kernel
from zengzhi.sim.layout import M_CASH, M_WITHDRAWING, S_WITHDRAWN, Array

W_NONE, W_IN_FLIGHT, W_APPROVED, W_DONE, W_FAILED = range(5)


@kernel()
def request(mem: Array, wd: Array, m: int, amount: int, slot: int) -> bool:
    """``request_withdrawal`` after its static checks (valid id); False = rejected. ``m`` is -1 if unknown."""
    if wd[slot, 0] != W_NONE:
        return bool(wd[slot, 1] == m and wd[slot, 2] == amount)
    if m < 0 or amount <= 0 or amount > mem[m, M_CASH]:
        return False
    mem[m, M_CASH] -= amount
    mem[m, M_WITHDRAWING] += amount
    wd[slot, 0] = W_IN_FLIGHT
    wd[slot, 1] = m
    wd[slot, 2] = amount
    return True


@kernel()
def approve(wd: Array, slot: int) -> bool:
    if wd[slot, 0] != W_IN_FLIGHT:
        return False
    wd[slot, 0] = W_APPROVED
    return True


@kernel()
def finish(mem: Array, sc: Array, wd: Array, slot: int, done: bool) -> bool:
    """``withdraw_done`` (money leaves) or ``withdraw_fail`` (back to cash) of an in-flight withdrawal."""
    if wd[slot, 0] != W_IN_FLIGHT and wd[slot, 0] != W_APPROVED:
        return False
    m = wd[slot, 1]
    amount = wd[slot, 2]
    mem[m, M_WITHDRAWING] -= amount
    if done:
        sc[S_WITHDRAWN] += amount
        wd[slot, 0] = W_DONE
    else:
        mem[m, M_CASH] += amount
        wd[slot, 0] = W_FAILED
    return True
