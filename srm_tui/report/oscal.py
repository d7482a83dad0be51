"""The assessment as an OSCAL system security plan (JSON), for compliance tooling.

Every NIST SP 800-53 r5 control that an applicable duty references becomes an
implemented requirement. Each service in scope is a component that stands for its
provider: what the provider holds is ``inherited`` there, and where a duty is shared
the customer's part is ``satisfied`` there and stated again on the customer's own
component ("this system"). UUIDs are derived from the engagement, not drawn at random,
so two exports of the same engagement differ only where the answers do.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any

from srm_tui.engine.assessment import Assessment, ControlResult, combine_status
from srm_tui.engine.pack_schema import Service
from srm_tui.engine.text import without_control

OSCAL_VERSION = "1.2.1"  # the version compliance-trestle's models validate
NS = "urn:srm"  # the namespace of srm's own properties
CATALOG = (
    "https://raw.githubusercontent.com/usnistgov/oscal-content/main/"
    "nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog.json"
)
# srm's statuses that OSCAL's implementation-status can say; the others are left out.
IMPLEMENTATION = {
    "implemented": "implemented",
    "partial": "partial",
    "planned": "planned",
    "alternative": "alternative",
    "not_applicable": "not-applicable",
}
_ROOT = uuid.uuid5(uuid.NAMESPACE_URL, NS)


def line(value: Any, empty: str = "Not given") -> str:
    """One line of text, as OSCAL's names and titles must be: no control characters,
    no leading, trailing or doubled white space."""
    out = " ".join(without_control(str(value or ""), " ").split())
    return out or empty


def prose(value: Any, empty: str = "Not given") -> str:
    """A description: lines kept, control characters and trailing spaces dropped."""
    lines = [" ".join(part.split()) for part in without_control(str(value or ""), " ").splitlines()]
    return "\n".join(lines).strip() or empty


def control_id(nist: str) -> str:
    """The catalog's id of a control: ``AC-2(1)`` is ``ac-2.1``."""
    return re.sub(r"\((\d+)\)", r".\1", nist.strip()).lower()


class _Ids:
    """Stable UUIDs: the same engagement and the same object give the same UUID."""

    def __init__(self, *engagement: str) -> None:
        self._base = uuid.uuid5(_ROOT, "\x1f".join(engagement))

    def __call__(self, *key: str) -> str:
        return str(uuid.uuid5(self._base, "\x1f".join(key)))


def _stamp(date: str, fallback: dt.date) -> str:
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        day = fallback
    return f"{day.isoformat()}T00:00:00Z"


def _prop(name: str, value: str) -> dict[str, str]:
    return {"name": name, "value": line(value), "ns": NS}


def _sources(service: Service) -> list[str]:
    used = [*service.sources, *(v.source for v in service.profile.values())]
    used += [o.source for o in service.overrides]
    return list(dict.fromkeys(used))


