//! Changing a member's roles, locale and supervisor (admins only): `MemberChanged` on the
//! member's stream, carrying the three fields' values after the change, with the acting
//! admin in its metadata. A change that changes nothing appends nothing. The member's
//! remembered token sessions are forgotten at once, so a role taken away is taken away at
//! its next request (on other nodes within [`SESSION_TTL`](super::SESSION_TTL)).

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::json;

use crate::domain::{Actor, Member, Role};
use crate::event_store::{AppendRequest, ExpectedVersion, NewEvent, StoreError};
use crate::side_writes::SideWrite;

use super::directory::{member_document, require_admin};
use super::{Engine, EngineError};

/// What an admin changes; a field left out stays as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberChange {
    #[serde(default)]
    pub roles: Option<Vec<String>>,
    /// `fa` or `en`.
    #[serde(default)]
    pub locale: Option<String>,
    /// Another member's id; `null` removes the supervisor.
    #[serde(default, deserialize_with = "present")]
    #[schemars(with = "Option<String>")]
    pub supervisor_id: Option<Option<String>>,
}

/// A field sent, even as `null`, is `Some` (so `null` can mean "remove").
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// A `MemberChanged` event's data: the changed fields' values afterwards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MemberChanged {
    pub member_id: String,
    pub roles: Vec<Role>,
    pub locale: String,
    pub supervisor_id: Option<String>,
}

impl MemberChanged {
    /// The member after this event, at stream version `version`.
    pub(crate) fn apply(&self, member: &mut Member, version: i64) {
        member.roles.clone_from(&self.roles);
        member.locale.clone_from(&self.locale);
        member.supervisor_id.clone_from(&self.supervisor_id);
        member.version = version;
    }
}

/// Roles by name, each once, at least one.
pub(crate) fn parse_roles(names: &[String]) -> Result<Vec<Role>, EngineError> {
    let mut roles = Vec::new();
    for name in names {
        let role = Role::parse(name).ok_or_else(|| {
            EngineError::Invalid(format!(
                "unknown role {name:?}; roles are admin, secretariat, member, auditor"
            ))
        })?;
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    if roles.is_empty() {
        return Err(EngineError::Invalid(
            "a member needs at least one role".into(),
        ));
    }
    Ok(roles)
}

pub(crate) fn check_locale(locale: &str) -> Result<(), EngineError> {
    if locale == "fa" || locale == "en" {
        Ok(())
    } else {
        Err(EngineError::Invalid(format!(
            "locale {locale:?} must be fa or en"
        )))
    }
}

impl Engine {
    /// Changes a member's roles, locale or supervisor. `expected_version`, when given, must
    /// be the member's current version (a page or an `If-Match` that saw an older one gets
    /// a conflict, and nothing is appended).
    pub async fn change_member(
        &self,
        actor: &Actor,
        member_id: &str,
        change: MemberChange,
        expected_version: Option<i64>,
    ) -> Result<Member, EngineError> {
        require_admin(actor)?;
        let member = self
            .member(member_id)
            .await?
            .ok_or_else(|| EngineError::NotFound(format!("no member {member_id}")))?;
        if let Some(expected) = expected_version
            && expected != member.version
        {
            return Err(changed_meanwhile(member_id));
        }
        let changed = self.checked_change(actor, &member, change).await?;
        let mut next = member.clone();
        changed.apply(&mut next, member.version + 1);
        if next.roles == member.roles
            && next.locale == member.locale
            && next.supervisor_id == member.supervisor_id
        {
            return Ok(member);
        }
        let request = AppendRequest::new(
            format!("member-{member_id}"),
            ExpectedVersion::Exact(member.version),
            vec![NewEvent::new("MemberChanged", json!(changed))],
        )
        .with_metadata(self.metadata(actor))
        .with_side_writes(vec![SideWrite::Document(member_document(&next))]);
        match self.store.append(request).await {
            Ok(_) => {
                self.directory_changed();
                // After the event is durable: the next request reads the member again.
                self.forget_sessions(|session| session.member.id == member_id);
                Ok(next)
            }
            Err(StoreError::VersionConflict { .. }) => Err(changed_meanwhile(member_id)),
            Err(e) => Err(e.into()),
        }
    }

    /// The event a change would record, or why it is refused.
    async fn checked_change(
        &self,
        actor: &Actor,
        member: &Member,
        change: MemberChange,
    ) -> Result<MemberChanged, EngineError> {
        let roles = match change.roles {
            Some(names) => parse_roles(&names)?,
            None => member.roles.clone(),
        };
        if actor.member_id == member.id && !roles.contains(&Role::Admin) {
            return Err(EngineError::Invalid(
                "an admin cannot take away its own admin role; another admin can".into(),
            ));
        }
        let locale = change.locale.unwrap_or_else(|| member.locale.clone());
        check_locale(&locale)?;
        let supervisor_id = match change.supervisor_id {
            Some(Some(id)) if id.trim().is_empty() => None,
            Some(chosen) => chosen,
            None => member.supervisor_id.clone(),
        };
        if let Some(supervisor) = &supervisor_id
            && supervisor_id != member.supervisor_id
        {
            self.check_supervisor(&member.id, supervisor).await?;
        }
        Ok(MemberChanged {
            member_id: member.id.clone(),
            roles,
            locale,
            supervisor_id,
        })
    }

    /// A supervisor must be a registered member and must not report, directly or through
    /// others, to the member it would supervise.
    async fn check_supervisor(&self, member_id: &str, supervisor: &str) -> Result<(), EngineError> {
        let mut next = Some(supervisor.to_string());
        // Bounded, in case a chain recorded before this check loops already.
        for _ in 0..1000 {
            let Some(id) = next else { return Ok(()) };
            if id == member_id {
                return Err(EngineError::Invalid(format!(
                    "supervisor {supervisor:?} would make a cycle: {member_id} would supervise itself through them"
                )));
            }
            let found = self.member(&id).await?.ok_or_else(|| {
                EngineError::Invalid(format!(
                    "supervisor {supervisor:?} is not a registered member"
                ))
            })?;
            next = found.supervisor_id;
        }
        Ok(())
    }
}

fn changed_meanwhile(member_id: &str) -> EngineError {
    EngineError::Conflict(format!(
        "member {member_id} changed meanwhile; read it again and retry"
    ))
}
