"""Reading a built PDF back for assertions, shared by the PDF tests."""
import io

from pypdf import PdfReader


def squeeze(text):
    return " ".join(text.split())


class ReadPdf:
    """A built PDF and its text: per page, and all of it with whitespace squeezed to single spaces
    (a title may wrap onto two lines in a table cell)."""

    def __init__(self, data):
        self.data = data
        self.reader = PdfReader(io.BytesIO(data))
        self.pages = [squeeze(page.extract_text()) for page in self.reader.pages]
        self.text = " ".join(self.pages)

    def font_names(self):
        names = set()
        for page in self.reader.pages:
            fonts = page["/Resources"].get("/Font", {})
            names.update(str(font.get_object()["/BaseFont"]) for font in fonts.values())
        return names
