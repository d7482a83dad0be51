"""The responsibility model against the providers' own documents.

``data/expected_owners.yaml`` holds (service, duty) -> owner cases, each with the provider
statement it rests on and its URL; the engine must give every one of them for a scope
holding only that service. The other tests pin the rules the model is built on: the layer
matrix, the share method, the parts of shared duties and what a migration changes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from srm_tui.engine import compare
from srm_tui.engine.answers import AnswersFile
from srm_tui.engine.assessment import assess
from srm_tui.engine.compare import what_if
from srm_tui.engine.pack_loader import load_pack

CASES = yaml.safe_load((Path(__file__).parent / "data" / "expected_owners.yaml").read_text())[
    "cases"
]
PACK = load_pack()


def scope(*services: str):
    return assess(PACK, AnswersFile({"answers": {"services": list(services)}}))


def owner_of(result, control_id: str, service_id: str) -> str:
    row = next(r for r in result.controls if r.control.id == control_id)
    return row.by_service[service_id]


def test_the_table_is_large_and_spans_every_cloud():
    assert len(CASES) >= 80
    clouds = {c["service"].split(".")[0] for c in CASES}
    assert {"aws", "azure", "gcp", "saas"} <= clouds
    for case in CASES:
        assert case["url"].startswith("https://"), case
        assert case["statement"].strip(), case
        assert isinstance(case["read"], dt.date), case


@pytest.mark.parametrize("case", CASES, ids=[f"{c['service']}:{c['control']}" for c in CASES])
def test_expected_owner(case):
    assert case["service"] in PACK.service_by_id
    result = scope(case["service"])
    assert owner_of(result, case["control"], case["service"]) == case["owner"], case["statement"]


def test_every_shared_duty_states_both_parts_for_its_service():
    for service in PACK.services:
        for row in scope(service.id).controls:
            if row.by_service[service.id] == "shared":
                cust, prov = row.parts[service.id]
                assert cust and prov, (service.id, row.control.id)
                assert "{service}" not in cust + prov


def test_equivalent_services_share_a_model_across_clouds():
    groups = [
        ["aws.s3", "azure.blob-storage", "gcp.cloud-storage"],
        ["aws.kms", "azure.key-vault", "gcp.cloud-kms"],
        ["aws.dynamodb", "azure.cosmos-db", "gcp.firestore"],
        ["aws.ecs-fargate", "azure.container-apps", "gcp.cloud-run"],
        ["aws.lambda", "azure.functions", "gcp.cloud-functions"],
        ["aws.eks", "azure.aks", "gcp.gke"],
    ]
    for group in groups:
        models = {PACK.service_by_id[s].model for s in group}
        assert len(models) == 1, (group, models)


def test_aws_services_carry_the_category_aws_gives_them():
    stated = {
        "aws.ec2": "infrastructure",
        "aws.ebs": "infrastructure",
        "aws.vpc": "infrastructure",
        "aws.rds": "container",
        "aws.elastic-beanstalk": "container",
        "aws.eks": "container",
        "aws.ecs-fargate": "container",
        "aws.s3": "abstracted",
        "aws.dynamodb": "abstracted",
    }
    for sid, category in stated.items():
        assert PACK.service_by_id[sid].aws_category == category, sid
    assert all(s.aws_category is None for s in PACK.services if s.provider != "aws")


def test_not_applicable_never_makes_a_matrix_cell_shared():
    result = scope("aws.ec2", "aws.vpc")
    rows = {r["layer"]: r for r in result.matrix}
    assert rows["operating_system"]["iaas"] == "customer"
    assert rows["applications"]["iaas"] == "customer"
    assert rows["operating_system"]["by_service"]["iaas"]["aws.vpc"] == "not_applicable"


def test_a_matrix_cell_where_services_disagree_is_mixed_and_names_them():
    result = scope("aws.ec2", "azure.app-service", "aws.lambda")
    rows = {r["layer"]: r for r in result.matrix}
    assert rows["operating_system"] | {"by_service": None} == {
        "layer": "operating_system",
        "iaas": "customer",
        "paas": "provider",
        "by_service": None,
    }
    both = scope("aws.ec2", "gcp.compute-engine", "aws.s3", "aws.eks")
    row = {r["layer"]: r for r in both.matrix}["operating_system"]
    assert row["paas"] == "mixed"
    holders = dict(both.holders(row, "paas"))
    assert "Amazon EKS" in holders["shared"]
    assert row["by_service"]["paas"]["aws.s3"] in ("provider", "not_applicable")
    cells = {r[m] for r in both.matrix for m in both.models}
    assert cells <= {"customer", "shared", "provider", "not_applicable", "mixed"}


@pytest.mark.parametrize(
    "services",
    [["aws.ec2", "aws.s3", "saas.m365"], ["saas.salesforce"], ["gcp.cloud-run", "gcp.bigquery"]],
)
def test_share_lies_between_customer_alone_and_customer_or_shared(services):
    result = scope(*services)
    applicable = [r for r in result.controls if r.owner != "not_applicable"]
    alone = sum(r.owner in ("customer", "third_party") for r in applicable) / len(applicable)
    with_shared = sum(r.owner in ("customer", "third_party", "shared") for r in applicable) / len(
        applicable
    )
    headline = result.shares["overall"]["customer"]
    assert alone - 0.0001 <= headline <= with_shared + 0.0001
    counts = result.shares["counts"]["overall"]
    assert counts["not_applicable"] == len(result.not_applicable)
    assert sum(counts.values()) == len(result.controls)


def test_share_is_reproducible_from_the_json():
    data = scope("azure.sql-database", "aws.rds", "saas.slack").to_json()
    owners = [c["owner"] for c in data["controls"] if c["owner"] != "not_applicable"]
    customer = sum(o in ("customer", "third_party") for o in owners) / len(owners)
    assert data["shares"]["overall"]["customer"] == pytest.approx(customer, abs=1e-4)
    assert data["shares"]["method"]
    shared = [c for c in data["controls"] if c["owner"] == "shared"]
    assert shared and all(c["customer_part"] and c["provider_part"] for c in shared)


def test_what_if_ec2_to_fargate_keeps_image_and_network_duties_and_adds_container_ones():
    answers = AnswersFile({"answers": {"services": ["aws.ec2", "aws.vpc"]}})
    change = what_if(PACK, answers, [("aws.ec2", "aws.ecs-fargate")])
    moved = assess(PACK, compare.moved(PACK, answers, [("aws.ec2", "aws.ecs-fargate")]))
    assert "OPS-04" in change["customer_duties"]["added"]  # build, scan and sign images
    for kept in ("OPS-06", "NET-01", "NET-06"):
        assert owner_of(moved, kept, "aws.ecs-fargate") == "customer", kept
    assert owner_of(moved, "OPS-01", "aws.ecs-fargate") == "provider"
