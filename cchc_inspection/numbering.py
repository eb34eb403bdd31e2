"""Register numbers: per agency, per year, per document type, from 01, never skipped."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from .models import RegisterCounter, RegisterEntry


@transaction.atomic
def take_number(*, document, agency, issued_on, actor):
    """Give ``document`` the next number of its agency's register and record it.

    The counter row is locked for the rest of the transaction, so documents issued at the
    same moment get consecutive numbers; if the issuing transaction rolls back, so does
    the number, which leaves no gap.
    """
    doc_type = document.DOC_TYPE
    counter, _ = RegisterCounter.objects.get_or_create(
        agency=agency, year=issued_on.year, doc_type=doc_type
    )
    counter = RegisterCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    entry = RegisterEntry.objects.create(
        agency=agency,
        year=issued_on.year,
        doc_type=doc_type,
        number=counter.last_number,
        symbol=document.symbol,
        issued_on=issued_on,
        content_type=ContentType.objects.get_for_model(type(document)),
        object_id=document.pk,
        issued_by=actor,
    )
    document.number = entry.number
    document.issued_on = issued_on
    return entry
