"""Who holds one duty for one service, before any answer acts on it.

The owner comes from, in order: a per-service override that a provider's document
states (with its source), the pack's list of duties that stay with the customer in
every model, and the control's rules over the service's security profile (first rule
that matches). No service is named in code: two services with the same profile get the
same owner.
"""

from __future__ import annotations

from dataclasses import dataclass

from srm_tui.engine.pack import Pack
from srm_tui.engine.pack_schema import Control, Parts, Service


@dataclass(frozen=True)
class Decision:
    """An owner, the parts of a shared duty (``{service}`` not yet filled), and its basis."""

    owner: str
    customer_part: str = ""
    provider_part: str = ""
    basis: str = ""


def fill(template: str, names: list[str]) -> str:
    """A part's text for one or more services: ``{service}`` becomes their names."""
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return " ".join(template.split()).replace("{service}", joined)


def _parts(owner: str, parts: Parts) -> tuple[str, str]:
    if owner != "shared":
        return "", ""
    return parts.customer_part, parts.provider_part


def _condition(when: dict[str, str | list[str]]) -> str:
    shown = [f"{k} = {v if isinstance(v, str) else ' or '.join(v)}" for k, v in when.items()]
    return "; ".join(shown) or "any other profile"


def decide(pack: Pack, control: Control, service: Service) -> Decision:
    for override in service.overrides:
        if override.control == control.id:
            cust, prov = _parts(override.owner, override)
            return Decision(override.owner, cust, prov, f"override ({override.source})")
    every = pack.every_model
    if every and control.id in every.controls:
        return Decision("customer", basis="customer in every model")
    rules = control.owner
    if isinstance(rules, str):
        return Decision(rules, basis="every service")
    for rule in rules or []:
        if rule.matches(service):
            cust, prov = _parts(rule.owner, rule)
            return Decision(rule.owner, cust, prov, _condition(rule.when))
    # Unreachable for a checked pack: the last rule matches every service.
    raise ValueError(f"{control.id}: no rule matches {service.id}")
