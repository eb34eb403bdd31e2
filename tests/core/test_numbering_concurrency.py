"""Register numbers stay unique and gap-free when many documents are issued at the same
moment: eight threads, each with its own database connection and transaction, take a number
for their own plan at once (PostgreSQL, where row locks are real)."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction

from cchc_inspection.models import RegisterCounter, RegisterEntry
from cchc_inspection.numbering import take_number
from plans.models import InspectionPlan
from tests import factories as f

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises every writer, so there is no race to test",
)

ISSUED_ON = datetime.date(2023, 3, 5)


class RolledBack(Exception):
    pass


def issue_in_thread(plan_pk, barrier, errors, roll_back=False):
    """Issue one plan in this thread's own transaction, all threads starting together."""
    try:
        barrier.wait(timeout=30)
        with transaction.atomic():
            plan = InspectionPlan.objects.select_for_update().get(pk=plan_pk)
            take_number(document=plan, agency=plan.agency, issued_on=ISSUED_ON, actor=None)
            time.sleep(0.05)  # hold the counter's lock while the others queue behind it
            if roll_back:
                raise RolledBack
            plan.status = InspectionPlan.Status.ISSUED
            plan.save(update_fields=["number", "issued_on", "status"])
    except RolledBack:
        pass
    except Exception as error:  # reported by the test, not lost in the thread
        errors.append(error)
    finally:
        connection.close()


def test_eight_documents_issued_at_once_get_numbers_one_to_eight(transactional_db):
    agency = f.AgencyFactory()
    issued = [f.PlanFactory(agency=agency).pk for _ in range(8)]
    abandoned = [f.PlanFactory(agency=agency).pk for _ in range(2)]
    barrier = threading.Barrier(len(issued) + len(abandoned))
    errors = []
    threads = [
        threading.Thread(target=issue_in_thread, args=(pk, barrier, errors, pk in abandoned))
        for pk in [*issued[:4], *abandoned, *issued[4:]]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    numbers = sorted(InspectionPlan.objects.filter(pk__in=issued).values_list("number", flat=True))
    assert numbers == list(range(1, 9))
    entries = RegisterEntry.objects.filter(agency=agency, year=2023, doc_type="KH")
    assert sorted(entries.values_list("number", flat=True)) == list(range(1, 9))
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(issued)
    assert RegisterCounter.objects.get(agency=agency, year=2023, doc_type="KH").last_number == 8
    # The two rolled-back issues left neither a number nor a gap.
    assert not InspectionPlan.objects.filter(pk__in=abandoned, number__isnull=False).exists()
