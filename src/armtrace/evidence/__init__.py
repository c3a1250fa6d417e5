"""Evidence: photos and documents, content-addressed, never altered, re-checked when read."""

from armtrace.evidence.files import EvidenceFile, EvidenceStore, sniff_media_type

__all__ = ["EvidenceFile", "EvidenceStore", "sniff_media_type"]
