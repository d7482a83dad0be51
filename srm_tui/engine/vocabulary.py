"""The fixed ids of DESIGN.md: service models, owners, statuses, question types."""

from __future__ import annotations

from typing import Literal, get_args

Model = Literal["on_prem", "iaas", "paas", "saas"]
Owner = Literal["customer", "provider", "shared", "third_party", "not_applicable"]
Status = Literal["implemented", "partial", "planned", "alternative", "not_implemented", "unknown"]
QuestionType = Literal["single", "multi", "yesno", "text", "multiline", "number", "date"]

MODELS: tuple[str, ...] = get_args(Model)
OWNERS: tuple[str, ...] = get_args(Owner)
STATUSES: tuple[str, ...] = get_args(Status)
QUESTION_TYPES: tuple[str, ...] = get_args(QuestionType)

MODEL_LABELS = {"on_prem": "On-premises", "iaas": "IaaS", "paas": "PaaS", "saas": "SaaS"}
OWNER_LABELS = {
    "customer": "Customer",
    "provider": "Provider",
    "shared": "Shared",
    "third_party": "Third party",
    "not_applicable": "Not applicable",
}
STATUS_LABELS = {
    "implemented": "Implemented",
    "partial": "Partially implemented",
    "planned": "Planned",
    "alternative": "Alternative (compensating control)",
    "not_implemented": "Not implemented",
    "unknown": "Unknown",
}
YESNO_CHOICES = (("yes", "Yes"), ("no", "No"), ("dont_know", "Don't know"))

# Names every condition can use besides question ids.
DERIVED_FACTS = ("models", "providers", "services")
