//! Periodic upkeep of what the HTTP layer keeps: rate-limit keys whose allowance is full
//! again are forgotten, and idempotency answers past their lifetime are purged. It touches
//! nothing derived from the log.

use std::time::Duration;

use tokio::sync::watch;

use super::AppState;

/// How often the rate limiters drop idle keys: often enough that addresses sprayed by one
/// client are held for seconds, not for the life of the process.
const FORGET_IDLE_EVERY: Duration = Duration::from_secs(10);

/// The longest wait between purges; a shorter lifetime purges as often as it expires.
const PURGE_AT_MOST_EVERY: Duration = Duration::from_secs(300);

pub async fn run(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let mut forget = tokio::time::interval(FORGET_IDLE_EVERY);
    let every = state
        .idempotency
        .ttl()
        .clamp(Duration::from_secs(1), PURGE_AT_MOST_EVERY);
    let mut purge = tokio::time::interval(every);
    loop {
        tokio::select! {
            _ = forget.tick() => {
                state.auth_failures.forget_idle();
                state.write_limits.forget_idle();
            }
            _ = purge.tick() => purge_expired(&state).await,
            _ = shutdown.changed() => return,
        }
    }
}

async fn purge_expired(state: &AppState) {
    match state
        .idempotency
        .purge_expired(state.engine.clock.now())
        .await
    {
        Ok(0) => {}
        Ok(purged) => tracing::info!(purged, "purged expired idempotency answers"),
        Err(error) => tracing::warn!(%error, "purging expired idempotency answers failed"),
    }
}
