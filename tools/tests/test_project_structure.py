"""The built project follows its own conventions: the structure check finds nothing on the real manifest."""
from __future__ import annotations

from revops_tools.structure import check_manifest


def test_the_project_manifest_has_no_structure_violations(manifest):
    violations = check_manifest(manifest)
    assert violations == [], "structure violations:\n" + "\n".join(violations)


def test_every_raw_table_is_a_source_with_freshness_or_a_stated_exemption(manifest):
    sources = [s for s in manifest["sources"].values() if s["package_name"] == "revops_warehouse"]
    assert len(sources) == 43
    for s in sources:
        assert s.get("loaded_at_field") == "_fivetran_synced", s["unique_id"]
        fresh = s.get("freshness") or {}
        assert fresh.get("error_after", {}).get("count") or s["meta"].get("freshness_exempt"), s["unique_id"]
