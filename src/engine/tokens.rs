//! Bearer tokens: 32 random bytes shown once. Issuing and revoking are events (`token-ID`
//! streams, with the acting admin in their metadata) that name a token by its id only, so an
//! auditor sees who could act when without reading anything a token is checked against. The
//! token's SHA-256 goes to the `credentials` table in the same transaction
//! ([`crate::credentials`]), and the token itself nowhere.
//!
//! `TokenIssued` at version 1 (before the credentials table) carried `token_sha256`; such
//! events are read as they are (never rewritten) and a rebuild copies their hash into the
//! table. Version 2 carries `expires_at` instead.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::credentials::Credential;
use crate::documents::{Document, DocumentQuery};
use crate::domain::{Actor, DomainError, Member, Role};
use crate::event_store::{AppendRequest, ExpectedVersion, NewEvent};
use crate::side_writes::SideWrite;

use super::{Engine, EngineError};

/// The `token` read model: one document per token id, from `TokenIssued` (version 1) and
/// `TokenRevoked` (version 2); live and in a rebuild.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TokenDoc {
    pub token_id: Uuid,
    pub member_id: String,
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked: bool,
}

impl TokenDoc {
    pub(crate) fn document(&self) -> Document {
        let version = if self.revoked { 2 } else { 1 };
        Document::new("token", self.token_id.to_string(), version, self)
    }

    /// Whether the token lets its member in at `now` (the member may still be disabled).
    pub(crate) fn admits_at(&self, now: DateTime<Utc>) -> bool {
        !self.revoked && self.expires_at.is_none_or(|at| now < at)
    }
}

/// A `TokenIssued` event's data, either version.
#[derive(Debug, Deserialize)]
pub(crate) struct TokenIssued {
    pub token_id: Uuid,
    pub member_id: String,
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    /// Only in version 1.
    #[serde(default)]
    pub token_sha256: Option<String>,
}

impl TokenIssued {
    pub(crate) fn document(&self) -> TokenDoc {
        TokenDoc {
            token_id: self.token_id,
            member_id: self.member_id.clone(),
            expires_at: self.expires_at,
            revoked: false,
        }
    }

    /// The credential a version-1 event carries.
    pub(crate) fn credential(&self) -> Option<Credential> {
        Some(Credential {
            token_sha256: self.token_sha256.clone()?,
            token_id: self.token_id,
            member_id: self.member_id.clone(),
        })
    }
}

/// One token as an admin sees it: never the token, nor its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct TokenInfo {
    pub token_id: Uuid,
    pub member_id: String,
    pub issued_at: DateTime<Utc>,
    pub issued_by: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<String>,
    /// To the minute: a use is recorded at most once a minute per token and node.
    pub last_used_at: Option<DateTime<Utc>>,
}

/// The hex SHA-256 of a token: what is stored and looked up.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> Result<String, EngineError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| EngineError::Internal(anyhow::anyhow!("no randomness: {e}")))?;
    Ok(format!("dft_{}", hex::encode(bytes)))
}

fn require_admin(actor: &Actor, what: &str) -> Result<(), EngineError> {
    if actor.has(Role::Admin) {
        Ok(())
    } else {
        Err(DomainError::Forbidden(format!("only an admin {what}")).into())
    }
}

