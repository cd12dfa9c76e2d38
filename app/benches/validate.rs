//! Validation speed of a large plan: a Đảng bộ cơ sở with 50 subordinate cells, four target
//! years and a 200-person roster.
//!
//! Run: `cargo bench -p app --bench validate`. The figure goes into docs/BENCHMARKS.md.

use std::hint::black_box;

use app::domain::{PlanContext, validate};
use criterion::{Criterion, criterion_group, criterion_main};

#[path = "../tests/common/large_plan.rs"]
mod large_plan;

use large_plan::fifty_cell_plan;

fn bench(c: &mut Criterion) {
    let (doc, unit, campaign) = fifty_cell_plan();
    let report = validate(
        &doc,
        PlanContext {
            campaign: &campaign,
            unit: &unit,
        },
    );
    // The plan is realistic, not broken: only the roster/pool difference is reported.
    assert!(report.can_submit(), "{:#?}", report.findings);
    c.bench_function("validate 50-cell plan with 200-person roster", |b| {
        b.iter(|| {
            validate(
                black_box(&doc),
                PlanContext {
                    campaign: &campaign,
                    unit: &unit,
                },
            )
        })
    });
    let mut no_roster = doc.clone();
    no_roster.roster.0.clear();
    c.bench_function("validate 50-cell plan", |b| {
        b.iter(|| {
            validate(
                black_box(&no_roster),
                PlanContext {
                    campaign: &campaign,
                    unit: &unit,
                },
            )
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