class _Plan:
    """Builds the document; one instance per export."""

    def __init__(self, assessment: Assessment, context: dict[str, Any]) -> None:
        self.a = assessment
        self.meta = context["meta"]
        self.context = context
        self.id = _Ids(self.meta["client"], self.meta["date"], context["pack"]["ref"])
        self.providers = [p for p in assessment.providers if p != "onprem"]
        self.sources = {s["id"]: s for s in context["pack"]["sources"]}

    # -- who ---------------------------------------------------------------
    def metadata(self) -> dict[str, Any]:
        pack, meta = self.context["pack"], self.meta
        roles = [
            {"id": "system-owner", "title": "System owner"},
            {"id": "prepared-by", "title": "Prepared by"},
            {"id": "cloud-service-provider", "title": "Cloud service provider"},
        ]
        parties = [self._party("client", "organization", meta["client"])]
        responsible = [
            {"role-id": "system-owner", "party-uuids": [self.id("party", "client")]},
        ]
        if meta["assessor"]:
            parties.append(self._party("assessor", "person", meta["assessor"]))
            responsible.append(
                {"role-id": "prepared-by", "party-uuids": [self.id("party", "assessor")]}
            )
        by_id = self.a.pack.provider_by_id
        for p in self.providers:
            parties.append(self._party(p, "organization", by_id[p].name))
        if self.providers:
            responsible.append(
                {
                    "role-id": "cloud-service-provider",
                    "party-uuids": [self.id("party", p) for p in self.providers],
                }
            )
        return {
            "title": line(f"Shared responsibility: {meta['client']}"),
            "last-modified": _stamp(meta["date"], self.a.today),
            "version": pack["ref"],
            "oscal-version": OSCAL_VERSION,
            "props": [
                _prop("questionnaire", pack["ref"]),
                _prop("questionnaire-version", pack["version"]),
                _prop("generator", f"srm {self.context['tool_version']}"),
                _prop("classification", meta["classification"] or "Not given"),
            ],
            "roles": roles,
            "parties": parties,
            "responsible-parties": responsible,
        }

    def _party(self, key: str, kind: str, name: str) -> dict[str, str]:
        return {"uuid": self.id("party", key), "type": kind, "name": line(name)}

    def characteristics(self) -> dict[str, Any]:
        meta = self.meta
        scope = prose(meta["scope"], "The cloud services named in the components.")
        return {
            "system-ids": [
                {"identifier-type": "https://ietf.org/rfc/rfc4122", "id": self.id("system")}
            ],
            "system-name": line(meta["client"]),
            "description": scope,
            "system-information": {
                "information-types": [
                    {
                        "uuid": self.id("information"),
                        "title": "Information in the services in scope",
                        "description": "What the organisation keeps in the services in scope; "
                        "not categorised by the interview.",
                    }
                ]
            },
            "status": {"state": "operational"},
            "authorization-boundary": {"description": scope},
        }

    # -- what --------------------------------------------------------------
    def components(self) -> list[dict[str, Any]]:
        out = [
            {
                "uuid": self.id("component", "this-system"),
                "type": "this-system",
                "title": line(f"{self.meta['client']}: the customer's own part"),
                "description": "The customer's own part: what the organisation does itself "
                "or has a third party do for it.",
                "status": {"state": "operational"},
                "responsible-roles": [
                    {"role-id": "system-owner", "party-uuids": [self.id("party", "client")]}
                ],
            }
        ]
        by_id = self.a.pack.provider_by_id
        for s in self.a.services:
            holder = ["client"] if s.provider == "onprem" else [s.provider]
            role = "system-owner" if s.provider == "onprem" else "cloud-service-provider"
            component: dict[str, Any] = {
                "uuid": self.id("component", s.id),
                "type": "physical" if s.provider == "onprem" else "service",
                "title": line(s.name),
                "description": prose(s.description or f"{s.name} from {by_id[s.provider].name}."),
                "props": [
                    _prop("service-id", s.id),
                    _prop("service-model", s.model),
                    _prop("provider", by_id[s.provider].name),
                ],
                "status": {"state": "operational"},
                "responsible-roles": [
                    {"role-id": role, "party-uuids": [self.id("party", h) for h in holder]}
                ],
            }
            links = [
                {"href": f"#{self.id('source', ref)}", "rel": "reference"}
                for ref in _sources(s)
                if ref in self.sources
            ]
            if links:
                component["links"] = links
            out.append(component)
        return out

    def requirements(self) -> list[dict[str, Any]]:
        """One implemented requirement per referenced control, in catalog order."""
        duties: dict[str, list[ControlResult]] = {}
        for result in self.a.controls:
            if result.owner == "not_applicable":
                continue
            for nist in result.control.refs.nist_800_53:
                duties.setdefault(control_id(nist), []).append(result)
        return [self._requirement(cid, duties[cid]) for cid in sorted(duties, key=_catalog_order)]

    def _requirement(self, cid: str, results: list[ControlResult]) -> dict[str, Any]:
        parts: dict[str, dict[str, Any]] = {}  # component key -> by-component under way

        def entry(key: str) -> dict[str, Any]:
            empty: dict[str, list[Any]] = {
                "said": [],
                "inherited": [],
                "satisfied": [],
                "status": [],
            }
            return parts.setdefault(key, empty)

        names = {s.id: s.name for s in self.a.services}
        providers = self.a.pack.provider_by_id
        for r in results:
            c = r.control
            own: dict[str, list[str]] = {}  # the customer's text -> the services it is for
            for sid, owner in r.by_service.items():
                service = self.a.pack.service_by_id[sid]
                if owner == "provider":
                    here = entry(sid)
                    holder = providers[service.provider].name
                    here["said"].append(f"{c.id} {c.title}: held by {holder}.")
                    here["inherited"].append((c.id, c.what))
                elif owner == "shared":
                    customer, provider = r.parts.get(sid, (r.customer_part, r.provider_part))
                    here = entry(sid)
                    here["said"].append(f"{c.id} {c.title}: shared with the customer.")
                    here["inherited"].append((c.id, provider or c.what))
                    here["satisfied"].append((c.id, customer or c.what))
                    own.setdefault(customer or c.what, []).append(names[sid])
                elif owner in ("customer", "third_party"):
                    own.setdefault(c.what, []).append(names[sid])
            if own:
                mine = entry("this-system")
                said = " ".join(f"{text} ({', '.join(where)})" for text, where in own.items())
                if r.owner == "third_party":
                    said += " A third party does it for the customer."
                mine["said"].append(f"{c.id} {c.title}: {said}")
                if r.status:
                    mine["status"].append(r.status)
        return {
            "uuid": self.id("requirement", cid),
            "control-id": cid,
            "props": [_prop("duty", r.control.id) for r in results],
            "by-components": [
                self._by_component(cid, key, parts[key]) for key in _component_order(parts, self.a)
            ],
        }

    def _by_component(self, cid: str, key: str, part: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "component-uuid": self.id("component", key),
            "uuid": self.id("by-component", cid, key),
            "description": prose("\n".join(part["said"])),
        }
        state = IMPLEMENTATION.get(combine_status(part["status"])) if part["status"] else None
        if state:
            out["implementation-status"] = {"state": state}
        if part["inherited"]:
            roles = self._provider_roles(key)
            out["inherited"] = [
                {
                    "uuid": self.id("inherited", cid, key, duty),
                    "description": prose(text),
                    **({"responsible-roles": roles} if roles else {}),
                }
                for duty, text in part["inherited"]
            ]
        if part["satisfied"]:
            out["satisfied"] = [
                {
                    "uuid": self.id("satisfied", cid, key, duty),
                    "description": prose(text),
                    "responsible-roles": [
                        {"role-id": "system-owner", "party-uuids": [self.id("party", "client")]}
                    ],
                }
                for duty, text in part["satisfied"]
            ]
        return out

    def _provider_roles(self, sid: str) -> list[dict[str, Any]]:
        provider = self.a.pack.service_by_id[sid].provider
        if provider not in self.providers:
            return []
        return [{"role-id": "cloud-service-provider", "party-uuids": [self.id("party", provider)]}]

    def back_matter(self) -> dict[str, Any]:
        return {
            "resources": [
                {
                    "uuid": self.id("source", s["id"]),
                    "title": line(s["title"]),
                    "props": [_prop("read-on", str(s["read"]))],
                    "rlinks": [{"href": line(s["url"])}],
                }
                for s in self.sources.values()
            ]
        }

    def document(self) -> dict[str, Any]:
        plan = {
            "uuid": self.id("ssp"),
            "metadata": self.metadata(),
            "import-profile": {
                "href": CATALOG,
                "remarks": "The controls come from the NIST SP 800-53 r5 catalog as the "
                "duties reference them; no baseline was chosen.",
            },
            "system-characteristics": self.characteristics(),
            "system-implementation": {"components": self.components()},
            "control-implementation": {
                "description": "Who holds each control, per service in scope, as the "
                "interview found it: inherited from a provider, satisfied by the customer "
                "where shared, or the customer's own.",
                "implemented-requirements": self.requirements(),
            },
        }
        if self.sources:
            plan["back-matter"] = self.back_matter()
        return {"system-security-plan": plan}


def _catalog_order(cid: str) -> tuple[str, int, int]:
    family, _, rest = cid.partition("-")
    number, _, enhancement = rest.partition(".")
    return family, int(number or 0), int(enhancement or 0)


def _component_order(parts: dict[str, Any], assessment: Assessment) -> list[str]:
    order = ["this-system", *(s.id for s in assessment.services)]
    return [key for key in order if key in parts]


def to_oscal(assessment: Assessment, context: dict[str, Any]) -> bytes:
    """The system security plan as JSON bytes, keys in OSCAL's order."""
    document = _Plan(assessment, context).document()
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