impl Engine {
    /// Issues a token for a member, valid until `expires_at` if given (admins only; the CLI
    /// passes `Actor::system()`). Returns its id and the token, which is shown only now.
    pub async fn issue_token(
        &self,
        actor: &Actor,
        member_id: &str,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<(Uuid, String), EngineError> {
        require_admin(actor, "issues tokens")?;
        let member = self
            .member(member_id)
            .await?
            .ok_or_else(|| EngineError::NotFound(format!("no member {member_id}")))?;
        if member.disabled {
            return Err(EngineError::Conflict(format!(
                "member {member_id} is disabled; enable it before issuing a token"
            )));
        }
        if let Some(at) = expires_at
            && at <= self.clock.now()
        {
            return Err(EngineError::Invalid(format!(
                "expires_at {} is not in the future",
                at.to_rfc3339()
            )));
        }
        let token = new_token()?;
        let token_id = Uuid::now_v7();
        self.record_token(actor, token_id, member_id, &token_hash(&token), expires_at)
            .await?;
        Ok((token_id, token))
    }

    async fn record_token(
        &self,
        actor: &Actor,
        token_id: Uuid,
        member_id: &str,
        hash: &str,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<(), EngineError> {
        let doc = TokenDoc {
            token_id,
            member_id: member_id.to_string(),
            expires_at,
            revoked: false,
        };
        let mut event = NewEvent::new(
            "TokenIssued",
            json!({"token_id": token_id, "member_id": member_id, "expires_at": expires_at}),
        );
        event.event_version = 2;
        let credential = Credential {
            token_sha256: hash.to_string(),
            token_id,
            member_id: member_id.to_string(),
        };
        let request = AppendRequest::new(
            format!("token-{token_id}"),
            ExpectedVersion::NoStream,
            vec![event],
        )
        .with_metadata(self.metadata(actor))
        .with_side_writes(vec![
            SideWrite::Document(doc.document()),
            SideWrite::Credential(credential),
        ]);
        self.store.append(request).await?;
        Ok(())
    }

    pub async fn revoke_token(&self, actor: &Actor, token_id: Uuid) -> Result<(), EngineError> {
        require_admin(actor, "revokes tokens")?;
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
        let issued = TokenIssued::deserialize(&issued.data)
            .map_err(|e| EngineError::Internal(anyhow::anyhow!("TokenIssued: {e}")))?;
        let doc = TokenDoc {
            revoked: true,
            ..issued.document()
        };
        let request = AppendRequest::new(
            format!("token-{token_id}"),
            ExpectedVersion::Exact(events.len() as i64),
            vec![NewEvent::new("TokenRevoked", json!({"token_id": token_id}))],
        )
        .with_metadata(self.metadata(actor))
        .with_side_writes(vec![SideWrite::Document(doc.document())]);
        self.store.append(request).await?;
        // Forget it here at once (after the revocation is durable, so no request in between
        // can put it back); other nodes forget it within SESSION_TTL.
        self.forget_sessions(|session| session.token_id == token_id);
        Ok(())
    }

    /// Every token issued to a member, oldest first (admins only).
    pub async fn member_tokens(
        &self,
        actor: &Actor,
        member_id: &str,
    ) -> Result<Vec<TokenInfo>, EngineError> {
        require_admin(actor, "lists tokens")?;
        if self.member(member_id).await?.is_none() {
            return Err(EngineError::NotFound(format!("no member {member_id}")));
        }
        let last_used = self.credentials.last_used(member_id).await?;
        let mut tokens = Vec::new();
        let mut query = DocumentQuery {
            limit: 1000,
            ..Default::default()
        };
        // Tokens are few (one or two per member): the read model is scanned, not indexed.
        loop {
            let page = self.documents.list("token", &query).await?;
            let Some((last, _)) = page.last() else { break };
            query.after = Some(last.clone());
            for (_, doc) in page {
                let doc: TokenDoc = serde_json::from_str(&doc)
                    .map_err(|e| EngineError::Internal(anyhow::anyhow!("token document: {e}")))?;
                if doc.member_id == member_id {
                    let used = last_used.get(&doc.token_id).copied();
                    tokens.push(self.token_info(doc, used).await?);
                }
            }
        }
        tokens.sort_by_key(|t| (t.issued_at, t.token_id));
        Ok(tokens)
    }

    /// A token's document with the times and actors of its events.
    async fn token_info(
        &self,
        doc: TokenDoc,
        last_used_us: Option<i64>,
    ) -> Result<TokenInfo, EngineError> {
        let events = self
            .store
            .read_stream(&format!("token-{}", doc.token_id), 1)
            .await?;
        let of = |event_type: &str| events.iter().find(|e| e.event_type == event_type);
        let issued = of("TokenIssued");
        let revoked = of("TokenRevoked");
        Ok(TokenInfo {
            token_id: doc.token_id,
            member_id: doc.member_id,
            issued_at: issued.map(|e| e.recorded_at).unwrap_or_default(),
            issued_by: issued.and_then(|e| e.metadata.actor.clone()),
            expires_at: doc.expires_at,
            revoked_at: revoked.map(|e| e.recorded_at),
            revoked_by: revoked.and_then(|e| e.metadata.actor.clone()),
            last_used_at: last_used_us.and_then(DateTime::from_timestamp_micros),
        })
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
            disabled: false,
            version: 1,
        };
        match self.store_member(&Actor::system(), &admin).await {
            Ok(()) => {}
            // Several nodes started together on an empty database: one of them wins.
            Err(EngineError::Conflict(_)) => return Ok(false),
            Err(error) => return Err(error),
        }
        // A fixed id, not one derived from the token: an operator's token may be guessable,
        // and an id computed from it would let anyone reading the log test guesses offline.
        let token_id = crate::domain::derive_id(Uuid::nil(), &["bootstrap-token"]);
        self.record_token(
            &Actor::system(),
            token_id,
            "admin",
            &token_hash(token),
            None,
        )
        .await?;
        tracing::info!("bootstrap: created member admin");
        Ok(true)
    }
}
