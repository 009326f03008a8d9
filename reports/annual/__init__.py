"""The annual information-disclosure work report (政府信息公开工作年度报告)."""
