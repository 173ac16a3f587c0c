"""The letters' PDF, one A4 page per person, drawn with reportlab's canvas so that pages stream out one by one.

What is the same on every page of a batch (the caisse's letterhead, the text for one language and civility, the
booking box and its QR code) is drawn once as a PDF form (XObject) and placed on each page: a page then only adds the
person's address, references and date, which keeps 10,000 pages fast and the file small.

Layout (mm from the page's top-left corner): the address block sits in the window of a French DL window envelope
(window on the right, 110 mm from the left edge, 50 mm from the top: La Poste's "fenêtre à droite"), the letterhead
top left, the references on the left at the height of the date.
"""

import functools
from pathlib import Path

import reportlab
from django.template.loader import render_to_string
from django.utils import formats, translation
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 20 * mm
RIGHT = PAGE_WIDTH - 20 * mm
WINDOW_LEFT = 110 * mm
WINDOW_TOP = 50 * mm
WINDOW_WIDTH = 85 * mm
BODY_TOP = 108 * mm
BOOKING_TOP = 238 * mm
QR_SIZE = 32 * mm
BLUE = Color(0.0, 0.27, 0.53)
GREY = Color(0.35, 0.35, 0.35)
FONT, BOLD = "LetterSans", "LetterSans-Bold"
# DejaVu covers the names of the whole Latin, Greek and Cyrillic world; reportlab's own Vera is the fallback.
_FONT_FILES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    (
        str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"),
        str(Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf"),
    ),
)
CIVILITIES = {
    "fr": {"F": "Madame", "M": "Monsieur", "": "Madame, Monsieur"},
    "en": {"F": "Dear Madam", "M": "Dear Sir", "": "Dear Sir or Madam"},
}
# Names on the envelope: courtesy title before the name, as La Poste's address standard (NF Z10-011) has it.
TITLES = {"fr": {"F": "Madame", "M": "Monsieur"}, "en": {"F": "Ms", "M": "Mr"}}
REFERENCES = {
    "fr": ("Dossier n° {case}", "N° allocataire : {number}", "Le {date}"),
    "en": ("Case no. {case}", "CAF beneficiary no. {number}", "{date}"),
}


@functools.cache
def register_fonts():
    for regular, bold in _FONT_FILES:
        if Path(regular).is_file() and Path(bold).is_file():
            pdfmetrics.registerFont(TTFont(FONT, regular))
            pdfmetrics.registerFont(TTFont(BOLD, bold))
            return
    raise RuntimeError("No TrueType font found for the letters.")


def letter_language(preferred_language):
    return "en" if preferred_language == "en" else "fr"


def long_date(date, language):
    with translation.override(language):
        return formats.date_format(date, "j F Y")


