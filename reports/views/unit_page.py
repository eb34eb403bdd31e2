"""The report form as a page: the parts of the outline it is shown in, and the rows of
one part, prepared for ``templates/reports/unitreport_form.html`` (the views that show and
save it are ``reports.views.unit``'s).

A province outline has ~55 items and ~70 figures: shown at once, the page cost ten times
what a request may. So the form is shown one part of the outline at a time (Phần I, II,
IV… as the report is written; a long part, such as Phần I with its four headings or
Phần II with its six fields of reform, one heading at a time), with a navigation (the
outline's table of contents) that tells how far each part is. Everything a row shows is
prepared here as plain strings and the template writes the inputs itself: a Django
widget, a ``reverse()`` or an integer localized per field would cost more than the rest
of the request. ``ItemForm`` only reads what a save posts.

What a unit is asked of the outline and the parts of its form come from
``unit_shape`` (kept per process while the outline is frozen); the report's own rows
from ``unit_queries``, a handful of precompiled queries; the navigation's entries and the
figures' inputs, repeated many times a page, are written by ``unit_html``.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.http import Http404

from cchc_inspection import vn
from cchc_inspection.links import link

from .. import figures
from ..forms import BOOLEAN_CHOICES, ItemForm
from ..models import Evidence, Indicator, UnitReport
from . import unit_html
from . import unit_queries as queries
from .unit_shape import PART_MAX_ITEMS, form_shape, heading

__all__ = ["EVIDENCE_PART", "PART_MAX_ITEMS", "ReportPage", "item_page_url"]

EVIDENCE_PART = "tai-lieu"  # ``?phan=`` of the evidence list, beside the parts


@dataclass(eq=False)
class Part:
    """One page of the form as this request shows it: its ``PartShape`` (see there) with
    its URL and how far the unit is on it."""

    item: object
    url: str
    group: object
    first_in_group: bool
    items: tuple
    indicators: tuple
    title: str
    full_title: str
    group_title: str
    answerable: int
    answered: int = 0
    filled: int = 0
    errors: int = 0  # figures with an error
    comments: int = 0  # the reviewers' comments at its items
    current: bool = False  # the page shown

    @classmethod
    def of(cls, shape, url):
        return cls(url=f"{url}?phan={shape.item.id}", **vars(shape))

    @property
    def summary(self):
        done = [f"đã trả lời {self.answered}/{self.answerable} mục"] if self.answerable else []
        if self.indicators:
            done.append(f"đã nhập {self.filled}/{len(self.indicators)} số liệu")
        text = "; ".join(done)
        return text[:1].upper() + text[1:]


def item_page_url(inspection, items, item_id):
    """The report page at an item (its page is found from the item itself); the first
    page for an item the unit is not asked."""
    url = link("reports:report-edit", inspection.pk)
    if any(item.id == item_id for item in items):
        return f"{url}?phan={item_id}#item-{item_id}"
    return url


@dataclass
class FileName:
    """What a part of the form shows of an evidence file (the list reads the whole row)."""

    pk: int
    original_name: str
    sha256: str
    previous_id: int | None
    is_duplicate: bool = False

    @property
    def download_url(self):  # only the files of the part shown need one
        return link("reports:evidence-download", self.pk)


@dataclass
class FigureRow:
    """One figure of an item: its input (or, read only, its value) and what is said about it."""

    indicator: object
    pk: str
    label: str
    messages: list
    display: str  # the stored value as a sentence shows it
    unit_of_measure: str
    input_id: str = ""
    version_id: str = ""
    value: str = ""  # what the input shows: the stored value, or what was just posted
    saved: str = ""  # the stored value, so the script knows what is unsaved
    version: str = ""
    save_url: str = ""
    errors: list = field(default_factory=list)
    conflict: object = None
    previous_note: str = ""  # "Báo cáo năm 2022: 1.234 văn bản", beside the input
    previous_short: str = ""  # "năm 2022: 1.234 văn bản", beside a value read only
    choices = BOOLEAN_CHOICES  # a yes/no figure's options, as ItemForm reads them

    @property
    def is_boolean(self):
        return self.indicator.kind == Indicator.Kind.BOOLEAN

    @property
    def inputmode(self):
        return "numeric" if self.indicator.kind == Indicator.Kind.COUNT else "decimal"


def unit_of_measure(indicator):
    kind = indicator.kind
    if kind == Indicator.Kind.PERCENT:
        return "%"
    if kind == Indicator.Kind.BOOLEAN:
        return ""
    return indicator.unit_of_measure or ("đồng" if kind == Indicator.Kind.AMOUNT else "")


@dataclass
class ItemRow:
    item: object
    pk: str
    heading: str
    editable: bool = False
    answer: object = None
    text: str = ""  # what the answer box shows: the saved text, or what was just posted
    saved_text: str = ""
    text_version: str = ""
    text_id: str = ""
    text_label: str = ""
    saved_note: str = ""  # when the text was saved last, and by whom
    save_url: str = ""
    upload_url: str = ""
    figures: list = field(default_factory=list)
    evidence: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    footnotes: list = field(default_factory=list)
    covers_communes: bool = False
    errors: list = field(default_factory=list)  # of the item, not of one figure
    text_conflict: object = None

    @property
    def has_body(self):
        return self.item.answerable or bool(self.figures)

    @property
    def figure_inputs(self):
        return unit_html.figure_inputs(self.figures)

    @property
    def has_notes(self):
        return bool(self.footnotes or self.covers_communes or self.comments)


class ReportPage:
    """Everything the report page shows, in a fixed number of queries. The evidence files
    are read whole only for their list (``whole_evidence``): the parts show their names."""

    def __init__(self, inspection, report, *, editable, whole_evidence=False):
        self.inspection, self.report, self.editable = inspection, report, editable
        unit, outline = inspection.unit, inspection.plan.outline
        shape = self.shape = form_shape(outline, unit)
        self.items, self.indicators = shape.items, shape.indicators
        self.commune_items, self.labels = shape.commune_items, shape.labels
        self.footnotes = shape.footnotes
        self.answers = queries.answers(report)
        self.values = queries.values(report)
        plain = {pk: row.value for pk, row in self.values.items()}
        self.messages = figures.check_values(self.indicators, shape.rules, plain)
        self.previous_year, self.previous = None, {}  # read with the rows that show them
        self.url = link("reports:report-edit", inspection.pk)
        self.upload_url = link("reports:evidence-upload", inspection.pk)
        self._load_evidence(outline, whole_evidence)
        self.comments = []
        if report.status != UnitReport.Status.DRAFT:  # a draft was never returned with comments
            self.comments = queries.comments(report)
        self.parts = self._parts()
        self.evidence_url = f"{self.url}?phan={EVIDENCE_PART}"

    def _load_evidence(self, outline, whole):
        """The current files (no newer version replaced them), by the items they prove."""
        every, item_ids = self._evidence_rows(whole)
        newer = {e.previous_id for e in every if e.previous_id}
        self.evidence = [e for e in every if e.pk not in newer]
        counts = Counter(e.sha256 for e in self.evidence)
        self.evidence_by_item = defaultdict(list)
        if whole:
            for e in every:
                e.download_url = link("reports:evidence-download", e.pk)
        for e in self.evidence:
            e.is_duplicate = counts[e.sha256] > 1
            for pk in item_ids[e.pk]:
                self.evidence_by_item[pk].append(e)
        if whole:
            self._describe_evidence(outline, every, item_ids)

    def _evidence_rows(self, whole):
        """``(files, {file id: item ids})``. The parts show only the files' names, read
        with the links in one query (every file proves at least one item:
        ``services.evidence_add``); the list of files reads them whole."""
        item_ids = defaultdict(list)
        if whole:
            links = Evidence.items.through.objects.filter(evidence__report=self.report)
            for evidence_id, item_id in links.values_list("evidence_id", "outlineitem_id"):
                item_ids[evidence_id].append(item_id)
            every = Evidence.objects.filter(report=self.report).select_related("uploaded_by")
            return list(every), item_ids
        files = {}
        for item_id, *file in queries.evidence_names(self.report):
            files.setdefault(file[0], FileName(*file))
            item_ids[file[0]].append(item_id)
        return list(files.values()), item_ids

    def _describe_evidence(self, outline, every, item_ids):
        """What the list of files adds: the items by label, the earlier versions."""
        outline_items = figures.outline_parts(outline).items
        labels = {item.id: item.label for item in outline_items}
        position = {item.id: n for n, item in enumerate(outline_items)}
        by_pk = {e.pk: e for e in every}
        for e in self.evidence:
            e.replace_url = f"{self.upload_url}?replace={e.pk}"
            e.item_labels = ", ".join(
                labels[pk] or "—" for pk in sorted(item_ids[e.pk], key=position.get)
            )
            e.earlier = []
            node = by_pk.get(e.previous_id)
            while node is not None:
                e.earlier.append(node)
                node = by_pk.get(node.previous_id)

    def _parts(self):
        """The pages of the form, each with how far the unit is."""
        parts = [Part.of(shape, self.url) for shape in self.shape.parts]
        for part in parts:
            part.answered = sum(1 for i in part.items if i.answerable and self._answered(i))
            for indicator in part.indicators:
                part.filled += self._filled(indicator)
                part.errors += any(m.is_error for m in self.messages.get(indicator.id, ()))
        index = self.shape.part_index
        for comment in self.comments:
            if comment.item_id in index:
                parts[index[comment.item_id]].comments += 1
        return parts

    def part_of(self, item_id):
        """The page an item is shown on (KeyError for an item the unit is not asked)."""
        return self.parts[self.shape.part_index[item_id]]

    def _answered(self, item):
        answer = self.answers.get(item.id)
        return answer is not None and bool(answer.text.strip())

    def _filled(self, indicator):
        stored = self.values.get(indicator.id)
        return stored is not None and stored.value is not None

    def open(self, key=None, item_id=None):
        """The page to show, marked current: the one ``?phan=`` names (the page of that
        item; the first page if none), or the page of ``item_id``. None for the evidence
        list; 404 for anything else."""
        index = self.shape.part_index
        if item_id is not None:
            part = self.parts[index[item_id]]
        elif key == EVIDENCE_PART:
            return None
        elif not key:
            part = self.parts[0] if self.parts else None
        else:
            if not key.isdigit() or int(key) not in index:
                raise Http404
            part = self.parts[index[int(key)]]
        if part is not None:
            part.current = True
        return part

    def item_url(self, item_id):
        """The page of an item, at the item."""
        if item_id in self.shape.item_ids:
            return f"{self.url}?phan={item_id}#item-{item_id}"
        return self.url

    def neighbours(self, part):
        """The parts before and after ``part`` (None at either end)."""
        if part is None:
            return None, None
        n = self.parts.index(part)
        return (self.parts[n - 1] if n else None), (
            self.parts[n + 1] if n + 1 < len(self.parts) else None
        )

    def navigation(self):
        """The entries of the navigation (``unit_html``)."""
        return unit_html.navigation(self.parts)

    def general_comments(self):
        return [c for c in self.comments if c.item_id is None]

    def completeness(self):
        answerable = [i for i in self.items if i.answerable]
        proven = sum(1 for i in answerable if self.evidence_by_item.get(i.id))
        return [
            {"label": label, "done": done, "total": total, "left": total - done}
            for label, done, total in [
                ("Mục đã trả lời", sum(p.answered for p in self.parts), len(answerable)),
                ("Số liệu đã nhập", sum(p.filled for p in self.parts), len(self.indicators)),
                ("Mục có tài liệu kiểm chứng", proven, len(answerable)),
            ]
        ]

    def errors_count(self):
        return sum(1 for ms in self.messages.values() for m in ms if m.is_error)

    def problem_links(self, problems):
        """Each reason a submission was refused, with the item it is about (if one is):
        the lines are ``figures.blocking_lines``', so they are matched, not parsed."""
        where = figures.blocking_lines(self.indicators, self.messages)
        return [
            {"text": text, "url": self.item_url(where[text].item_id) if text in where else None}
            for text in problems
        ]

    def rows(self, part, bound_item=None, data=None, conflicts=()):
        """The rows of ``part``'s items; ``bound_item``'s shows ``data`` (after a refused
        save)."""
        if part is None:
            return []
        if part.indicators:
            self.previous_year, self.previous = queries.previous_values(self.report)
        by_item = defaultdict(list)
        for indicator in part.indicators:
            by_item[indicator.item_id].append(indicator)
        comments = defaultdict(list)
        for comment in self.comments:
            comments[comment.item_id].append(comment)
        footnotes = self.shape.footnotes_by_item
        rows = []
        for item in part.items:
            bound = bound_item is not None and item.id == bound_item.id
            row = self._row(item, by_item[item.id], data if bound else None, conflicts)
            row.comments, row.footnotes = comments[item.id], footnotes.get(item.id, ())
            rows.append(row)
        return rows

    def row(self, item, data=None, conflicts=()):
        """One item's row alone (the form script's fragment after a save)."""
        rows = self.rows(self.part_of(item.id), item, data, conflicts)
        return next(row for row in rows if row.item.id == item.id)

    def _row(self, item, indicators, data, conflicts):
        answer = self.answers.get(item.id)
        row = ItemRow(
            item=item,
            pk=str(item.id),
            heading=heading(item),
            answer=answer,
            evidence=self.evidence_by_item.get(item.id, []),
            covers_communes=self.inspection.unit.is_district and item.id in self.commune_items,
            figures=[self._figure(indicator) for indicator in indicators],
        )
        row.editable = self.editable and row.has_body
        if row.editable:
            self._editable(row, answer)
            if data is not None:
                self._bind(row, indicators, data, conflicts)
        return row

    def _figure(self, indicator):
        stored = self.values.get(indicator.id)
        value = stored.value if stored else None
        fig = FigureRow(
            indicator=indicator,
            pk=str(indicator.id),
            label=self.labels[indicator.id],
            messages=self.messages.get(indicator.id, []),
            display=figures.display(indicator, value),
            unit_of_measure=unit_of_measure(indicator),
            saved=figures.input_text(indicator, value),
            version=str(stored.version if stored else 0),
        )
        previous = self.previous.get(indicator.code)
        if previous is not None:
            fig.previous_short = f"năm {self.previous_year}: {figures.display(indicator, previous)}"
            fig.previous_note = f"Báo cáo {fig.previous_short}"
        return fig

    def _editable(self, row, answer):
        """What the item's form needs: its URLs, ids and what its inputs show."""
        item, pk = row.item, self.inspection.pk
        row.save_url = link("reports:answer-save", pk, item.id)
        row.upload_url = f"{self.upload_url}?item={item.id}"
        numbered = item.label and item.label != "-"
        row.text_label = f"Nội dung trả lời mục {item.label}" if numbered else "Nội dung trả lời"
        row.text_id = f"id_item{item.id}_text"
        row.saved_text = row.text = answer.text if answer else ""
        row.text_version = str(answer.version if answer else 0)
        if answer:
            by = f" — {answer.by}" if answer.by else ""
            row.saved_note = f"Lưu lần cuối {vn.date_time(answer.updated_at)}{by}"
        for fig in row.figures:
            fig.input_id = f"id_item{item.id}_v{fig.pk}"
            fig.version_id = f"id_item{item.id}_ver{fig.pk}"
            fig.save_url = link("reports:value-save", pk, fig.indicator.id)
            fig.value = fig.saved

    def _bind(self, row, indicators, data, conflicts):
        """Show what was posted, with the form's errors and the conflicts of the save."""
        form = ItemForm(data, item=row.item, indicators=indicators)
        form.is_valid()
        row.text = data.get("text", "")
        row.text_version = data.get("text_version", "")
        # The versions are hidden inputs: their errors (a tampered page) are the item's.
        hidden = ["text_version", *(f"ver{i.id}" for i in indicators)]
        row.errors = [
            *form.non_field_errors(),
            *(e for n in hidden for e in form.errors.get(n, [])),
        ]
        by_key = {c.key: c for c in conflicts}
        row.text_conflict = by_key.get("text")
        for fig in row.figures:
            fig.value = data.get(f"v{fig.pk}", "")
            fig.version = data.get(f"ver{fig.pk}", "")
            fig.errors = form.errors.get(f"v{fig.pk}", [])
            fig.conflict = by_key.get(fig.indicator.id)

    def messages_json(self):
        return {
            str(pk): [{"level": m.level, "text": m.text} for m in ms]
            for pk, ms in self.messages.items()
        }
