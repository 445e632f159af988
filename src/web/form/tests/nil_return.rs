//! The nil return on the shipped forms: chosen at the top of the form, read back alone, and
//! an empty reason asked for at its field.

use serde_json::json;

use super::browser::{set, submitted};
use super::*;
use crate::forms::FormRegistry;
use crate::web::form::{parse, violations_to_errors};

const FORMS: [&str; 2] = ["data-exchange-inventory", "service-identity-cards"];
const REASON: &str = "/nothing_to_declare/reason";

fn posted_as_nothing_to_declare(schema: &Value, reason: &str) -> Value {
    let agencies = agencies();
    let page = render(schema, &json!({}), &[], &context(&agencies)).into_string();
    let mut posted = submitted(&page);
    set(&mut posted, "answer", "nothing_to_declare");
    set(&mut posted, REASON, reason);
    parse(schema, &posted, &context(&agencies)).data
}

#[test]
fn a_new_form_offers_the_nil_return_at_the_top_with_the_lists_chosen() {
    for key in FORMS {
        let page = html(&shipped_schema(key), &json!({}), &[]);
        let choice = page.find("id=\"answer-nothing\"").expect("the choice");
        let first_list = page.find("class=\"answer-lists\"").expect("the lists");
        assert!(choice < first_list, "{key}: the choice comes first");
        assert!(page.contains("موردی برای اعلام ندارد (با ذکر دلیل)"));
        assert!(page.contains(r#"id="answer-lists" name="answer" value="lists" checked"#));
        assert!(
            page.contains(&format!("name=\"{REASON}\"")),
            "{key}: the reason"
        );
        assert_every_control_is_labelled(&page);
        assert_one_id(&page, "answer-nothing");
    }
}

#[test]
fn choosing_nothing_to_declare_posts_the_reason_alone() {
    for key in FORMS {
        let schema = shipped_schema(key);
        let data = posted_as_nothing_to_declare(&schema, "سامانه‌ای نداریم");
        assert_eq!(
            data,
            json!({"nothing_to_declare": {"reason": "سامانه‌ای نداریم"}}),
            "{key}"
        );
        let mut forms = FormRegistry::new();
        forms.register(key, schema.clone()).unwrap();
        assert_eq!(forms.validate(key, None, &data), Ok(()), "{key}");
        // Drawn again (a saved draft), the nil return is the chosen answer.
        let page = html(&schema, &data, &[]);
        assert!(
            page.contains(r#"value="nothing_to_declare" checked"#),
            "{key}"
        );
        assert!(page.contains("سامانه‌ای نداریم</textarea>"), "{key}");
    }
}

#[test]
fn the_lists_answer_drops_a_reason_typed_before_changing_ones_mind() {
    let schema = shipped_schema("data-exchange-inventory");
    let agencies = agencies();
    let page = html(&schema, &json!({}), &[]);
    let mut posted = submitted(&page);
    set(&mut posted, REASON, "بعداً نظرم عوض شد");
    let data = parse(&schema, &posted, &context(&agencies)).data;
    assert_eq!(data, json!({"needs": [], "offers": []}));
}

#[test]
fn an_empty_or_blank_reason_is_asked_for_at_its_field() {
    let schema = shipped_schema("service-identity-cards");
    let mut forms = FormRegistry::new();
    forms.register("cards", schema.clone()).unwrap();
    for typed in ["", "   "] {
        let data = posted_as_nothing_to_declare(&schema, typed);
        assert_eq!(data, json!({"nothing_to_declare": {}}), "{typed:?}");
        let violations = forms.validate("cards", None, &data).unwrap_err();
        let errors = violations_to_errors(&schema, &violations, Locale::Fa);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].pointer, REASON);
        let page = html(&schema, &data, &errors);
        assert!(
            page.contains(r#"value="nothing_to_declare" checked"#),
            "still chosen"
        );
        assert!(page.contains("f-nothing_to_declare-reason-error"), "{page}");
        assert!(page.contains("این بخش را پر کنید؛ الزامی است."));
    }
}
