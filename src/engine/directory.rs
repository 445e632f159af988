//! Agencies and members: administrator-managed facts, event-sourced like everything else
//! (`agency-CODE`, `member-ID` streams) with their read models as documents.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::documents::{Document, DocumentQuery};
use crate::domain::{Actor, Member, MemberRef, Role};
use crate::event_store::{AppendRequest, ExpectedVersion, NewEvent, StoreError};
use crate::side_writes::SideWrite;

use super::{Engine, EngineError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgencyInput {
    pub code: String,
    pub name_fa: String,
    #[serde(default)]
    pub name_en: Option<String>,
    #[serde(default)]
    pub cluster: Option<String>,
    /// A member agency of the cluster, or an outside provider of data (the Social Security
    /// Organisation, the judiciary …) that needs may name but that receives no tasks. An
    /// agency registered before the distinction has no such field and reads as a member.
    #[serde(default = "cluster_member")]
    pub in_cluster: bool,
}

fn cluster_member() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberInput {
    #[serde(default)]
    pub id: Option<String>,
    pub name: String,
    pub email: String,
    pub agency: String,
    pub roles: Vec<String>,
    #[serde(default)]
    pub supervisor_id: Option<String>,
    #[serde(default)]
    pub locale: Option<String>,
}

pub fn valid_agency_code(code: &str) -> bool {
    (2..=16).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_uppercase())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// An agency's Persian name: 1 to 300 characters, not only spaces.
pub fn valid_agency_name(name: &str) -> bool {
    !name.trim().is_empty() && name.chars().count() <= 300
}

fn valid_member_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// A deliberately plain check: one `@`, something on each side, a dot in the domain, no
/// spaces or control characters. Deliverability is the mail server's call.
pub fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= 254
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && email
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && c != '<' && c != '>' && c != ',')
}

/// The `agency` read model of an `AgencyRegistered` event (live and in a rebuild).
pub(crate) fn agency_document(input: &AgencyInput) -> Document {
    Document::new("agency", input.code.clone(), 1, input)
}

/// The `member` read model after `MemberRegistered`, `MemberDisabled`, `MemberEnabled` or
/// `MemberChanged`
/// (live and in a rebuild), at the member's stream version.
pub(crate) fn member_document(member: &Member) -> Document {
    let mut doc = Document::new("member", member.id.clone(), member.version, member);
    doc.agency.clone_from(&member.agency);
    doc
}

/// A `MemberRegistered` event's data: the member as registered, in the shape it has always
/// had (`disabled` is a later state, told by its own events).
fn registered_event(member: &Member) -> serde_json::Value {
    let mut data = json!(member);
    if let Some(fields) = data.as_object_mut() {
        fields.remove("disabled");
    }
    data
}

pub(crate) fn require_admin(actor: &Actor) -> Result<(), EngineError> {
    if actor.has(Role::Admin) {
        Ok(())
    } else {
        Err(crate::domain::DomainError::Forbidden(
            "only an admin manages agencies and members".into(),
        )
        .into())
    }
}

