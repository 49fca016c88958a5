"""The economics truth report (``zengzhi report``): exact analysis of a run, rendered to HTML.

``collect`` replays domain events through the pure state machine and records
what the report needs; ``analysis`` turns that into the sections (cohorts,
growth multiple, stop-growth stress test, later-money share, Gini);
``figures`` draws matplotlib PNGs; ``render`` writes the HTML (zh-CN or English).
"""
