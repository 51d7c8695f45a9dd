"""PDF documents built with reportlab (no web framework): the firm's roadmap, and their charts."""
from assessment.core.pdf.roadmap_pdf import RoadmapReport, build_roadmap_pdf

__all__ = ["RoadmapReport", "build_roadmap_pdf"]