impl Engine {
    pub async fn register_agency(
        &self,
        actor: &Actor,
        input: AgencyInput,
    ) -> Result<AgencyInput, EngineError> {
        require_admin(actor)?;
        if !valid_agency_code(&input.code) {
            return Err(EngineError::Invalid(format!(
                "agency code {:?} must be 2-16 characters of A-Z, 0-9 and _ starting with a letter",
                input.code
            )));
        }
        if !valid_agency_name(&input.name_fa) {
            return Err(EngineError::Invalid(
                "name_fa must be 1 to 300 characters".into(),
            ));
        }
        let doc = agency_document(&input);
        let request = AppendRequest::new(
            format!("agency-{}", input.code),
            ExpectedVersion::NoStream,
            vec![NewEvent::new("AgencyRegistered", json!(input))],
        )
        .with_metadata(self.metadata(actor))
        .with_side_writes(vec![SideWrite::Document(doc)]);
        match self.store.append(request).await {
            Ok(_) => {
                self.agency_names_changed();
                Ok(input)
            }
            Err(StoreError::VersionConflict { .. }) => Err(EngineError::Conflict(format!(
                "agency {} already exists",
                input.code
            ))),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn agency(&self, code: &str) -> Result<Option<AgencyInput>, EngineError> {
        let doc = self.documents.get("agency", code).await?;
        Ok(doc.and_then(|d| serde_json::from_str(&d).ok()))
    }

    pub async fn agencies(&self) -> Result<Vec<AgencyInput>, EngineError> {
        let all = self
            .documents
            .list(
                "agency",
                &DocumentQuery {
                    limit: 10_000,
                    ..Default::default()
                },
            )
            .await?;
        Ok(all
            .into_iter()
            .filter_map(|(_, d)| serde_json::from_str(&d).ok())
            .collect())
    }

    pub async fn register_member(
        &self,
        actor: &Actor,
        input: MemberInput,
    ) -> Result<Member, EngineError> {
        require_admin(actor)?;
        let member = self.check_member(input).await?;
        self.store_member(actor, &member).await?;
        Ok(member)
    }

    pub(crate) async fn store_member(
        &self,
        actor: &Actor,
        member: &Member,
    ) -> Result<(), EngineError> {
        let doc = member_document(member);
        let request = AppendRequest::new(
            format!("member-{}", member.id),
            ExpectedVersion::NoStream,
            vec![NewEvent::new("MemberRegistered", registered_event(member))],
        )
        .with_metadata(self.metadata(actor))
        .with_side_writes(vec![SideWrite::Document(doc)]);
        match self.store.append(request).await {
            Ok(_) => {
                self.directory_changed();
                Ok(())
            }
            Err(StoreError::VersionConflict { .. }) => Err(EngineError::Conflict(format!(
                "member {} already exists",
                member.id
            ))),
            Err(e) => Err(e.into()),
        }
    }

    async fn check_member(&self, input: MemberInput) -> Result<Member, EngineError> {
        let id = input.id.unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
        if !valid_member_id(&id) {
            return Err(EngineError::Invalid(format!(
                "member id {id:?} must be 1-64 characters of A-Z a-z 0-9 - _ ."
            )));
        }
        if input.name.trim().is_empty() || input.name.chars().count() > 300 {
            return Err(EngineError::Invalid(
                "name must be 1 to 300 characters".into(),
            ));
        }
        if !valid_email(&input.email) {
            return Err(EngineError::Invalid(format!(
                "{:?} is not a valid e-mail address",
                input.email
            )));
        }
        let roles = super::member_change::parse_roles(&input.roles)?;
        if self.agency(&input.agency).await?.is_none() {
            return Err(EngineError::Invalid(format!(
                "agency {:?} is not registered",
                input.agency
            )));
        }
        if let Some(supervisor) = &input.supervisor_id {
            // A new member cannot be anyone's supervisor yet, so no cycle can form here.
            if supervisor == &id || self.member(supervisor).await?.is_none() {
                return Err(EngineError::Invalid(format!(
                    "supervisor {supervisor:?} is not a registered member"
                )));
            }
        }
        let locale = input.locale.unwrap_or_else(|| "fa".into());
        super::member_change::check_locale(&locale)?;
        Ok(Member {
            id,
            name: input.name.trim().to_string(),
            email: input.email,
            agency: Some(input.agency),
            roles,
            supervisor_id: input.supervisor_id,
            locale,
            disabled: false,
            version: 1,
        })
    }

    pub async fn member(&self, id: &str) -> Result<Option<Member>, EngineError> {
        let doc = self.documents.get("member", id).await?;
        Ok(doc.and_then(|d| serde_json::from_str(&d).ok()))
    }

    pub async fn members(&self) -> Result<Vec<Member>, EngineError> {
        let mut all = Vec::new();
        let mut query = DocumentQuery {
            limit: 1000,
            ..Default::default()
        };
        loop {
            let page = self.documents.list("member", &query).await?;
            let Some((last, _)) = page.last() else { break };
            query.after = Some(last.clone());
            all.extend(
                page.into_iter()
                    .filter_map(|(_, d)| serde_json::from_str::<Member>(&d).ok()),
            );
        }
        Ok(all)
    }

    /// The active members of the cluster's agencies: who a vote may go to. Members of an
    /// outside agency take part in no vote.
    pub(crate) async fn member_refs(&self) -> Result<Vec<MemberRef>, EngineError> {
        let outside: Vec<String> = self
            .agencies()
            .await?
            .into_iter()
            .filter(|a| !a.in_cluster)
            .map(|a| a.code)
            .collect();
        Ok(self
            .members()
            .await?
            .into_iter()
            // A disabled member is not offered as anyone's assignee.
            .filter(|m| !m.disabled)
            .filter(|m| m.agency.as_ref().is_none_or(|a| !outside.contains(a)))
            .filter_map(|m| {
                Some(MemberRef {
                    agency: m.agency?,
                    id: m.id,
                    roles: m.roles,
                })
            })
            .collect())
    }
}
