"""知识库 pages: search, the unit's entries and their workflow, flags, Excel, figures."""
