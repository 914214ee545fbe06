"""The board pack as a tagged, archival PDF: structure tree in reading order, alternative text, language, PDF/A."""

import io
import re
import xml.etree.ElementTree as ET

import pytest

from reporting.rendering import PDF_VARIANT, render_pack
from tests.reporting.pack_context import sample_context

pypdf = pytest.importorskip("pypdf", reason="pypdf reads the rendered PDF back")

PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"


@pytest.fixture(scope="module")
def tagged():
    pdf, pages, html = render_pack(sample_context(40))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return {"reader": reader, "catalog": reader.trailer["/Root"], "pages": pages, "html": html}


def structure(catalog) -> list[dict]:
    """Every structure element under the root, depth first (the order a screen reader reads them in)."""
    elements = []

    def walk(node):
        node = node.get_object()
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object()
            if isinstance(kid, dict) and "/S" in kid:
                elements.append(kid)
                walk(kid)

    walk(catalog["/StructTreeRoot"])
    return elements


def page_numbers(reader) -> dict:
    return {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages)}


def xmp(catalog) -> ET.Element:
    return ET.fromstring(catalog["/Metadata"].get_object().get_data())  # noqa: S314 - the PDF we just wrote


def test_the_pack_is_rendered_as_pdf_a_level_a():
    # Level A is PDF/A's accessible conformance: it requires the tags the tests below read.
    assert PDF_VARIANT == "pdf/a-3a"


def test_catalog_says_the_pdf_is_tagged_and_in_english(tagged):
    catalog = tagged["catalog"]

    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/StructTreeRoot"].get_object()["/Type"] == "/StructTreeRoot"
    assert catalog["/Lang"] == "en-GB"  # from <html lang>
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True  # the title, not the file name


def test_structure_tree_has_headings_paragraphs_lists_tables_and_figures(tagged):
    kinds = [element["/S"] for element in structure(tagged["catalog"])]

    assert kinds[0] == "/Document"
    for kind in ("/H1", "/H2", "/P", "/L", "/LI", "/Table", "/TR", "/TH", "/TD", "/Figure", "/Link"):
        assert kind in kinds, kind
    # One H1 per section at least: cover, contents, summary, ..., register.
    assert kinds.count("/H1") >= 10


def test_structure_tree_reads_in_page_order(tagged):
    numbers = page_numbers(tagged["reader"])
    pages = [
        numbers[element.raw_get("/Pg").idnum] for element in structure(tagged["catalog"]) if "/Pg" in element
    ]

    assert pages == sorted(pages)
    assert set(pages) == set(range(tagged["pages"]))  # every page's content is in the tree


def test_table_cells_name_their_header_cells(tagged):
    elements = structure(tagged["catalog"])
    header_ids = {str(element["/ID"]) for element in elements if element["/S"] == "/TH" and "/ID" in element}
    cells = [element for element in elements if element["/S"] == "/TD"]

    assert header_ids
    linked = [cell for cell in cells if cell["/A"].get("/Headers")]
    assert len(linked) > len(cells) / 2
    assert all(str(header) in header_ids for cell in linked for header in cell["/A"]["/Headers"])


def test_every_chart_has_alternative_text(tagged):
    figures = [element for element in structure(tagged["catalog"]) if element["/S"] == "/Figure"]
    alts = [str(figure["/Alt"]) for figure in figures if figure.get("/Alt")]

    for title in (
        "Portfolio by status",
        "Portfolio by EU AI Act tier",
        "Portfolio by inherent-risk band",
        "Portfolio by requesting team",
        "Portfolio by model provider",
        "Inherent risk: likelihood × impact",
        "Use cases by EU AI Act tier",
    ):
        assert title in alts, title
    # Only decorative images (alt="", such as the cover's logo) go without; WeasyPrint 70 cannot make them artifacts.
    decorative = len(re.findall(r"<img\b[^>]*\balt=\"\"", tagged["html"]))
    assert len(figures) - len(alts) == decorative


def test_xmp_metadata_declares_pdf_a_3a(tagged):
    description = xmp(tagged["catalog"]).find(f".//{RDF}Description[@{PDFAID}part]")

    assert description is not None
    assert description.get(f"{PDFAID}part") == "3"
    assert description.get(f"{PDFAID}conformance") == "A"
    intents = [intent.get_object() for intent in tagged["catalog"]["/OutputIntents"]]
    assert [intent["/S"] for intent in intents] == ["/GTS_PDFA1"]  # the sRGB profile PDF/A asks for


def test_tagged_pdf_keeps_its_bookmarks_and_page_numbers(tagged):
    reader = tagged["reader"]
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    text = reader.pages[1].extract_text()

    assert "Executive summary" in titles and "Appendix: register of use cases" in titles
    assert f"Page 2 of {tagged['pages']}" in text


def test_page_references_are_cached_per_page_count_and_equal_pydyfs_own():
    import pydyf

    from reporting import pdf_engine

    pdf_engine.install()
    pdf_engine.install()  # idempotent: pydyf's own property is kept, not the cached one
    original = pdf_engine._pydyf_page_references
    assert original is not None and original.fget is not pdf_engine._cached_page_references
    pdf = pydyf.PDF()
    for _ in range(4):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        assert pdf.page_references == original.fget(pdf)  # a page added is a page referenced
        assert pdf.page_references is pdf.page_references  # read again: the same tuple, not rebuilt
    assert len(pdf.page_references) == 4
