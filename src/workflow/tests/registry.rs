use serde_json::json;

use super::{inventory, load};
use crate::workflow::WorkflowRegistry;

#[test]
fn unchanged_definition_keeps_its_version() {
    let mut registry = WorkflowRegistry::new();
    let first = registry.register(load(inventory()).unwrap());
    assert_eq!(
        (first.key.as_str(), first.version, first.created),
        ("inventory", 1, true)
    );
    let again = registry.register(load(inventory()).unwrap());
    assert_eq!((again.version, again.created), (1, false));
    assert_eq!(again.hash, first.hash);
}

#[test]
fn changed_definition_gets_a_new_version_and_old_ones_stay() {
    let mut registry = WorkflowRegistry::new();
    let first = registry.register(load(inventory()).unwrap());
    let mut changed = inventory();
    changed["steps"][0]["remind"] = json!(["P5D"]);
    let second = registry.register(load(changed).unwrap());
    assert_eq!((second.version, second.created), (2, true));
    assert_ne!(second.hash, first.hash);

    let latest = registry.latest("inventory").unwrap();
    assert_eq!(latest.version, 2);
    assert_eq!(latest.definition.content_hash(), second.hash);
    let old = registry.by_hash(&first.hash).unwrap();
    assert_eq!(old.version, 1);
    assert_eq!(
        registry
            .get("inventory", 1)
            .unwrap()
            .definition
            .content_hash(),
        first.hash
    );
    assert!(registry.get("inventory", 3).is_none());
    assert!(registry.get("inventory", 0).is_none());
    assert!(registry.latest("other").is_none());

    // Reverting makes version 3 the latest; the hash still finds the first version.
    let reverted = registry.register(load(inventory()).unwrap());
    assert_eq!((reverted.version, reverted.created), (3, true));
    assert_eq!(registry.by_hash(&first.hash).unwrap().version, 1);

    let mut other = inventory();
    other["key"] = json!("another");
    registry.register(load(other).unwrap());
    let listed: Vec<(String, u32)> = registry
        .list()
        .iter()
        .map(|v| (v.definition.key().to_owned(), v.version))
        .collect();
    assert_eq!(
        listed,
        [("another".to_owned(), 1), ("inventory".to_owned(), 3)]
    );
}
