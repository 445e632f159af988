//! Who a bearer token stands for, answered per request. A token seen in the last
//! [`SESSION_TTL`] is answered from this node's memory; otherwise its hash is looked up in the
//! credentials table, its `token` document (revoked? expired?) and its member (disabled?)
//! are read, and the answer is remembered. Revoking a token or disabling a member forgets
//! the node's own memory at once, so the time until every node refuses is SESSION_TTL
//! (SECURITY.md states it). Expiry is checked on every request, cached or not.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::tokens::{TokenDoc, token_hash};
use super::{Engine, EngineError};
use crate::domain::Member;

/// How long an authenticated token is trusted without looking it up again: the most time
/// another node may still accept a token after it is revoked or its member disabled.
pub const SESSION_TTL: std::time::Duration = std::time::Duration::from_secs(5);

/// A use is written to the credentials table at most this often per token and node.
const LAST_USED_GRAIN_US: i64 = 60_000_000;

/// One authenticated token, remembered by its hash.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    at: std::time::Instant,
    pub token_id: Uuid,
    pub member: Member,
    expires_at: Option<DateTime<Utc>>,
}

impl Engine {
    /// The member a bearer token stands for, if the token is known, not revoked, not expired
    /// and its member not disabled.
    pub async fn authenticate(&self, token: &str) -> Result<Option<Member>, EngineError> {
        self.authenticate_hash(token_hash(token)).await
    }

    /// [`Engine::authenticate`] for a token known by its hash (a web session opened with
    /// the token keeps only the hash, and asks again at every request).
    pub async fn authenticate_hash(&self, hash: String) -> Result<Option<Member>, EngineError> {
        let now = self.clock.now();
        let cached = self
            .sessions
            .lock()
            .expect("sessions lock")
            .get(&hash)
            .cloned();
        if let Some(session) = cached
            && session.at.elapsed() < SESSION_TTL
        {
            let live = session.expires_at.is_none_or(|at| now < at);
            return Ok(live.then_some(session.member));
        }
        let Some(found) = self.credentials.find(&hash).await? else {
            return Ok(None);
        };
        let Some(doc) = self
            .documents
            .get("token", &found.token_id.to_string())
            .await?
        else {
            return Ok(None);
        };
        let doc: TokenDoc = serde_json::from_str(&doc)
            .map_err(|e| EngineError::Internal(anyhow::anyhow!("token document: {e}")))?;
        if !doc.admits_at(now) {
            return Ok(None);
        }
        let Some(member) = self.member(&doc.member_id).await?.filter(|m| !m.disabled) else {
            return Ok(None);
        };
        let now_us = now.timestamp_micros();
        if found
            .last_used_us
            .is_none_or(|at| now_us - at >= LAST_USED_GRAIN_US)
            && self.takes_token_use(&hash, now_us)
            && let Err(error) = self.credentials.touch(&hash, now_us).await
        {
            // Knowing when a token was last used is worth less than answering the request;
            // the next request tries again.
            self.token_uses
                .lock()
                .expect("token uses lock")
                .remove(&hash);
            tracing::warn!(error = %error, token_id = %doc.token_id, "could not record a token's use");
        }
        let session = Session {
            at: std::time::Instant::now(),
            token_id: doc.token_id,
            member: member.clone(),
            expires_at: doc.expires_at,
        };
        let mut sessions = self.sessions.lock().expect("sessions lock");
        if sessions.len() >= super::CACHE_LIMIT {
            sessions.clear();
        }
        sessions.insert(hash, session);
        Ok(Some(member))
    }

    /// Whether this request is the one to record the token's use: the first on this node
    /// since [`LAST_USED_GRAIN_US`]. The requests that arrive together with a token no node
    /// holds (every client at once, after a restart) would otherwise each record it, each a
    /// write of its own.
    fn takes_token_use(&self, hash: &str, now_us: i64) -> bool {
        takes_use(
            &mut self.token_uses.lock().expect("token uses lock"),
            hash,
            now_us,
        )
    }

    /// Whether a member exists and is not disabled, read from the database (not cached):
    /// what a browser session checks on each request.
    pub async fn member_is_active(&self, member_id: &str) -> Result<bool, EngineError> {
        Ok(self
            .member(member_id)
            .await?
            .is_some_and(|member| !member.disabled))
    }

    /// Forgets this node's remembered sessions that `matches` picks.
    pub(crate) fn forget_sessions(&self, matches: impl Fn(&Session) -> bool) {
        self.sessions
            .lock()
            .expect("sessions lock")
            .retain(|_, session| !matches(session));
    }
}

/// [`Engine::takes_token_use`] over the node's record of uses.
fn takes_use(uses: &mut HashMap<String, i64>, hash: &str, now_us: i64) -> bool {
    if uses
        .get(hash)
        .is_some_and(|&at| now_us - at < LAST_USED_GRAIN_US)
    {
        return false;
    }
    if uses.len() >= super::CACHE_LIMIT {
        uses.clear();
    }
    uses.insert(hash.to_string(), now_us);
    true
}

#[cfg(test)]
mod token_use_tests {
    use super::*;

    #[test]
    fn one_request_per_grain_records_a_tokens_use() {
        let mut uses = HashMap::new();
        assert!(takes_use(&mut uses, "a", 1_000));
        assert!(
            !takes_use(&mut uses, "a", 1_001),
            "a second request at once"
        );
        assert!(takes_use(&mut uses, "b", 1_001), "another token");
        assert!(!takes_use(&mut uses, "a", 1_000 + LAST_USED_GRAIN_US - 1));
        assert!(takes_use(&mut uses, "a", 1_000 + LAST_USED_GRAIN_US));
    }
}
