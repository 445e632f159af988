//! Reading the new-case form into the engine's request.

use serde_json::json;

use super::*;

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn english(_: &'static str, en: &'static str) -> String {
    en.to_string()
}

#[test]
fn a_resolution_for_every_agency_opens_the_inventory_on_approval() {
    let form = NewCaseForm::from_fields(&fields(&[
        ("title", "احصای اطلاعات"),
        ("text", "دستگاه‌ها فهرست را تا پایان ماه بفرستند."),
        ("participants", "all"),
        ("workflow", "data-exchange-inventory"),
    ]));
    assert!(incomplete(&form, english).is_empty());
    let open = form.open_case();
    assert_eq!(open.workflow, "resolution-approval");
    assert_eq!(open.title, "احصای اطلاعات");
    assert_eq!(
        open.participants, None,
        "a resolution itself has no participants"
    );
    assert_eq!(
        open.params,
        json!({
            "text": "دستگاه‌ها فهرست را تا پایان ماه بفرستند.",
            "on_approval": {"workflow": "data-exchange-inventory", "participants": "all"},
        })
    );
}

#[test]
fn chosen_agencies_go_to_the_case_that_opens() {
    let form = NewCaseForm::from_fields(&fields(&[
        ("title", "t"),
        ("text", "x"),
        ("participants", "chosen"),
        ("agency", "MIMT"),
        ("agency", " IRICA "),
        ("agency", ""),
        ("workflow", "data-exchange-inventory"),
    ]));
    assert_eq!(form.agencies, vec!["MIMT", "IRICA"]);
    assert_eq!(
        form.open_case().params["on_approval"]["participants"],
        json!(["MIMT", "IRICA"])
    );
}

#[test]
fn a_direct_case_is_opened_with_its_participants_and_no_vote() {
    let form = NewCaseForm::from_fields(&fields(&[
        ("title", "t"),
        ("participants", "chosen"),
        ("agency", "CBI"),
        ("workflow", "service-identity-cards"),
        ("direct", "on"),
    ]));
    assert!(incomplete(&form, english).is_empty(), "no text needed");
    let open = form.open_case();
    assert_eq!(open.workflow, "service-identity-cards");
    assert_eq!(
        open.participants,
        Some(ParticipantsInput::List(vec!["CBI".into()]))
    );
    assert_eq!(open.params, json!({}));
}

#[test]
fn untaken_choices_are_reported_at_their_fields() {
    let form = NewCaseForm::from_fields(&fields(&[("title", " "), ("participants", "chosen")]));
    let errors = incomplete(&form, english);
    assert_eq!(
        errors.keys().copied().collect::<Vec<_>>(),
        vec!["participants", "text", "title", "workflow"]
    );
}

#[test]
fn engine_refusals_land_at_the_field_they_name() {
    assert_eq!(place_refusal("title must be 1 to 500 characters"), "title");
    assert_eq!(
        place_refusal("agency \"XX\" is not registered"),
        "participants"
    );
    assert_eq!(
        place_refusal("this workflow needs at least one participant agency"),
        "participants"
    );
    assert_eq!(place_refusal("unknown workflow \"nope\""), "workflow");
    assert_eq!(place_refusal("the database is busy"), "");
}
