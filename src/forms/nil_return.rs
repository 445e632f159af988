//! The explicit nil return every shipped form admits (forms.md): instead of its lists, a
//! document `{"nothing_to_declare": {"reason": "…"}}` says the agency has nothing to declare,
//! and why. The schema decides whether such a document is valid; this module only recognises
//! one, for the readers that treat it apart (the board, the form page, the review page).

use serde_json::Value;

/// The property that carries a nil return.
pub const NOTHING_TO_DECLARE: &str = "nothing_to_declare";

/// The reason of a nil return, or `None` when `data` is not one.
pub fn nil_return_reason(data: &Value) -> Option<&str> {
    data.get(NOTHING_TO_DECLARE)?.get("reason")?.as_str()
}

/// Whether `data` is a nil return (whatever its reason, even a missing one).
pub fn is_nil_return(data: &Value) -> bool {
    data.get(NOTHING_TO_DECLARE).is_some()
}

/// Whether the form whose schema is `schema` admits a nil return at its root.
pub fn admits_nil_return(schema: &Value) -> bool {
    schema
        .get("properties")
        .and_then(|p| p.get(NOTHING_TO_DECLARE))
        .is_some()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::forms::FormRegistry;

    fn shipped() -> FormRegistry {
        let mut forms = FormRegistry::new();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
        forms.load_dir(&dir).unwrap();
        forms
    }

    fn failures(forms: &FormRegistry, key: &str, data: &Value) -> Vec<(String, String)> {
        match forms.validate(key, None, data) {
            Ok(()) => Vec::new(),
            Err(found) => found
                .iter()
                .map(|v| (v.instance_path.clone(), v.keyword().to_owned()))
                .collect(),
        }
    }

    #[test]
    fn every_shipped_form_admits_a_nil_return_with_a_reason_and_nothing_else() {
        let forms = shipped();
        let keys: Vec<String> = forms.list().iter().map(|f| f.key().to_owned()).collect();
        assert!(keys.len() >= 2, "{keys:?}");
        for key in &keys {
            let form = forms.get(key, None).unwrap();
            if key == "needs-confirmation" {
                // A provider answers each need addressed to it; declining one (with the
                // legal reason) is how it says no, so a nil return has nothing to stand for.
                assert!(!admits_nil_return(form.schema()), "{key}");
                assert!(
                    !failures(&forms, key, &json!({"nothing_to_declare": {"reason": "x"}}))
                        .is_empty()
                );
                continue;
            }
            assert!(admits_nil_return(form.schema()), "{key}");
            let reason = |r: &str| json!({"nothing_to_declare": {"reason": r}});
            assert_eq!(failures(&forms, key, &reason("سامانه‌ای نداریم")), []);
            let at_reason = "/nothing_to_declare/reason".to_owned();
            assert!(
                failures(&forms, key, &reason(""))
                    .iter()
                    .all(|(at, _)| *at == at_reason),
                "{key}: an empty reason is refused at the reason"
            );
            assert_eq!(
                failures(&forms, key, &reason(" \t\u{a0}\n")),
                [(at_reason.clone(), "not".to_owned())],
                "{key}: a reason of spaces only"
            );
            let mut both = reason("موردی نیست");
            for list in form.schema()["oneOf"][0]["required"].as_array().unwrap() {
                both[list.as_str().unwrap()] = json!([]);
            }
            assert!(
                failures(&forms, key, &both).contains(&(String::new(), "oneOf".to_owned())),
                "{key}: the lists and a nil return together"
            );
        }
    }

    #[test]
    fn a_nil_return_is_recognised_with_its_reason() {
        let nil = json!({"nothing_to_declare": {"reason": "سامانه‌ای نداریم"}});
        assert_eq!(nil_return_reason(&nil), Some("سامانه‌ای نداریم"));
        assert!(is_nil_return(&nil));
        let lists = json!({"needs": [], "offers": [{}]});
        assert_eq!(nil_return_reason(&lists), None);
        assert!(!is_nil_return(&lists));
    }
}
