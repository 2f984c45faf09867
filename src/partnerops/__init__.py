"""PartnerOps: the partnerships side of a managed-service organisation."""

__version__ = "0.1.0"
