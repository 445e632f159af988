//! Suggestions while typing a data item's name: the items whose name or a synonym starts
//! with, or contains, what was typed — compared folded, so «كد» finds «کد ملی». Prefix
//! matches rank first, then the more widely used items, then the shorter names.

use serde::Serialize;

use super::Catalogue;
use crate::reports::normalise::match_key;

/// The most suggestions one search returns.
pub const MAX_SUGGESTIONS: usize = 50;

/// One suggestion: the item, and the name of it that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Suggestion {
    pub id: String,
    pub name: String,
    /// The name or synonym that matched what was typed.
    pub matched: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lookup_key: Option<String>,
    pub agencies: u32,
}

/// Up to `limit` items matching `typed`, best first; nothing for an empty query.
pub fn search(state: &Catalogue, typed: &str, limit: usize) -> Vec<Suggestion> {
    let wanted = match_key(typed);
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<(bool, Suggestion)> = state
        .items
        .values()
        .filter_map(|item| {
            let mut best: Option<(bool, &str)> = None;
            for name in item.names() {
                let key = match_key(name);
                let prefix = key.starts_with(&wanted);
                if (prefix || key.contains(&wanted)) && best.is_none_or(|(p, _)| prefix && !p) {
                    best = Some((prefix, name));
                }
            }
            let (prefix, matched) = best?;
            Some((
                prefix,
                Suggestion {
                    id: item.id.clone(),
                    name: item.name.clone(),
                    matched: matched.to_string(),
                    lookup_key: item.lookup_key.clone(),
                    agencies: item.agencies,
                },
            ))
        })
        .collect();
    found.sort_by(|(pa, a), (pb, b)| {
        pb.cmp(pa)
            .then(b.agencies.cmp(&a.agencies))
            .then(a.matched.chars().count().cmp(&b.matched.chars().count()))
            .then(a.id.cmp(&b.id))
    });
    found
        .into_iter()
        .take(limit.min(MAX_SUGGESTIONS))
        .map(|(_, s)| s)
        .collect()
}
