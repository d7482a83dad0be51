"""The fixed ids of DESIGN.md: service models, owners, statuses, question types."""

from __future__ import annotations

from typing import Literal, get_args

Model = Literal["on_prem", "iaas", "paas", "saas"]
Owner = Literal["customer", "provider", "shared", "third_party", "not_applicable"]
Status = Literal["implemented", "partial", "planned", "alternative", "not_implemented", "unknown"]
# The statuses a person may set by hand (see srm_tui.engine.tracking).
TrackStatus = Literal[
    "implemented",
    "partial",
    "planned",
    "not_implemented",
    "not_applicable",
    "risk_accepted",
    "unknown",
]
# The three sides of the shares and the bar: a duty counts for exactly one.
Side = Literal["customer", "shared", "provider"]
QuestionType = Literal["single", "multi", "yesno", "text", "multiline", "number", "date"]

# The answers file's keys for the tracking (srm_tui.engine.tracking) and a merge's
# differing tracking fields: here, so reading them does not load the tracking models.
TRACKING_KEY = "tracking"
DISAGREEMENTS_KEY = "tracking_disagreements"

MODELS: tuple[str, ...] = get_args(Model)
OWNERS: tuple[str, ...] = get_args(Owner)
STATUSES: tuple[str, ...] = get_args(Status)
TRACK_STATUSES: tuple[str, ...] = get_args(TrackStatus)
SIDES: tuple[str, ...] = get_args(Side)
QUESTION_TYPES: tuple[str, ...] = get_args(QuestionType)

MODEL_LABELS = {"on_prem": "On-premises", "iaas": "IaaS", "paas": "PaaS", "saas": "SaaS"}
OWNER_LABELS = {
    "customer": "Customer",
    "provider": "Provider",
    "shared": "Shared",
    "third_party": "Third party",
    "not_applicable": "Not applicable",
}
# What a person may answer to "who holds this layer?" in the belief check.
BELIEF_LABELS = {**OWNER_LABELS, "dont_know": "Don't know"}
# A layer-matrix cell is an owner, or ``mixed`` where services of one model disagree.
MATRIX_LABELS = {**OWNER_LABELS, "mixed": "Differs by service"}
STATUS_LABELS = {
    "implemented": "Implemented",
    "partial": "Partially implemented",
    "planned": "Planned",
    "alternative": "Alternative (compensating control)",
    "not_implemented": "Not implemented",
    "not_applicable": "Not applicable (decided)",
    "risk_accepted": "Risk accepted",
    "unknown": "Unknown",
}
# The names of the reference frameworks a control cites, by their key in the pack.
REF_LABELS = {
    "nist_800_53": "NIST SP 800-53",
    "iso_27001": "ISO/IEC 27001",
    "ccm_v4": "CSA CCM v4",
    "cis_v8": "CIS Controls v8",
}
YESNO_CHOICES = (("yes", "Yes"), ("no", "No"), ("dont_know", "Don't know"))

# Progress as the summary shows it, from a duty's status (set by hand or from the answers);
# "overdue" is decided by the due date, not the status. Here, not with the tracking models,
# so a report without tracking does not load them.
PROGRESS = {
    "implemented": "implemented",
    "alternative": "implemented",
    "partial": "in_progress",
    "planned": "in_progress",
    "not_implemented": "open",
    "unknown": "open",
    "not_applicable": "accepted",
    "risk_accepted": "accepted",
}
PROGRESS_KEYS = ("implemented", "in_progress", "open", "overdue", "accepted")


def progress(status: str | None, overdue: bool) -> str | None:
    """The summary's bucket for a duty on the customer's side."""
    if status is None:
        return None
    return "overdue" if overdue else PROGRESS.get(status, "open")


# Names every condition can use besides question ids.
DERIVED_FACTS = ("models", "providers", "services")

# How the shares are computed; printed in `srm assess --help` and the report.
SHARE_METHOD = (
    "Each duty in the catalog counts once. A duty that applies to no service in scope is "
    "listed as not applicable and left out of the shares. Every other duty goes to the "
    "party the checklist names as its owner: to the customer when it is the customer's "
    "(or outsourced to a third party, as the customer stays accountable) for at least one "
    "service, otherwise to shared when both parties hold a part for at least one service, "
    "otherwise to the provider. Each share is that count divided by the number of "
    "applicable duties; per service model, the same over the duties that apply to that "
    "model's services."
)
