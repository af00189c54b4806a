"""Pieces of the demo lab, one module per family (``start(workdir) -> LabPart``)."""
