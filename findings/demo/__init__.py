"""A year of inspections to try the product with: what ``manage.py load_demo_data`` makes.

The loader takes the latest plan (a draft fresh from the seed) and plays its year the way
the pages would: the leader issues the plan and the team decisions, CCHC staff schedule,
request, review, draft conclusions and follow remediation, team members write minutes and
findings, and each unit's focal person answers the outline with figures and evidence and
reports what it fixed. Every step is a call to the same service the page calls, with the
person the page would require; nothing sets a status by hand.

Dates. The plan is issued on a day of its own year (the document says "năm 2023"), but the
inspections happen around *today*, so that the dashboard has reports due this week and
late, and remediation due soon and overdue. Services that normally use the current day
take ``today=``/``issued_on=``/``now=`` for that; the status log itself is written at the
time the loader runs.

No inspection rests in the "concluded" status: issuing a conclusion moves it on at once
(to remediating, or closed when nothing is to be fixed), which the log shows. None rests
in "planned" either: no page or service creates a planned inspection (scheduling makes it
"scheduled" at once), so the units of Phụ lục 1 left unscheduled are the planned ones.

Units other than Sở Tư pháp and Huyện Đông Sơn get a focal person's account of their own
("daumoi-<unit name>", the demo password), so that each report is written by its unit.
Notifications are not sent (the command swaps in the in-memory mail backend).

Modules: ``content`` (the units' stories and every Vietnamese text), ``figures`` (figures
that satisfy the outline's rules), ``files`` (the PDFs and spreadsheets), ``loader`` (the
year, played through the services), ``reset`` (the mark on a filled plan, and ``--reset``).
"""

from .loader import Loader
from .reset import MARKER, DemoError, check_loadable, marker_of, wipe

__all__ = ["MARKER", "DemoError", "Loader", "check_loadable", "marker_of", "wipe"]
