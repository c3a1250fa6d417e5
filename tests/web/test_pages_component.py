"""The component page and the analyst's identification of a component's maker."""

from __future__ import annotations

from sqlalchemy import select

from armtrace.audit import entries
from armtrace.markings.readings import identify_components
from armtrace.store import Store, tables
from web.support import RoleClient, SampleCase


def analyst_maker(store: Store, component: str, item: str = "KH-0001") -> str | None:
    comp, items = tables.components, tables.items
    query = (
        select(comp.c.manufacturer)
        .join(items, items.c.id == comp.c.item_id)
        .where(comp.c.key == component, items.c.key == item)
    )
    with store.engine.connect() as conn:
        found: str | None = conn.execute(query).scalar_one()
        return found


def test_component_page_shows_reading_and_where_else_the_part_turned_up(
    store: Store, analyst_client: RoleClient, sample_case: SampleCase
) -> None:
    identify_components(store)
    page = analyst_client.get(f"/items/{sample_case.published}/components/C3")
    assert page.status_code == 200
    assert "MAX2769" in page.text and "GNSS front end" in page.text
    where = page.text.split("Where else this part turned up", 1)[1]
    assert f"/items/{sample_case.draft}" not in where  # the draft item has C1 and C2 only
    c1 = analyst_client.get(f"/items/{sample_case.published}/components/C1").text
    assert f"/items/{sample_case.draft}/components/C1" in c1.split("Where else", 1)[1]


def test_analyst_records_a_maker_by_registry_name_and_it_is_audited(
    store: Store, analyst_client: RoleClient, sample_case: SampleCase
) -> None:
    answer = analyst_client.post(
        f"/items/{sample_case.published}/components/C2/manufacturer",
        data={"manufacturer": "ST"},
    )
    assert answer.status_code == 200
    assert "C2 was recorded as made by STMicroelectronics N.V." in answer.text
    assert analyst_maker(store, "C2") == "STMicroelectronics N.V."
    (entry,) = entries(store, entity="component", limit=1)
    assert entry.entity_key == f"{sample_case.published}/C2"
    assert entry.action == "component.judge_manufacturer" and entry.actor == "analyst-user"
    assert entry.before == {"manufacturer": None}
    assert entry.after == {"manufacturer": "STMicroelectronics N.V."}
    assert "analyst</span>" in analyst_client.get(f"/items/{sample_case.published}").text


def test_unknown_maker_is_kept_as_typed_and_said_to_be_unknown(
    store: Store, analyst_client: RoleClient, sample_case: SampleCase
) -> None:
    answer = analyst_client.post(
        f"/items/{sample_case.published}/components/C4/manufacturer",
        data={"manufacturer": "Exercise Widgets Ltd"},
    )
    assert "not in the reference registry" in answer.text
    assert analyst_maker(store, "C4") == "Exercise Widgets Ltd"
    cleared = analyst_client.post(
        f"/items/{sample_case.published}/components/C4/manufacturer", data={"manufacturer": " "}
    )
    assert "identification of C4 was cleared" in cleared.text
    assert analyst_maker(store, "C4") is None
    assert len(entries(store, entity="component")) == 2


def test_the_same_maker_twice_writes_one_audit_entry(
    store: Store, analyst_client: RoleClient, sample_case: SampleCase
) -> None:
    path = f"/items/{sample_case.published}/components/C1/manufacturer"
    analyst_client.post(path, data={"manufacturer": "Analog Devices"})
    analyst_client.post(path, data={"manufacturer": "analog devices"})
    assert len(entries(store, entity="component")) == 1


def test_only_analysts_record_makers(
    store: Store, investigator_client: RoleClient, sample_case: SampleCase
) -> None:
    answer = investigator_client.post(
        f"/items/{sample_case.published}/components/C1/manufacturer",
        data={"manufacturer": "Analog Devices"},
    )
    assert answer.status_code == 403
    assert analyst_maker(store, "C1") is None


def test_missing_component_is_a_404(analyst_client: RoleClient, sample_case: SampleCase) -> None:
    page = analyst_client.get(f"/items/{sample_case.published}/components/C99")
    assert page.status_code == 404
    edit = analyst_client.post(
        f"/items/{sample_case.published}/components/C99/manufacturer", data={"manufacturer": "x"}
    )
    assert edit.status_code == 404


def test_the_analysts_reason_is_kept_in_the_audit_entry(
    store: Store, analyst_client: RoleClient, sample_case: SampleCase
) -> None:
    url = f"/items/{sample_case.published}/components/C3"
    form = analyst_client.get(url).text
    assert 'name="note"' in form  # the page's form sends the reason
    reason = "logo and package match the MAX2769 datasheet photo"
    answer = analyst_client.post(
        f"{url}/manufacturer", data={"manufacturer": "Maxim Integrated", "note": f"  {reason} "}
    )
    assert answer.status_code == 200
    (entry,) = entries(store, entity="component", limit=1)
    assert entry.after is not None and entry.after["note"] == reason
    assert entry.before == {"manufacturer": None}
    # The same maker again with a new reason is a new judgement; without one, nothing changed.
    analyst_client.post(f"{url}/manufacturer", data={"manufacturer": "Maxim Integrated"})
    assert len(entries(store, entity="component", entity_key=f"{sample_case.published}/C3")) == 1
    analyst_client.post(
        f"{url}/manufacturer", data={"manufacturer": "Maxim Integrated", "note": "re-checked"}
    )
    latest = entries(store, entity="component", limit=1)[0]
    assert latest.after is not None and latest.after["note"] == "re-checked"
    assert "note" not in (latest.before or {})


def test_a_note_too_long_is_refused(analyst_client: RoleClient, sample_case: SampleCase) -> None:
    answer = analyst_client.post(
        f"/items/{sample_case.published}/components/C3/manufacturer",
        data={"manufacturer": "Maxim Integrated", "note": "x" * 2001},
    )
    assert answer.status_code == 422
