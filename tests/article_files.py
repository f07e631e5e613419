"""Real PDF, Word and OpenDocument articles built in the tests, as an office or a newspaper
would produce them: fpdf2 writes the PDFs (running header, footer with page numbers, a word
hyphenated at a line end, a paragraph running over the page turn), python-docx the .docx
(with a comment, and tracked changes written as the w:ins/w:del XML python-docx cannot make),
and the .odt is assembled from its XML like LibreOffice writes it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

#: The text every built article must come out as (paragraphs separated by blank lines).
PDF_TEXT = (
    "Ingebrigtsen wins the 1500m in Oslo\n\n"
    "Jakob Ingebrigtsen won the 1500 metres at the Bislett Games on 12 June 2025, ahead of "
    "Jean-Pierre Dupont.\n\n"
    "The crowd of 15,000 saw a race that went on until the last bend, when the Norwegian "
    "pulled clear.\n\n"
    "Warholm took the 400 metres hurdles in 46.52 seconds."
)
PDF_HEADER = "The Athletics Desk - Friday edition"


def write_pdf(path: Path) -> Path:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    class Paper(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, PDF_HEADER, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(8)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Paper()
    pdf.set_auto_page_break(False)

    def paragraph(*lines: str, size: int = 11, gap: int = 6) -> None:
        pdf.set_font("Helvetica", size=size)
        for line in lines:
            pdf.cell(0, size * 0.45, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    pdf.add_page()
    paragraph("Ingebrigtsen wins the 1500m in Oslo", size=16)
    paragraph(
        "Jakob Ingebrigt-",
        "sen won the 1500 metres at the Bislett Games on",
        "12 June 2025, ahead of Jean-",
        "Pierre Dupont.",
    )
    paragraph("The crowd of 15,000 saw a race that", "went on", gap=0)
    pdf.add_page()
    paragraph("until the last bend, when the Norwegian", "pulled clear.")
    pdf.add_page()
    paragraph("Warholm took the 400 metres hurdles in", "46.52 seconds.")
    pdf.output(str(path))
    return path


def write_image_only_pdf(path: Path) -> Path:
    """A scan: one page holding a picture of text, and no text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (600, 200), "white")
    ImageDraw.Draw(picture).text((20, 80), "Ingebrigtsen won in Oslo", fill="black")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(picture, x=10, y=10, w=180)
    pdf.output(str(path))
    return path


DOCX_TEXT = (
    "Warholm breaks the record\n\n"
    "Reaction\n\n"
    "Karsten Warholm ran 45.94 seconds in Tokyo on 3 August 2021.\n\n"
    "Rai Benjamin was second."
)


def write_docx(path: Path) -> Path:
    """Title, a heading, a paragraph with a tracked insertion ("45.94" typed in) and a tracked
    deletion ("46.70" struck out), and a comment on it."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_paragraph("Warholm breaks the record", style="Title")
    document.add_heading("Reaction", level=1)
    p = document.add_paragraph()
    lead = p.add_run("Karsten Warholm ran ")

    def tracked(kind: str, text: str) -> None:
        change = OxmlElement(f"w:{kind}")
        change.set(qn("w:id"), str(len(p._p)))
        change.set(qn("w:author"), "Editor")
        change.set(qn("w:date"), "2021-08-03T10:00:00Z")
        run = OxmlElement("w:r")
        t = OxmlElement("w:delText" if kind == "del" else "w:t")
        t.text = text
        t.set(qn("xml:space"), "preserve")
        run.append(t)
        change.append(run)
        p._p.append(change)

    tracked("del", "46.70")
    tracked("ins", "45.94")
    tail = p.add_run(" seconds in Tokyo on 3 August 2021.")
    document.add_comment(
        [lead, tail], text="Check the time against World Athletics", author="Anna", initials="AK"
    )
    document.add_paragraph("")  # an empty paragraph, as writers leave for spacing
    document.add_paragraph("Rai Benjamin was second.")
    document.save(str(path))
    return path


ODT_TEXT = (
    "Kipyegon retains her title\n\n"
    "Faith Kipyegon won the 1500 metres in Budapest on 22 August 2023.\n\n"
    "She also won the 5000 metres."
)
_ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content
  xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3">
 <office:body><office:text>
  <text:tracked-changes>
   <text:changed-region text:id="ct1"><text:deletion>
    <office:change-info><dc:creator>Editor</dc:creator></office:change-info>
    <text:p>Eugene</text:p>
   </text:deletion></text:changed-region>
  </text:tracked-changes>
  <text:h text:outline-level="1">Kipyegon retains her title</text:h>
  <text:p>Faith Kipyegon won the 1500 metres
   in <text:change text:change-id="ct1"/>Budapest<office:annotation>
    <dc:creator>Anna</dc:creator><text:p>Source: World Athletics</text:p>
   </office:annotation> on 22<text:s/>August 2023.</text:p>
  <text:list><text:list-item>
   <text:p>She also won the 5000 metres.</text:p>
  </text:list-item></text:list>
 </office:text></office:body>
</office:document-content>
"""


def write_odt(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        package.writestr("content.xml", _ODT_CONTENT, compress_type=zipfile.ZIP_DEFLATED)
    return path
