//! The catalogue of data items (فهرست اقلام اطلاعاتی) as the matrix reads it: which
//! catalogue item a submitted data item is. The catalogue itself (its events, its curation by
//! the secretariat) lives above; it builds one of these from its current state. An empty index
//! leaves the matrix matching on names alone.

use rustc_hash::FxHashMap;

use super::normalise::match_key;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogueIndex {
    /// Every id an item has had (an id merged away included) → the item's id now.
    ids: FxHashMap<String, String>,
    /// The match key of every name and synonym → the item's id.
    names: FxHashMap<String, String>,
    /// Items that are identifiers → the lookup key each stands for.
    lookup_keys: FxHashMap<String, String>,
    /// The catalogue version this was built from: part of a cached matrix's key.
    pub version: u64,
}

impl CatalogueIndex {
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Adds an item under its id, with its name and synonyms; `lookup_key` when the item is
    /// an identifier.
    pub fn insert_item<'a>(
        &mut self,
        id: &str,
        names: impl IntoIterator<Item = &'a str>,
        lookup_key: Option<&str>,
    ) {
        self.ids.insert(id.to_string(), id.to_string());
        for name in names {
            self.names.insert(match_key(name), id.to_string());
        }
        if let Some(key) = lookup_key {
            self.lookup_keys.insert(id.to_string(), key.to_string());
        }
    }

    /// Records that `old_id` (merged into another item) now reads as `id`.
    pub fn insert_former_id(&mut self, old_id: &str, id: &str) {
        self.ids.insert(old_id.to_string(), id.to_string());
    }

    /// The catalogue item a submitted data item is: by its `catalogue_id` when it names one
    /// (following merges), else by its name or a synonym, compared by match key.
    pub fn resolve(&self, name: &str, catalogue_id: Option<&str>) -> Option<&str> {
        self.resolve_folded(&match_key(name), catalogue_id)
    }

    /// Like [`CatalogueIndex::resolve`], for a name already folded by [`match_key`].
    pub fn resolve_folded(&self, key: &str, catalogue_id: Option<&str>) -> Option<&str> {
        if let Some(id) = catalogue_id.and_then(|id| self.ids.get(id)) {
            return Some(id);
        }
        self.names.get(key).map(String::as_str)
    }

    /// The lookup key an identifier item stands for.
    pub fn lookup_key_of(&self, id: &str) -> Option<&str> {
        self.lookup_keys.get(id).map(String::as_str)
    }

    /// Whether `id` is (or was, before a merge) an item's id.
    pub fn knows_id(&self, id: &str) -> bool {
        self.ids.contains_key(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_is_found_by_id_former_id_name_and_synonym() {
        let mut index = CatalogueIndex::default();
        index.insert_item(
            "DI-7",
            ["وضعیت کارت بازرگانی", "اعتبار کارت بازرگانی"],
            None,
        );
        index.insert_former_id("DI-9", "DI-7");
        assert_eq!(index.resolve("anything", Some("DI-7")), Some("DI-7"));
        assert_eq!(index.resolve("anything", Some("DI-9")), Some("DI-7"));
        assert_eq!(index.resolve("وضعيت كارت بازرگاني", None), Some("DI-7"));
        assert_eq!(index.resolve("اعتبار کارت‌بازرگانی", None), Some("DI-7"));
        assert_eq!(index.resolve("نام", None), None);
        assert_eq!(index.resolve("نام", Some("DI-404")), None);
    }
}
