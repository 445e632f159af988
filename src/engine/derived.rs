//! Values derived from a case as it stands — its reports — built outside the case's lock and
//! kept per case version. A read takes the lock only to bring the case up to date and either
//! find the value built for that version or copy the state out; the building happens after,
//! so a report of a large case never holds up the commands on it, and readers of an unchanged
//! case share one build.

use std::any::{Any, TypeId};
use std::sync::{Arc, Mutex};

use hashlink::LruCache;
use uuid::Uuid;

use super::{Engine, EngineError};
use crate::domain::CaseState;

/// Derived values kept; the least recently read goes first. Reports are read for the cases
/// people are looking at, a few dozen at a time.
const DERIVED_LIMIT: usize = 256;

type Value = Arc<dyn Any + Send + Sync>;

/// What a value was built from: the case version, and the version of whatever else it reads
/// (the catalogue of data items, for a matrix; 0 for a value of the case alone).
type Built = (i64, u64);

/// The newest value of each type built for a case, with the case version it was built from.
pub(crate) struct DerivedCache {
    entries: Mutex<LruCache<(Uuid, TypeId), (Built, Value)>>,
}

impl Default for DerivedCache {
    fn default() -> Self {
        Self::with_capacity(DERIVED_LIMIT)
    }
}

impl DerivedCache {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(LruCache::new(capacity)),
        }
    }

    /// The `T` built from version `version` of the case, if kept.
    pub(crate) fn get<T: Any + Send + Sync>(
        &self,
        case_id: Uuid,
        version: Built,
    ) -> Option<Arc<T>> {
        let mut entries = self.entries.lock().expect("derived cache lock");
        let (built_at, value) = entries.get(&(case_id, TypeId::of::<T>()))?;
        if *built_at != version {
            return None;
        }
        value.clone().downcast().ok()
    }

    /// Keeps `value`, unless a value built from a newer version is kept already (a slow
    /// build must not replace a fresher one).
    pub(crate) fn put<T: Any + Send + Sync>(&self, case_id: Uuid, version: Built, value: Arc<T>) {
        let mut entries = self.entries.lock().expect("derived cache lock");
        let key = (case_id, TypeId::of::<T>());
        if entries.get(&key).is_some_and(|(kept, _)| *kept > version) {
            return;
        }
        entries.insert(key, (version, value));
    }
}

/// What a read under the case's lock found: the value kept for the case's version, or a
/// copy of the case to build it from once the lock is let go.
enum Found<T> {
    Kept(Arc<T>),
    ToBuild(Box<CaseState>),
}

impl Engine {
    /// `build` of the case as it stands now, or `None` when there is no such case. The value
    /// is kept for the case's version and served again until the case changes; values are
    /// told apart by their type, so give each derived value a type of its own. `build` runs
    /// without the case's lock: commands on the case go on meanwhile.
    pub async fn derive<T: Any + Send + Sync>(
        &self,
        case_id: Uuid,
        build: impl FnOnce(&CaseState) -> T,
    ) -> Result<Option<Arc<T>>, EngineError> {
        self.derive_with(case_id, 0, build).await
    }

    /// [`Engine::derive`] of a value that reads something besides the case, at version
    /// `other`: kept per (case version, `other`).
    pub async fn derive_with<T: Any + Send + Sync>(
        &self,
        case_id: Uuid,
        other: u64,
        build: impl FnOnce(&CaseState) -> T,
    ) -> Result<Option<Arc<T>>, EngineError> {
        let found = self
            .with_case(case_id, |state| {
                match self.derived.get::<T>(case_id, (state.version, other)) {
                    Some(kept) => Found::Kept(kept),
                    None => Found::ToBuild(Box::new(state.clone())),
                }
            })
            .await?;
        let state = match found {
            None => return Ok(None),
            Some(Found::Kept(kept)) => return Ok(Some(kept)),
            Some(Found::ToBuild(state)) => state,
        };
        let value = Arc::new(build(&state));
        self.derived
            .put(case_id, (state.version, other), value.clone());
        Ok(Some(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_served_for_the_version_it_was_built_from() {
        let cache = DerivedCache::with_capacity(4);
        let case = Uuid::now_v7();
        cache.put(case, (3, 0), Arc::new("board at 3".to_string()));
        assert_eq!(
            cache
                .get::<String>(case, (3, 0))
                .as_deref()
                .map(String::as_str),
            Some("board at 3")
        );
        assert!(
            cache.get::<String>(case, (4, 0)).is_none(),
            "the case moved on"
        );
        assert!(
            cache.get::<u32>(case, (3, 0)).is_none(),
            "another kind of value"
        );
    }

    #[test]
    fn a_value_that_reads_the_catalogue_is_built_again_when_the_catalogue_changes() {
        let cache = DerivedCache::with_capacity(4);
        let case = Uuid::now_v7();
        cache.put(case, (3, 7), Arc::new(1_u16));
        assert!(cache.get::<u16>(case, (3, 7)).is_some());
        assert!(
            cache.get::<u16>(case, (3, 8)).is_none(),
            "the catalogue moved on"
        );
    }

    #[test]
    fn an_older_build_never_replaces_a_newer_one() {
        let cache = DerivedCache::with_capacity(4);
        let case = Uuid::now_v7();
        cache.put(case, (5, 0), Arc::new(5_i64));
        cache.put(case, (4, 0), Arc::new(4_i64));
        assert_eq!(cache.get::<i64>(case, (5, 0)).as_deref(), Some(&5));
        cache.put(case, (6, 0), Arc::new(6_i64));
        assert_eq!(cache.get::<i64>(case, (6, 0)).as_deref(), Some(&6));
    }

    #[test]
    fn the_cache_keeps_at_most_its_capacity_dropping_the_least_recently_read() {
        let cache = DerivedCache::with_capacity(2);
        let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        cache.put(a, (1, 0), Arc::new(1_u8));
        cache.put(b, (1, 0), Arc::new(2_u8));
        assert!(cache.get::<u8>(a, (1, 0)).is_some());
        cache.put(c, (1, 0), Arc::new(3_u8));
        assert!(
            cache.get::<u8>(b, (1, 0)).is_none(),
            "b was read least recently"
        );
        assert!(cache.get::<u8>(a, (1, 0)).is_some());
        assert!(cache.get::<u8>(c, (1, 0)).is_some());
    }
}
