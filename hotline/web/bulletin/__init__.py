"""The monthly bulletin page (月度通报): read it in the browser, download it as Excel or PDF."""
