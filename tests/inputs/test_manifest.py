"""The register manifest: read, compared with the files, written for the synthetic register."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from conftest import FIXTURES, ROOT, TODAY
from evalkit.inputs.manifest import (
    MANIFEST,
    REAL_EXPORT,
    manifest_document,
    validate_manifest,
    write_synthetic_manifest,
)
from evalkit.inputs.register import schemas


@pytest.fixture(scope="module")
def table_schemas(reference):
    return schemas(reference, TODAY)


@pytest.fixture()
def folder(tmp_path):
    target = tmp_path / "register"
    shutil.copytree(FIXTURES / "register-klein", target)
    return target


def rewrite(folder, change):
    path = folder / MANIFEST
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_a_folder_without_manifest_is_a_real_export(folder, table_schemas):
    (folder / MANIFEST).unlink()
    manifest, problems = validate_manifest(folder, table_schemas)
    assert manifest == REAL_EXPORT and not manifest.synthetic and manifest.kind == "echt"
    assert problems == []


@pytest.mark.parametrize("register", [ROOT / "data" / "register", FIXTURES / "register-klein"])
def test_committed_registers_describe_themselves_as_synthetic(register, table_schemas):
    manifest, problems = validate_manifest(register, table_schemas)
    assert problems == []
    assert manifest.synthetic and manifest.kind == "synthetisch"
    assert manifest.title and dt.date.fromisoformat(manifest.created)


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        (lambda d: d.update(synthetic="ja"), "synthetic", "hoort true of false te zijn"),
        (lambda d: d.update(title=""), "title", "een titel ontbreekt"),
        (lambda d: d.update(created="gisteren"), "created", "geen datum"),
        (lambda d: d["resources"].pop(2), "resources", "deze tabel ontbreekt"),
        (
            lambda d: d["resources"].append({"name": "gezinnen", "path": "gezinnen.csv"}),
            "resources",
            "onbekende tabel",
        ),
        (
            lambda d: d["resources"][0].update(path="export.csv"),
            "trajecten.path",
            "bestand bestaat niet",
        ),
        (
            lambda d: d["resources"][0]["schema"]["fields"].pop(1),
            "trajecten.schema.fields",
            "de kolommen van trajecten.csv zijn",
        ),
        (
            lambda d: d["resources"][1]["schema"]["fields"][1].update(type="string"),
            "jaarregistratie.jaar",
            "type hoort 'integer' te zijn",
        ),
    ],
    ids=[
        "synthetic-not-boolean",
        "no-title",
        "bad-created",
        "table-missing",
        "unknown-table",
        "file-missing",
        "fields-differ-from-header",
        "wrong-type",
    ],
)
def test_manifest_problem_is_reported_once_at_its_field(
    folder, table_schemas, change, column, message
):
    rewrite(folder, change)
    _, problems = validate_manifest(folder, table_schemas)
    assert len(problems) == 1, problems
    assert problems[0].column == column and message in problems[0].message


def test_not_json_is_a_problem_and_the_register_counts_as_real(folder, table_schemas):
    (folder / MANIFEST).write_text("{synthetic: true", encoding="utf-8")
    manifest, problems = validate_manifest(folder, table_schemas)
    assert not manifest.synthetic
    assert len(problems) == 1 and "geen geldige JSON" in problems[0].message


def test_synthetic_manifest_round_trip(tmp_path, table_schemas):
    for name in ("trajecten", "jaarregistratie", "kinderen"):
        shutil.copyfile(FIXTURES / "register-klein" / f"{name}.csv", tmp_path / f"{name}.csv")
    write_synthetic_manifest(tmp_path, table_schemas, ["Brief A", "Brief B"], TODAY, 7)
    manifest, problems = validate_manifest(tmp_path, table_schemas)
    assert problems == []
    assert manifest.synthetic and manifest.sources == ("Brief A", "Brief B")
    assert manifest.created == TODAY.isoformat() and "zaad 7" in manifest.description


def test_document_fields_follow_the_schemas(table_schemas):
    doc = manifest_document(
        table_schemas,
        name="x",
        title="X",
        created="2024-01-01",
        description="",
        sources=[],
        synthetic=False,
    )
    fields = {
        r["name"]: [(f["name"], f["type"]) for f in r["schema"]["fields"]] for r in doc["resources"]
    }
    assert fields["kinderen"] == [
        ("kind_id", "string"),
        ("traject_id", "string"),
        ("geboortejaar", "integer"),
        ("geboortemaand", "integer"),
    ]
    assert ("aanmelddatum", "date") in fields["trajecten"]
    assert ("uren_per_week", "number") in fields["jaarregistratie"]
    assert doc["synthetic"] is False
