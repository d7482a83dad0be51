"""The responsibility split agrees with what the providers publish."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srm_tui.engine.answers import AnswersFile
from srm_tui.engine.assessment import assess, combine_status, fractions
from srm_tui.engine.pack_loader import load_pack
from srm_tui.engine.values import AnswerError, coerce

PHYSICAL = ("physical_hosts", "physical_network", "physical_datacenter")


def scope(pack, *service_ids, **answers):
    file = AnswersFile.new(pack)
    file.answers.update({"services": list(service_ids), **answers})
    return assess(pack, file)


def matrix(result):
    return {row["layer"]: row for row in result.matrix}


def test_ec2_puts_os_and_network_on_the_customer(pack):
    rows = matrix(scope(pack, "aws.ec2"))
    assert rows["operating_system"]["iaas"] == "customer"
    assert rows["network_controls"]["iaas"] == "customer"


def test_rds_puts_the_os_on_the_provider(pack):
    assert matrix(scope(pack, "aws.rds"))["operating_system"]["paas"] == "provider"


def test_saas_applications_are_shared_as_microsoft_publishes(pack):
    """The vendor builds and patches the application, the customer configures the tenant."""
    saas = [s.id for s in pack.services if s.model == "saas"]
    assert saas
    for sid in saas:
        result = scope(pack, sid)
        assert matrix(result)["applications"]["saas"] == "shared", sid


@pytest.mark.parametrize("model", ["iaas", "paas", "saas", "on_prem"])
def test_data_and_accounts_are_always_the_customers(pack, model):
    for service in (s for s in pack.services if s.model == model):
        rows = matrix(scope(pack, service.id))
        assert rows["data"][model] == "customer", service.id
        assert rows["accounts"][model] == "customer", service.id


def test_physical_layers_are_the_providers_in_every_cloud_scope(pack):
    for service in (s for s in pack.services if s.model != "on_prem"):
        rows = matrix(scope(pack, service.id))
        for layer in PHYSICAL:
            assert rows[layer][service.model] == "provider", (service.id, layer)


def test_customer_share_falls_from_iaas_to_paas_to_saas(pack):
    share = {
        sid: scope(pack, sid).shares["overall"]["customer"]
        for sid in ("aws.ec2", "aws.rds", "saas.m365")
    }
    assert share["aws.ec2"] > share["aws.rds"] > share["saas.m365"]


def test_on_premises_is_all_customer(pack):
    onprem = [s.id for s in pack.services if s.model == "on_prem"]
    assert onprem
    result = scope(pack, *onprem)
    assert result.shares["overall"] == {"customer": 1.0, "shared": 0.0, "provider": 0.0}


def test_generic_services_follow_the_published_table_where_providers_agree(pack):
    """The generic IaaS and PaaS entries give Microsoft's cells for the rows every table shares."""
    for sid in ("other.iaas", "other.paas"):
        service = pack.service_by_id[sid]
        rows = matrix(scope(pack, sid))
        for layer in ("data", "accounts", "operating_system", *PHYSICAL):
            expected = pack.layer_by_id[layer].defaults[service.model]
            assert rows[layer][service.model] == expected, (sid, layer)


REPORT_PACK = Path(__file__).parent / "fixtures" / "report-pack"


@pytest.fixture(scope="module")
def report_pack():
    """A pack whose effects are known: "msp" hands OPS-01 to a third party, "nobody"
    marks it not implemented, and the MFA answer sets IAM-01's status."""
    return load_pack(REPORT_PACK)


def _by_id(result):
    return {r.control.id: r for r in result.controls}


@pytest.mark.parametrize(
    ("answers", "control", "owner", "status", "reasons"),
    [
        ({}, "OPS-01", "customer", "unknown", []),
        ({"os_patching": "msp"}, "OPS-01", "third_party", "unknown", ["os_patching"]),
        ({"os_patching": "nobody"}, "OPS-01", "customer", "not_implemented", ["os_patching"]),
        ({"os_patching": "internal"}, "OPS-01", "customer", "unknown", []),
        ({}, "IAM-01", "customer", "unknown", []),
        ({"mfa_all": "yes"}, "IAM-01", "customer", "implemented", ["mfa_all"]),
        ({"mfa_all": "no"}, "IAM-01", "customer", "not_implemented", ["mfa_all"]),
    ],
)
def test_answers_set_status_and_move_owner(report_pack, answers, control, owner, status, reasons):
    result = _by_id(scope(report_pack, "aws.ec2", **answers))[control]
    assert (result.owner, result.status, result.reasons) == (owner, status, reasons)


def test_an_effect_of_a_hidden_question_does_not_act(report_pack):
    """Without an IaaS service the patching question is hidden: its "msp" answer stays in
    the file but moves nothing."""
    result = _by_id(scope(report_pack, "saas.m365", os_patching="msp"))["OPS-01"]
    assert (result.owner, result.status, result.reasons) == ("provider", None, [])


def test_empty_scope_leaves_everything_with_the_customer(pack):
    result = scope(pack)
    assert result.models == []
    assert result.shares["overall"]["customer"] == 1.0


def test_fractions_sum_to_one():
    assert sum(fractions({"customer": 1, "shared": 1, "provider": 1}).values()) == pytest.approx(1)
    assert fractions({"customer": 0, "shared": 0, "provider": 0})["customer"] == 1.0


def test_combine_status():
    assert combine_status(["implemented", "implemented"]) == "implemented"
    assert combine_status(["implemented", "not_implemented"]) == "partial"
    assert combine_status(["unknown", "planned"]) == "unknown"


def _answer_strategy(pack):
    def for_question(cq):
        kind = cq.q.type
        if kind in ("single", "yesno"):
            return st.sampled_from([c.value for c in pack.choices(cq.q)])
        if kind == "multi":
            return st.lists(st.sampled_from([c.value for c in pack.choices(cq.q)]), unique=True)
        if kind == "number":
            return st.integers(-10, 10_000)
        if kind == "date":
            return st.dates().map(lambda d: d.isoformat())
        return st.text(max_size=40)

    questions = [cq for cq in pack.questions if cq.id != "services"]
    return st.fixed_dictionaries({}, optional={cq.id: for_question(cq) for cq in questions})


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_scope_and_answers_give_a_valid_assessment(pack, data):
    services = data.draw(st.lists(st.sampled_from([s.id for s in pack.services]), unique=True))
    answers = data.draw(_answer_strategy(pack))
    file = AnswersFile.new(pack)
    for qid, value in answers.items():
        cq = pack.question_by_id[qid]
        with contextlib.suppress(AnswerError):
            file.answers[qid] = coerce(pack, cq, value)
    file.answers["services"] = services
    result = assess(pack, file)
    payload = result.to_json()
    assert sum(payload["shares"]["overall"].values()) == pytest.approx(1)
    for split in payload["shares"]["by_model"].values():
        assert sum(split.values()) == pytest.approx(1)
        assert all(0 <= v <= 1 for v in split.values())
    assert set(payload["models_in_scope"]) == {pack.service_by_id[s].model for s in services}
    for control in payload["controls"]:
        assert control["owner"] in (
            "customer",
            "provider",
            "shared",
            "third_party",
            "not_applicable",
        )
        if control["owner"] in ("customer", "shared", "third_party"):
            assert control["status"] in (
                "implemented",
                "partial",
                "planned",
                "alternative",
                "not_implemented",
                "unknown",
            )
        else:
            assert control["status"] is None
        assert set(control["services"]) <= set(services)
