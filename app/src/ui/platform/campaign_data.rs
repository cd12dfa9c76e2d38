//! What a reviewer's reports are computed from, read off the device: the units a campaign asks
//! and the server's version of each of its plans. The reports
//! themselves are the domain's pure functions (`domain::board`, `domain::totals`,
//! `domain::achievement`, the ones the server runs for its API and exports), called by the
//! pages that show them: the reviewer's tabs and the printed report.
//!
//! Each reader tracks the device, so a memo built on it follows every sync round.

use leptos::prelude::*;
use uuid::Uuid;

use crate::domain::board::{PlanFacts, UnitFacts};
use crate::domain::totals::Include;
use crate::domain::{Campaign, PlanDocument, PlanStatus};
use crate::ui::platform::state::Ctx;

/// The units a campaign asks for plans, as the device knows them.
pub fn asked_units(ctx: Ctx, campaign: &Campaign) -> Vec<UnitFacts> {
    ctx.device.with(|d| {
        let listed = d
            .reference
            .campaign_units
            .get(&campaign.id)
            .map_or(&[][..], Vec::as_slice);
        d.reference
            .units
            .values()
            .filter(|u| campaign.asks(listed, u.id, u.parent_id))
            .map(|u| UnitFacts {
                id: u.id,
                code: u.code.clone(),
                name: u.name.clone(),
                kind: u.kind,
                member_count: u.member_count,
                sort_order: u.sort_order,
            })
            .collect()
    })
}

/// Where each of the campaign's plans stands on the server (status, when it was submitted on
/// the device and received), for the submission board.
pub fn plan_facts(ctx: Ctx, campaign_id: Uuid) -> Vec<PlanFacts> {
    ctx.device.with(|d| {
        d.plans
            .values()
            .filter(|p| p.campaign_id == campaign_id)
            .filter_map(|p| p.base.as_ref())
            .map(|b| PlanFacts {
                plan_id: b.id,
                unit_id: b.unit_id,
                status: b.status,
                submitted_at_device: b.submitted_at_device,
                received_at: b.received_at,
            })
            .collect()
    })
}

/// The server's version of each of the campaign's plans in a status `include` counts.
pub fn campaign_documents(
    ctx: Ctx,
    campaign_id: Uuid,
    include: Include,
) -> Vec<(Uuid, PlanStatus, PlanDocument)> {
    ctx.device.with(|d| {
        d.plans
            .values()
            .filter(|p| p.campaign_id == campaign_id)
            .filter_map(|p| p.base.as_ref())
            .filter(|b| include.counts(b.status))
            .map(|b| (b.unit_id, b.status, b.document.clone()))
            .collect()
    })
}
