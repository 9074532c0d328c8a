"""``hotline bench_pages``: the page-speed benchmark of the workbenches (``hotline.web.bench``)."""
