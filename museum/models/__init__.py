"""The museum's data model (SQLAlchemy 2.0, typed)."""

from museum.models.assets import Asset, AssetTier, Rights, StoredFile
from museum.models.base import Base, Status
from museum.models.exhibits import Exhibit, ExhibitMedia, ExhibitTag, Hotspot
from museum.models.galleries import Door, Gallery, Placement
from museum.models.ops import AuditEvent, Counter, Job, RateLimit, Revision, Setting
from museum.models.people import ApiToken, KioskDevice, Role, User, UserSession
from museum.models.photos import Photo, PhotoTemplate
from museum.models.timeline import Era, TimelineEvent, event_exhibits
from museum.models.tours import Tour, TourStop

__all__ = [
    "ApiToken",
    "Asset",
    "AssetTier",
    "AuditEvent",
    "Base",
    "Counter",
    "Door",
    "Era",
    "Exhibit",
    "ExhibitMedia",
    "ExhibitTag",
    "Gallery",
    "Hotspot",
    "Job",
    "KioskDevice",
    "Photo",
    "PhotoTemplate",
    "Placement",
    "RateLimit",
    "Revision",
    "Rights",
    "Role",
    "Setting",
    "Status",
    "StoredFile",
    "TimelineEvent",
    "Tour",
    "TourStop",
    "User",
    "UserSession",
    "event_exhibits",
]
