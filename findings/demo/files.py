"""Small real files: PDFs through WeasyPrint, spreadsheets through openpyxl."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from cchc_inspection import vn

from .content import HEADING


class Files:
    """Makes the evidence and proof files; one WeasyPrint font set-up for all of them."""

    def __init__(self, agency):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        from cchc_inspection.documents import FONT_DIR, FONT_FAMILY, FONT_FILES

        self.agency = agency
        self.family = FONT_FAMILY
        self.font_config = FontConfiguration()
        rules = [
            f"@font-face {{ font-family: '{FONT_FAMILY}'; src: url('{(FONT_DIR / name).as_uri()}');"
            f" font-weight: {weight}; font-style: {style}; }}"
            for (weight, style), name in FONT_FILES.items()
        ]
        self.fonts = CSS(string="\n".join(rules), font_config=self.font_config)
        self.made = 0

    def pdf(self, name, *, header, number, place, day, title, paragraphs, signer):
        """A one-page document laid out like an official one (ND 30/2020 header, title,
        body, signature) as an uploaded PDF file. ``header`` is (parent body, issuer)."""
        from django.utils.html import escape
        from weasyprint import HTML

        body = "".join(
            f'<p class="{"h" if HEADING.match(text) else ""}">{escape(text)}</p>'
            for text in paragraphs
        )
        html = f"""<html lang="vi"><head><meta charset="utf-8"><style>
            @page {{ size: A4; margin: 20mm 15mm 20mm 30mm; }}
            html {{ font-family: '{self.family}'; font-size: 13pt; line-height: 1.3; }}
            table {{ width: 100%; table-layout: fixed; border-collapse: collapse; }}
            td {{ text-align: center; vertical-align: top; padding: 0; }}
            .nation {{ font-size: 12pt; font-weight: bold; white-space: nowrap; }}
            h1 {{ font-size: 14pt; text-align: center; margin: 18pt 0 0; }}
            .sub {{ text-align: center; font-weight: bold; margin-bottom: 12pt; }}
            p {{ text-indent: 1cm; text-align: justify; margin: 0 0 6pt; }}
            p.h {{ font-weight: bold; }}
            .sign {{ margin-left: 50%; text-align: center; font-weight: bold; margin-top: 12pt; }}
            </style></head><body>
            <table><tr><td style="width: 40%">{escape(header[0])}<br><b>{escape(header[1])}</b>
            <br>Số: {escape(number)}</td>
            <td style="width: 60%"><span class="nation">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</span>
            <br><b>Độc lập - Tự do - Hạnh phúc</b>
            <br><br><i>{escape(place)}, {escape(vn.long_date(day))}</i></td></tr></table>
            <h1>{escape(title[0])}</h1><div class="sub">{escape(title[1])}</div>{body}
            <div class="sign">{escape(signer[0])}<br><br><br><br>{escape(signer[1])}</div>
            </body></html>"""
        data = HTML(string=html).write_pdf(stylesheets=[self.fonts], font_config=self.font_config)
        self.made += 1
        return SimpleUploadedFile(name, data, content_type="application/pdf")

    def xlsx(self, name, *, title, rows):
        """A small workbook: a title row, a header and ``rows`` of (label, value)."""
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        sheet = book.active
        sheet.title = "Số liệu"
        sheet.append([title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(["Chỉ tiêu", "Số liệu"])
        for label, value in rows:
            sheet.append([label, float(value) if value is not None else None])
        sheet.column_dimensions["A"].width = 70
        sheet.column_dimensions["B"].width = 16
        buffer = io.BytesIO()
        book.save(buffer)
        self.made += 1
        return SimpleUploadedFile(
            name,
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
