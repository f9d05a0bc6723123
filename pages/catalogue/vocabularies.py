"""The catalogue's fixed lists: the vocabularies a Term belongs to, and the choices whose
shape is the field's own (readiness, staff, policies and their statuses). The values of each
vocabulary are data (Term), not these."""

from django.utils.translation import gettext_lazy as _

VOCABULARIES = [
    ("category", _("Category")),
    ("legal-form", _("Legal form")),
    ("hosting", _("Hosting")),
    ("maintenance", _("Maintenance")),
    ("licence", _("Licence")),
    ("standard", _("Standard")),
    ("framework", _("Values framework")),
    ("region", _("Region")),
    ("discipline", _("Discipline")),
    ("language", _("Language")),
]

READINESS = [
    ("proof-of-concept", _("Proof of concept")),
    ("prototype", _("Prototype")),
    ("pilot", _("Pilot")),
    ("production", _("In production")),
    ("proven", _("Proven in operation")),
]
GOVERNANCE = [
    ("formal", _("Formal")),
    ("ad-hoc", _("Ad hoc")),
    ("none", _("None")),
]
STAFF = [
    ("0", "0"),
    ("1-5", "1–5"),
    ("6-10", "6–10"),
    ("11-20", "11–20"),
    ("20+", "20+"),
]
FUNDING_SOURCES = [
    ("contributions", _("Contributions")),
    ("program-service-revenue", _("Program service revenue")),
    ("other", _("Other")),
]
POLICIES = [
    ("bylaws", _("Bylaws")),
    ("code-of-conduct", _("Code of conduct")),
    ("governance-records", _("Governance records")),
    ("open-data", _("Open data")),
    ("open-api", _("Open API")),
    ("pricing", _("Pricing")),
    ("privacy", _("Privacy")),
    ("roadmap", _("Roadmap")),
    ("documentation", _("Documentation")),
    ("web-accessibility", _("Web accessibility")),
    ("equity-inclusion", _("Equity and inclusion")),
    ("contribution-pathways", _("Contribution pathways")),
]
POLICY_STATUSES = [
    ("available", _("Available")),
    ("in-progress", _("In progress")),
    ("considering", _("Considering")),
    ("not-planning", _("Not planning")),
    ("not-applicable", _("Not applicable")),
    ("unknown", _("Unknown")),
]
