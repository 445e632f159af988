//! A member as the directory keeps them: who they are, where mail reaches them, what they
//! may do. Plain data, so that everything that addresses or authorises a member — the
//! engine, the e-mail composition, the pages — can name it without depending on the engine
//! that keeps the directory.

use serde::{Deserialize, Serialize};

use super::{Actor, Role};

/// A member as stored and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub email: String,
    /// None only for the bootstrap administrator, who belongs to no agency.
    pub agency: Option<String>,
    pub roles: Vec<Role>,
    pub supervisor_id: Option<String>,
    pub locale: String,
    /// A disabled member's tokens and sessions are refused; it can be enabled again.
    /// Absent from `MemberRegistered` (a member starts enabled): the engine leaves it out of that event.
    #[serde(default)]
    pub disabled: bool,
    /// The version of the `member-ID` stream this state is at.
    pub version: i64,
}

impl Member {
    pub fn actor(&self) -> Actor {
        Actor {
            member_id: self.id.clone(),
            agency: self.agency.clone(),
            roles: self.roles.clone(),
        }
    }
}
