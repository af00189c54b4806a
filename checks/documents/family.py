from auditor.checks.documents.source import DocumentsSource
from auditor.plugin import Family

FAMILY = Family("documents", __file__, source_types={"documents": DocumentsSource})
