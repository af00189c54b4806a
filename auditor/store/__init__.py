"""Compliance snapshots: every ScanRun kept in one SQLite file, compared and trended.

``Store`` writes and reads snapshots; ``diff`` says what changed between
two; ``trend_svgs`` draws the report's trend charts; ``retention`` decides
what ``auditor prune`` keeps.
"""

from auditor.store.db import SnapshotInfo, Store, StoreError, load_snapshot
from auditor.store.index import series_of
from auditor.store.trends import trend_svgs

__all__ = ["SnapshotInfo", "Store", "StoreError", "load_snapshot", "series_of", "trend_svgs"]
