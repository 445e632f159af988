//! What a resolution orders, checked when the resolution is opened rather than when it is
//! approved (a meeting resolution is approved at once; a voted one days later, when nobody
//! is there to be told): each order's participants are cluster agencies, and a deadline it
//! sets is one the ordered workflow allows.

use serde_json::{Value, json};

use crate::domain::{MeetingRecord, check_order_due};

use super::open::ParticipantsInput;
use super::{Engine, EngineError};

impl Engine {
    pub(super) async fn check_orders(&self, params: &Value) -> Result<(), EngineError> {
        let orders: Vec<&Value> = match params.get("on_approval") {
            None | Some(Value::Null) => return Ok(()),
            Some(Value::Array(items)) => items.iter().collect(),
            Some(one) => vec![one],
        };
        let now = self.clock.now();
        let meeting = MeetingRecord::from_params(params, now)?;
        for (i, order) in orders.into_iter().enumerate() {
            if let Some(participants) = order.get("participants") {
                let input: ParticipantsInput = serde_json::from_value(participants.clone())
                    .map_err(|_| {
                        EngineError::Invalid(format!(
                            "params.on_approval[{i}].participants must be \"all\" or a list of agency codes"
                        ))
                    })?;
                self.resolve_participants(Some(input)).await?;
            }
            let order_params = order.get("params").cloned().unwrap_or(json!({}));
            if order_params.get("due").is_none() {
                continue;
            }
            let workflow = order
                .get("workflow")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    EngineError::Invalid(format!("params.on_approval[{i}] must name a workflow"))
                })?;
            let ordered = self
                .catalog
                .current_workflow(&self.store, workflow)
                .await?
                .ok_or_else(|| {
                    EngineError::Invalid(format!(
                        "params.on_approval[{i}]: unknown workflow {workflow:?}"
                    ))
                })?;
            let calendar = self.calendar().await?;
            check_order_due(
                &order_params,
                meeting.as_ref(),
                &ordered.definition,
                now,
                &calendar,
            )?;
        }
        Ok(())
    }
}
