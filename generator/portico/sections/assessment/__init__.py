"""The assessment: its pages and the maturity scorecard, and "maturity at a glance"."""

from portico.sections.assessment.model import Assessment, AssessmentMeta, ScoreArea
from portico.sections.assessment.section import AssessmentSection, assessment_of

__all__ = ["Assessment", "AssessmentMeta", "AssessmentSection", "ScoreArea", "assessment_of"]
