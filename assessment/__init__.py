"""SmartStep: digital-maturity self-assessment and roadmap for manufacturing SMEs."""
from assessment.app import create_app

__all__ = ["create_app"]
