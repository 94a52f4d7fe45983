"""The documents the office files, drafted from the registers (python-docx):
《月度职工思想动态分析报告》 (monthly_doc), 《“八级慧谈”诉求承办单》 (forms), the 公示 list
(notice) and the session minutes 慧谈纪要 (minutes). Page and type follow GB/T 9704
(official). records.py turns registers into the records each document shows; plans.py
wires them as jobs. Each generator is pure: records -> OfficialDocument -> bytes."""
