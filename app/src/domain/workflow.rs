//! Who may move a plan from one status to another.
//!
//! ```text
//!   draft ──submit──▶ submitted ──approve──▶ approved
//!                       │   ▲                  │
//!                 return│   │submit (resubmit) │return (reopen)
//!                       ▼   │                  │
//!                     returned ◀───────────────┘
//! ```
//! Only the unit edits (in draft or returned); only the district returns or approves.

use chrono::{DateTime, Utc};

use crate::domain::coded::coded_enum;
use crate::domain::org::Role;
use crate::domain::plan::PlanStatus;

coded_enum! {
    PlanAction {
        Submit = "submit" => "Nộp kế hoạch",
        Return = "return" => "Trả lại để chỉnh sửa",
        Approve = "approve" => "Duyệt kế hoạch",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("vai trò của bạn không được thực hiện thao tác này")]
    RoleNotAllowed,
    #[error("không thể thực hiện thao tác này khi kế hoạch đang ở trạng thái «{}»", .0.label())]
    WrongStatus(PlanStatus),
}

impl TransitionError {
    pub fn code(self) -> &'static str {
        match self {
            TransitionError::RoleNotAllowed => "transition.role_not_allowed",
            TransitionError::WrongStatus(_) => "transition.wrong_status",
        }
    }

    /// What the user is told when `action` is refused for this reason.
    pub fn message(self, action: PlanAction) -> String {
        let action = action.label().to_lowercase();
        match self {
            TransitionError::RoleNotAllowed => format!("Tài khoản của bạn không được «{action}»."),
            TransitionError::WrongStatus(status) => format!(
                "Không thể «{action}» khi kế hoạch đang ở trạng thái «{}».",
                status.label()
            ),
        }
    }
}

/// When a submission counts as made, for timeliness: the device's clock decides, within the
/// bounds it cannot honestly have broken — not after the server received it, not before the
/// campaign was opened (a plan written and submitted offline reaches the server with its
/// creation, so the plan's own arrival is no bound).
pub fn submission_time(
    on_device: DateTime<Utc>,
    received: DateTime<Utc>,
    campaign_opened: DateTime<Utc>,
) -> DateTime<Utc> {
    on_device.min(received).max(campaign_opened)
}

/// The status after `action`, or why it is not allowed. Whether the document is free of
/// errors (needed to submit) and whether a return carries a comment are checked by the caller,
/// which has the document and the comments.
///
/// # Errors
/// [`TransitionError`] when the role may not act, or not from this status.
pub fn next_status(
    from: PlanStatus,
    action: PlanAction,
    role: Role,
) -> Result<PlanStatus, TransitionError> {
    let allowed_role = match action {
        PlanAction::Submit => role == Role::Editor,
        PlanAction::Return | PlanAction::Approve => role == Role::Reviewer,
    };
    if !allowed_role {
        return Err(TransitionError::RoleNotAllowed);
    }
    match (action, from) {
        (PlanAction::Submit, PlanStatus::Draft | PlanStatus::Returned) => Ok(PlanStatus::Submitted),
        (PlanAction::Return, PlanStatus::Submitted | PlanStatus::Approved) => {
            Ok(PlanStatus::Returned)
        }
        (PlanAction::Approve, PlanStatus::Submitted) => Ok(PlanStatus::Approved),
        _ => Err(TransitionError::WrongStatus(from)),
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    fn at(hour: u32) -> DateTime<Utc> {
        chrono::NaiveDate::from_ymd_opt(2022, 2, 15)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .map(|t| t.and_utc())
            .unwrap_or_default()
    }

    #[test]
    fn the_devices_clock_decides_timeliness_within_honest_bounds() {
        let opened = at(1);
        let received = at(10);
        assert_eq!(submission_time(at(5), received, opened), at(5));
        assert_eq!(
            submission_time(at(23), received, opened),
            received,
            "not after it arrived"
        );
        assert_eq!(
            submission_time(at(0), received, opened),
            opened,
            "not before the campaign"
        );
    }

    #[test]
    fn refusals_name_the_action_and_the_status() {
        assert_eq!(
            TransitionError::WrongStatus(PlanStatus::Approved).message(PlanAction::Submit),
            "Không thể «nộp kế hoạch» khi kế hoạch đang ở trạng thái «Đã duyệt»."
        );
        assert_eq!(
            TransitionError::RoleNotAllowed.message(PlanAction::Approve),
            "Tài khoản của bạn không được «duyệt kế hoạch»."
        );
    }

    #[test]
    fn every_status_action_and_role_has_exactly_the_expected_outcome() {
        use PlanAction::*;
        use PlanStatus::*;
        let allowed = [
            (Draft, Submit, Role::Editor, Submitted),
            (Returned, Submit, Role::Editor, Submitted),
            (Submitted, Return, Role::Reviewer, Returned),
            (Approved, Return, Role::Reviewer, Returned),
            (Submitted, Approve, Role::Reviewer, Approved),
        ];
        for from in PlanStatus::ALL {
            for action in PlanAction::ALL {
                for role in Role::ALL {
                    let expected = allowed
                        .iter()
                        .find(|(f, a, r, _)| f == from && a == action && r == role)
                        .map(|(_, _, _, to)| *to);
                    let got = next_status(*from, *action, *role).ok();
                    assert_eq!(got, expected, "{from:?} {action:?} by {role:?}");
                }
            }
        }
    }

    #[test]
    fn the_wrong_role_is_told_so_before_the_status() {
        assert_eq!(
            next_status(PlanStatus::Approved, PlanAction::Submit, Role::Reviewer),
            Err(TransitionError::RoleNotAllowed)
        );
        assert_eq!(
            next_status(PlanStatus::Draft, PlanAction::Approve, Role::Reviewer),
            Err(TransitionError::WrongStatus(PlanStatus::Draft))
        );
    }
}
