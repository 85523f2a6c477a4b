"""The museum's data model (SQLAlchemy 2.0, typed)."""

from museum.models.assets import Asset, AssetTier, Rights, StoredFile
from museum.models.base import Base, Status
from museum.models.cockpit import CockpitAlert, CockpitLayout, DailyRollup, DailySalt, HourlyRollup, VisitEvent
from museum.models.exhibits import Exhibit, ExhibitMedia, ExhibitTag, Hotspot
from museum.models.galleries import Door, Gallery, Placement, SoundZone
from museum.models.ops import AuditEvent, CatalogueChange, Counter, Job, JobWorker, RateLimit, Revision, Setting
from museum.models.people import ApiToken, KioskDevice, PreviewLink, Role, User, UserSession
from museum.models.photos import Photo, PhotoTemplate
from museum.models.timeline import Era, TimelineEvent, event_exhibits
from museum.models.tours import Tour, TourStop

__all__ = [
    "ApiToken",
    "Asset",
    "AssetTier",
    "AuditEvent",
    "Base",
    "CatalogueChange",
    "CockpitAlert",
    "CockpitLayout",
    "Counter",
    "DailyRollup",
    "DailySalt",
    "Door",
    "Era",
    "Exhibit",
    "ExhibitMedia",
    "ExhibitTag",
    "Gallery",
    "Hotspot",
    "HourlyRollup",
    "Job",
    "JobWorker",
    "KioskDevice",
    "Photo",
    "PhotoTemplate",
    "Placement",
    "RateLimit",
    "Revision",
    "PreviewLink",
    "Rights",
    "Role",
    "Setting",
    "SoundZone",
    "Status",
    "StoredFile",
    "TimelineEvent",
    "Tour",
    "TourStop",
    "User",
    "UserSession",
    "VisitEvent",
    "event_exhibits",
]
