//! Who is acting: a member, their agency and roles. Passed into every decision; the domain
//! never looks it up.

use serde::{Deserialize, Serialize};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Secretariat,
    Member,
    Auditor,
}

impl Role {
    /// Every role, in the order they are listed to people.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Secretariat, Role::Member, Role::Auditor];

    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "admin" => Some(Role::Admin),
            "secretariat" => Some(Role::Secretariat),
            "member" => Some(Role::Member),
            "auditor" => Some(Role::Auditor),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Secretariat => "secretariat",
            Role::Member => "member",
            Role::Auditor => "auditor",
        }
    }
}

/// The member a command comes from. `System` stands for daftar itself (the scheduler).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub member_id: String,
    pub agency: Option<String>,
    pub roles: Vec<Role>,
}

impl Actor {
    pub fn system() -> Self {
        Self {
            member_id: "system".into(),
            agency: None,
            roles: vec![Role::Admin, Role::Secretariat],
        }
    }

    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// True when the actor holds the role named in a workflow (`member`, `secretariat`, …).
    pub fn has_named(&self, role: &str) -> bool {
        Role::parse(role).is_some_and(|r| self.has(r))
    }

    pub fn is_of(&self, agency: &str) -> bool {
        self.agency.as_deref() == Some(agency)
    }
}

/// A member as the directory knows them, for choosing voters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRef {
    pub id: String,
    pub agency: String,
    pub roles: Vec<Role>,
}
