"""Pure domain of zengzhi: exact pool, ledger, members and the state machine.

Standard library only; no clock, IO or randomness (they are passed in).
"""
