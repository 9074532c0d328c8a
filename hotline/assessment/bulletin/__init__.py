"""The monthly bulletin (月度通报) and the data of the public disclosure page (ankang §29, heyuan §19).

- :func:`build_bulletin` assembles a month (build.py; figures.py holds the aggregate queries);
- :func:`write_xlsx` and :func:`render_pdf` / :func:`render_html` write it out (excel.py, render.py, charts.py);
- :mod:`.public` lists processed appeals with personal data removed (scrub.py) and the units' results.
"""

from hotline.assessment.bulletin.build import Bulletin, build_bulletin
from hotline.assessment.bulletin.excel import write_xlsx
from hotline.assessment.bulletin.figures import Month
from hotline.assessment.bulletin.render import render_html, render_pdf

__all__ = ["Bulletin", "Month", "build_bulletin", "render_html", "render_pdf", "write_xlsx"]