class LetterPdf:
    """Draws letters into ``stream``: ``add(letter)`` once per person, then ``close()``."""

    def __init__(self, stream, *, caisse, booking_url, today):
        register_fonts()
        self.caisse, self.booking_url, self.today = caisse, booking_url, today
        self.canvas = Canvas(stream, pagesize=A4, pageCompression=1, invariant=True)
        self.canvas.setTitle(f"Courriers — {caisse.name}")
        self.canvas.setAuthor(caisse.name)
        self.forms = {}
        self.dates = {}
        self.pages = 0
        self._qr_form()

    def _qr_form(self):
        """The QR code of the booking address, drawn once for the whole batch."""
        widget = QrCodeWidget(self.booking_url, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0])
        drawing.add(widget)
        self.canvas.beginForm("qr")
        renderPDF.draw(drawing, self.canvas, 0, 0)
        self.canvas.endForm()

    def _static_form(self, language, sex):
        """Letterhead, text and booking box for one language and civility: drawn once, placed on every page."""
        name = f"static-{language}-{sex or 'x'}"
        if name in self.forms:
            return name
        canvas = self.canvas
        canvas.beginForm(name)
        self._letterhead(canvas)
        context = {"caisse": self.caisse, "civility": CIVILITIES[language][sex], "url": self.booking_url}
        text = render_to_string(f"letters/letter_{language}.txt", context).strip()
        self._body(canvas, text)
        booking = render_to_string(f"letters/booking_{language}.txt", context).strip()
        self._booking_box(canvas, booking)
        self._footer(canvas, language)
        canvas.endForm()
        self.forms[name] = True
        return name

    def _letterhead(self, canvas):
        top = PAGE_HEIGHT - 18 * mm
        canvas.setFillColor(BLUE)
        canvas.rect(LEFT, top - 12 * mm, 3 * mm, 14 * mm, stroke=0, fill=1)
        canvas.setFont(BOLD, 14)
        canvas.drawString(LEFT + 6 * mm, top - 3 * mm, self.caisse.name)
        canvas.setFillColor(GREY)
        canvas.setFont(FONT, 8.5)
        y = top - 8 * mm
        lines = [line.strip() for line in self.caisse.address.splitlines() if line.strip()]
        contact = " · ".join(value for value in (self.caisse.phone, self.caisse.email) if value)
        for line in [*lines, contact]:
            if line:
                canvas.drawString(LEFT + 6 * mm, y, line)
                y -= 3.6 * mm
        canvas.setFillColor(Color(0, 0, 0))

    def _body(self, canvas, text):
        y = PAGE_HEIGHT - BODY_TOP
        width = RIGHT - LEFT
        paragraphs = text.split("\n\n")
        for index, paragraph in enumerate(paragraphs):
            if index == 0:  # the subject line
                canvas.setFont(BOLD, 10.5)
                for line in simpleSplit(paragraph, BOLD, 10.5, width):
                    canvas.drawString(LEFT, y, line)
                    y -= 5 * mm
                y -= 2 * mm
                continue
            canvas.setFont(FONT, 10)
            for raw in paragraph.split("\n"):
                bullet = raw.startswith("- ")
                content = raw[2:] if bullet else raw
                indent = 5 * mm if bullet else 0
                for number, line in enumerate(simpleSplit(content, FONT, 10, width - indent)):
                    if bullet and number == 0:
                        canvas.drawString(LEFT + 1 * mm, y, "•")
                    canvas.drawString(LEFT + indent, y, line)
                    y -= 4.5 * mm
            y -= 2.2 * mm

    def _booking_box(self, canvas, text):
        top = PAGE_HEIGHT - BOOKING_TOP
        height = QR_SIZE + 6 * mm
        canvas.setStrokeColor(BLUE)
        canvas.setLineWidth(0.8)
        canvas.roundRect(LEFT, top - height, RIGHT - LEFT, height, 2 * mm, stroke=1, fill=0)
        canvas.saveState()
        canvas.translate(RIGHT - QR_SIZE - 3 * mm, top - height + 3 * mm)
        canvas.doForm("qr")
        canvas.restoreState()
        lines = text.split("\n")
        width = RIGHT - LEFT - QR_SIZE - 14 * mm
        y = top - 9 * mm
        for index, line in enumerate(lines):
            font, size = (BOLD, 12) if index == 1 else (FONT, 10)
            canvas.setFillColor(BLUE if index == 1 else Color(0, 0, 0))
            canvas.setFont(font, size)
            for part in simpleSplit(line, font, size, width):
                canvas.drawString(LEFT + 5 * mm, y, part)
                y -= 6 * mm if index == 1 else 5 * mm
        canvas.setFillColor(Color(0, 0, 0))

    def _footer(self, canvas, language):
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(GREY)
        note = (
            "Ce courrier ne contient aucun numéro de sécurité sociale. Gardez-le : il vous sera demandé au rendez-vous."
            if language == "fr"
            else "This letter contains no social security number. Keep it: you will be asked for it at the appointment."
        )
        canvas.drawString(LEFT, 12 * mm, note)
        canvas.setFillColor(Color(0, 0, 0))

    def add(self, letter):
        """Draw one page: letter has language, sex, name_lines (the address block), case_id, beneficiary_number."""
        canvas = self.canvas
        canvas.doForm(self._static_form(letter.language, letter.sex))
        canvas.setFont(FONT, 10.5)
        y = PAGE_HEIGHT - WINDOW_TOP - 4 * mm
        for line in letter.address_lines:
            for part in simpleSplit(line, FONT, 10.5, WINDOW_WIDTH)[:2]:
                canvas.drawString(WINDOW_LEFT, y, part)
                y -= 4.6 * mm
        references = REFERENCES[letter.language]
        canvas.setFont(FONT, 9)
        y = PAGE_HEIGHT - 92 * mm
        canvas.drawString(LEFT, y, references[0].format(case=letter.case_id))
        if letter.beneficiary_number:
            canvas.drawString(LEFT, y - 4 * mm, references[1].format(number=letter.beneficiary_number))
        if letter.language not in self.dates:
            self.dates[letter.language] = references[2].format(date=long_date(self.today, letter.language))
        canvas.drawString(WINDOW_LEFT, y, self.dates[letter.language])
        canvas.showPage()
        self.pages += 1

    def close(self):
        self.canvas.save()
