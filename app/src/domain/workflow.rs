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
        PlanAction::Submit => role == Role::UnitEditor,
        PlanAction::Return | PlanAction::Approve => role == Role::DistrictReviewer,
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

    #[test]
    fn every_status_action_and_role_has_exactly_the_expected_outcome() {
        use PlanAction::*;
        use PlanStatus::*;
        let allowed = [
            (Draft, Submit, Role::UnitEditor, Submitted),
            (Returned, Submit, Role::UnitEditor, Submitted),
            (Submitted, Return, Role::DistrictReviewer, Returned),
            (Approved, Return, Role::DistrictReviewer, Returned),
            (Submitted, Approve, Role::DistrictReviewer, Approved),
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
            next_status(
                PlanStatus::Approved,
                PlanAction::Submit,
                Role::DistrictReviewer
            ),
            Err(TransitionError::RoleNotAllowed)
        );
        assert_eq!(
            next_status(
                PlanStatus::Draft,
                PlanAction::Approve,
                Role::DistrictReviewer
            ),
            Err(TransitionError::WrongStatus(PlanStatus::Draft))
        );
    }
}
