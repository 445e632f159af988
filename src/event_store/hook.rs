//! What an append writes beside its events, seen from the store: an opaque payload and the
//! hook that writes it. The store must not know the tables above it (documents, timers,
//! e-mails …), yet those rows must commit or roll back with the events that imply them; so
//! the module above hands the store a [`SideWriteHook`] when it opens it, and the store calls
//! it inside each batch's transaction with the payloads of the appends it wrote.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use sqlx::Transaction;

use super::StoreError;

/// An append's side writes, opaque to the store: built by [`SideWrites::new`] from whatever
/// the hook above expects, and read back by that hook with [`SideWrites::get`].
#[derive(Clone, Default)]
pub struct SideWrites(Option<Arc<dyn Any + Send + Sync>>);

impl SideWrites {
    pub fn new<T: Any + Send + Sync>(writes: T) -> Self {
        Self(Some(Arc::new(writes)))
    }

    /// The payload, if it is a `T`.
    pub fn get<T: Any>(&self) -> Option<&T> {
        self.0.as_deref().and_then(|any| any.downcast_ref())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }
}

impl fmt::Debug for SideWrites {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.is_empty() {
            "SideWrites(none)"
        } else {
            "SideWrites(..)"
        })
    }
}

/// Writes the side writes of a batch's written appends (in append order, duplicates and
/// refused appends left out) inside the batch's transaction on backend `DB`; an error rolls
/// the whole batch back.
#[async_trait]
pub trait SideWriteHook<DB: sqlx::Database>: Send + Sync + 'static {
    async fn write(
        &self,
        tx: &mut Transaction<'static, DB>,
        batch: &[&SideWrites],
    ) -> Result<(), StoreError>;
}

/// A store opened without a hook: appends carrying side writes are refused rather than
/// losing them.
pub(crate) struct NoSideWrites;

#[async_trait]
impl<DB: sqlx::Database> SideWriteHook<DB> for NoSideWrites {
    async fn write(
        &self,
        _tx: &mut Transaction<'static, DB>,
        batch: &[&SideWrites],
    ) -> Result<(), StoreError> {
        if batch.iter().all(|writes| writes.is_empty()) {
            return Ok(());
        }
        Err(StoreError::InvalidAppend(
            "this event store was opened without a side-write hook".into(),
        ))
    }
}
