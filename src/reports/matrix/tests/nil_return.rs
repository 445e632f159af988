//! An agency whose accepted inventory says «nothing to declare» has answered.

use super::*;

#[test]
fn an_accepted_nil_return_is_an_answer_with_no_cells() {
    let participants: Vec<String> = ["CPPO", "NOCR", "SSAA"].map(String::from).into();
    let inventories = vec![
        inventory("CPPO", vec![need("NOCR", &["نام"], &[])], vec![]),
        (
            "NOCR".to_string(),
            json!({"nothing_to_declare": {"reason": "سامانه‌ای نداریم"}}),
        ),
    ];
    let m = built(&participants, &inventories, &CatalogueIndex::default());
    let summary = |code: &str| m.agencies.iter().find(|a| a.code == code).unwrap();
    let nocr = summary("NOCR");
    assert!(nocr.inventory_accepted && nocr.nothing_to_declare);
    assert_eq!((nocr.needs, nocr.offers), (0, 0));
    let ssaa = summary("SSAA");
    assert!(
        !ssaa.inventory_accepted && !ssaa.nothing_to_declare,
        "SSAA has not answered"
    );
    assert!(!summary("CPPO").nothing_to_declare);
    assert!(
        m.cells
            .iter()
            .all(|c| c.provider != "NOCR" || c.offers.is_empty()),
        "NOCR offers nothing"
    );
    assert!(
        m.cells.iter().all(|c| c.consumer != "NOCR"),
        "NOCR needs nothing"
    );
    assert!(m.unused_offers.is_empty());
    // CPPO's need names an agency that answered: it found no offer there, which is not
    // the same as an agency that never answered.
    assert_eq!(
        unmatched(&m),
        [("CPPO/needs/0".to_string(), Reason::NoMatchingOffer, vec![])]
    );
}
