"""统计分析 pages: dashboards, hot issues, proactive governance (docs/analytics.md)."""
