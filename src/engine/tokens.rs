//! Bearer tokens: 32 random bytes shown once, stored only as their SHA-256. Issuing and
//! revoking are events (`token-ID` streams) so an auditor sees who could act when; the
//! token itself never reaches the log or the database.

use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::documents::{Document, SideWrite};
use crate::domain::{Actor, DomainError, Role};
use crate::event_store::{AppendRequest, ExpectedVersion, NewEvent};

use super::directory::Member;
use super::{Engine, EngineError};

#[derive(Debug, Clone, Serialize, Deserialize)]
struct TokenDoc {
    token_id: Uuid,
    member_id: String,
    revoked: bool,
}

/// The hex SHA-256 of a token: what is stored and looked up.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The `token` read model after `TokenIssued` (version 1) or `TokenRevoked` (version 2),
/// keyed by the token's hash; live and in a rebuild.
pub(crate) fn token_document(
    hash: &str,
    token_id: Uuid,
    member_id: &str,
    revoked: bool,
) -> Document {
    let doc = TokenDoc {
        token_id,
        member_id: member_id.to_string(),
        revoked,
    };
    Document::new("token", hash.to_string(), if revoked { 2 } else { 1 }, &doc)
}

/// How long an authenticated token is trusted without looking it up again.
const SESSION_TTL: std::time::Duration = std::time::Duration::from_secs(5);

fn new_token() -> Result<String, EngineError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| EngineError::Internal(anyhow::anyhow!("no randomness: {e}")))?;
    Ok(format!("dft_{}", hex::encode(bytes)))
}

impl Engine {
    /// Issues a token for a member (admins only; the CLI passes `Actor::system()`).
    pub async fn issue_token(
        &self,
        actor: &Actor,
        member_id: &str,
    ) -> Result<(Uuid, String), EngineError> {
        if !actor.has(Role::Admin) {
            return Err(DomainError::Forbidden("only an admin issues tokens".into()).into());
        }
        if self.member(member_id).await?.is_none() {
            return Err(EngineError::NotFound(format!("no member {member_id}")));
        }
        let token = new_token()?;
        let token_id = Uuid::now_v7();
        self.record_token(actor, token_id, member_id, &token_hash(&token))
            .await?;
        Ok((token_id, token))
    }

    async fn record_token(
        &self,
        actor: &Actor,
        token_id: Uuid,
        member_id: &str,
        hash: &str,
    ) -> Result<(), EngineError> {
        let doc = token_document(hash, token_id, member_id, false);
        let event = NewEvent::new(
            "TokenIssued",
            json!({"token_id": token_id, "member_id": member_id, "token_sha256": hash}),
        );
        let request = AppendRequest::new(
            format!("token-{token_id}"),
            ExpectedVersion::NoStream,
            vec![event],
        )
        .with_metadata(self.metadata(actor))
        .with_side_writes(vec![SideWrite::Document(doc)]);
        self.store.append(request).await?;
        Ok(())
    }

    pub async fn revoke_token(&self, actor: &Actor, token_id: Uuid) -> Result<(), EngineError> {
        if !actor.has(Role::Admin) {
            return Err(DomainError::Forbidden("only an admin revokes tokens".into()).into());
        }
        let events = self
            .store
            .read_stream(&format!("token-{token_id}"), 1)
            .await?;
        let issued = events
            .first()
            .ok_or_else(|| EngineError::NotFound(format!("no token {token_id}")))?;
        if events.iter().any(|e| e.event_type == "TokenRevoked") {
            return Ok(());
        }
        let hash = issued.data["token_sha256"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let member_id = issued.data["member_id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let doc = token_document(&hash, token_id, &member_id, true);
        let request = AppendRequest::new(
            format!("token-{token_id}"),
            ExpectedVersion::Exact(events.len() as i64),
            vec![NewEvent::new("TokenRevoked", json!({"token_id": token_id}))],
        )
        .with_metadata(self.metadata(actor))
        .with_side_writes(vec![SideWrite::Document(doc)]);
        self.store.append(request).await?;
        // Forget it here at once (after the revocation is durable, so no request in between
        // can put it back); other nodes forget it within SESSION_TTL.
        self.sessions.lock().expect("sessions lock").remove(
            &issued.data["token_sha256"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        );
        Ok(())
    }

    /// The member a bearer token stands for, if it is known and not revoked.
    ///
    /// A token seen in the last few seconds is answered from memory. Revoking on this node
    /// takes effect at once; another node notices within `SESSION_TTL`.
    pub async fn authenticate(&self, token: &str) -> Result<Option<Member>, EngineError> {
        self.authenticate_hash(token_hash(token)).await
    }

    /// [`Engine::authenticate`] for a token known by its hash (a web session opened with
    /// the token keeps only the hash, and asks again at every request).
    pub async fn authenticate_hash(&self, hash: String) -> Result<Option<Member>, EngineError> {
        if let Some((at, member)) = self.sessions.lock().expect("sessions lock").get(&hash)
            && at.elapsed() < SESSION_TTL
        {
            return Ok(Some(member.clone()));
        }
        let Some(doc) = self.documents.get("token", &hash).await? else {
            return Ok(None);
        };
        let doc: TokenDoc =
            serde_json::from_str(&doc).map_err(|e| EngineError::Internal(e.into()))?;
        if doc.revoked {
            return Ok(None);
        }
        let member = self.member(&doc.member_id).await?;
        if let Some(member) = &member {
            let mut sessions = self.sessions.lock().expect("sessions lock");
            if sessions.len() >= super::CACHE_LIMIT {
                sessions.clear();
            }
            sessions.insert(hash, (std::time::Instant::now(), member.clone()));
        }
        Ok(member)
    }

    /// On a database with no `admin` member: creates it, with `token` as its token.
    pub async fn bootstrap(&self, token: &str) -> Result<bool, EngineError> {
        if token.trim().len() < 16 {
            return Err(EngineError::Invalid(
                "DAFTAR_BOOTSTRAP_TOKEN must be at least 16 characters".into(),
            ));
        }
        if self.member("admin").await?.is_some() {
            return Ok(false);
        }
        let admin = Member {
            id: "admin".into(),
            name: "Administrator".into(),
            email: "admin@localhost.invalid".into(),
            agency: None,
            roles: vec![Role::Admin],
            supervisor_id: None,
            locale: "en".into(),
            version: 1,
        };
        match self.store_member(&Actor::system(), &admin).await {
            Ok(()) => {}
            // Several nodes started together on an empty database: one of them wins.
            Err(EngineError::Conflict(_)) => return Ok(false),
            Err(error) => return Err(error),
        }
        let hash = token_hash(token);
        // Derived from the token's hash, so a node that retries this after a crash between
        // the two appends records the same token once.
        let token_id = crate::domain::derive_id(Uuid::nil(), &["bootstrap-token", &hash]);
        self.record_token(&Actor::system(), token_id, "admin", &hash)
            .await?;
        tracing::info!("bootstrap: created member admin");
        Ok(true)
    }
}
