//! Disabling and enabling a member (admins only): `MemberDisabled` and `MemberEnabled` on
//! the member's stream, with the acting admin in their metadata. A disabled member's tokens
//! are refused (every node within [`SESSION_TTL`](super::SESSION_TTL), this one at once) and
//! so are its browser sessions, which check [`Engine::member_is_active`]. Its tokens are not
//! revoked, so enabling it again lets them back in. Its open tasks are left where they are,
//! with its agency, for the secretariat or a colleague to reassign.

use serde_json::json;

use crate::domain::{Actor, Member};
use crate::event_store::{AppendRequest, ExpectedVersion, NewEvent, StoreError};
use crate::side_writes::SideWrite;

use super::directory::{member_document, require_admin};
use super::{Engine, EngineError};

impl Engine {
    /// Disables a member; a member already disabled is left as it is.
    pub async fn disable_member(
        &self,
        actor: &Actor,
        member_id: &str,
    ) -> Result<Member, EngineError> {
        require_admin(actor)?;
        if actor.member_id == member_id {
            return Err(EngineError::Invalid(
                "an admin cannot disable itself; another admin can".into(),
            ));
        }
        let member = self.set_disabled(actor, member_id, true).await?;
        // After the event is durable, so no request in between can put a session back.
        self.forget_sessions(|session| session.member.id == member_id);
        Ok(member)
    }

    /// Enables a disabled member again; a member not disabled is left as it is.
    pub async fn enable_member(
        &self,
        actor: &Actor,
        member_id: &str,
    ) -> Result<Member, EngineError> {
        require_admin(actor)?;
        self.set_disabled(actor, member_id, false).await
    }

    async fn set_disabled(
        &self,
        actor: &Actor,
        member_id: &str,
        disabled: bool,
    ) -> Result<Member, EngineError> {
        let member = self
            .member(member_id)
            .await?
            .ok_or_else(|| EngineError::NotFound(format!("no member {member_id}")))?;
        if member.disabled == disabled {
            return Ok(member);
        }
        let event_type = if disabled {
            "MemberDisabled"
        } else {
            "MemberEnabled"
        };
        let next = Member {
            disabled,
            version: member.version + 1,
            ..member
        };
        let request = AppendRequest::new(
            format!("member-{member_id}"),
            ExpectedVersion::Exact(member.version),
            vec![NewEvent::new(event_type, json!({"member_id": member_id}))],
        )
        .with_metadata(self.metadata(actor))
        .with_side_writes(vec![SideWrite::Document(member_document(&next))]);
        match self.store.append(request).await {
            Ok(_) => {
                self.directory_changed();
                Ok(next)
            }
            Err(StoreError::VersionConflict { .. }) => Err(EngineError::Conflict(format!(
                "member {member_id} changed meanwhile; read it again and retry"
            ))),
            Err(e) => Err(e.into()),
        }
    }
}
