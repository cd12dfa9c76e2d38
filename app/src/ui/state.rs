//! The app's shared state: who is logged in, the device's data, sync status. Every change to
//! the device goes through [`Ctx::change`], which saves it to IndexedDB at once and asks the
//! sync engine to push soon.

use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::domain::device::Device;
use crate::domain::rules::{CellRef, UnitProfile};
use crate::domain::wire::Me;
use crate::domain::{Campaign, UnitLevel};
use crate::ui::store::{PendingWrite, Store};

/// Where the app is in starting up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading the device's storage.
    Loading,
    /// Nobody is logged in on this device.
    LoggedOut,
    /// A user's data is loaded (online or not).
    Ready,
}

/// What the sync engine is doing, for the status bar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncState {
    pub running: bool,
    /// The last attempt failed with this (shown until the next success).
    pub error: Option<String>,
    /// The server no longer knows the session: log in again (nothing is lost meanwhile).
    pub needs_login: bool,
    /// Saving on the device failed (storage full…): the most serious warning.
    pub storage_error: Option<String>,
}

#[derive(Clone, Copy)]
pub struct Ctx {
    pub phase: RwSignal<Phase>,
    pub me: RwSignal<Option<Me>>,
    pub device: RwSignal<Device>,
    pub store: StoredValue<Option<Store>, LocalStorage>,
    pub sync: RwSignal<SyncState>,
    pub online: RwSignal<bool>,
    /// A new version of the app is installed and waits for a reload.
    pub update_ready: RwSignal<bool>,
}

impl Ctx {
    pub fn new() -> Ctx {
        Ctx {
            phase: RwSignal::new(Phase::Loading),
            me: RwSignal::new(None),
            device: RwSignal::new(Device::default()),
            store: StoredValue::new_local(None),
            sync: RwSignal::new(SyncState::default()),
            online: RwSignal::new(window().navigator().on_line()),
            update_ready: RwSignal::new(false),
        }
    }

    /// Applies a change to the device, saves it, and schedules a push.
    ///
    /// The order matters: the change is applied without notifying, its IndexedDB write is
    /// issued, and only then is the page told to redraw. A keystroke is thus on its way to the
    /// disk before any rendering, and a reload right after it keeps it.
    pub fn change(self, f: impl FnOnce(&mut Device)) {
        self.device.update_untracked(f);
        self.save();
        self.device.notify();
        crate::ui::sync::soon(self);
    }

    /// Writes the device's dirty parts to IndexedDB (the write is issued before this returns).
    pub fn save(self) {
        let Some(store) = self.store.get_value() else {
            return;
        };
        let pending = self
            .device
            .try_update_untracked(PendingWrite::take)
            .unwrap_or_default();
        if pending.is_empty() {
            return;
        }
        let started = store.begin(&pending);
        spawn_local(async move {
            let done = match started {
                Ok(Some(tx)) => crate::ui::idb::committed(&tx).await,
                Ok(None) => Ok(()),
                Err(err) => Err(err),
            };
            match done {
                Ok(()) => {
                    if self.sync.with_untracked(|s| s.storage_error.is_some()) {
                        self.sync.update(|s| s.storage_error = None);
                    }
                }
                Err(err) => {
                    self.device.update_untracked(|d| pending.restore(d));
                    self.sync.update(|s| {
                        s.storage_error = Some(format!(
                            "Không lưu được vào bộ nhớ của máy ({err}). Đừng đóng trang: dữ liệu đang ở trong trang này; hãy giải phóng bộ nhớ rồi tiếp tục."
                        ));
                    });
                }
            }
        });
    }

    /// A fresh id for something this device creates.
    pub fn new_id() -> Uuid {
        Uuid::new_v4()
    }

    pub fn now() -> chrono::DateTime<Utc> {
        Utc::now()
    }

    /// The campaigns this device knows, newest first.
    pub fn campaigns(self) -> Vec<Campaign> {
        self.device.with(|d| {
            let mut list: Vec<Campaign> = d.reference.campaigns.values().cloned().collect();
            list.sort_by_key(|c| std::cmp::Reverse(c.letter_date));
            list
        })
    }

    /// What the rules need to know about a unit, from the units this device has pulled.
    pub fn unit_profile(self, unit_id: Uuid) -> Option<UnitProfile> {
        self.device.with(|d| {
            let unit = d.reference.units.get(&unit_id)?;
            let mut cells: Vec<_> = d
                .reference
                .units
                .values()
                .filter(|u| u.parent_id == Some(unit_id) && u.level == UnitLevel::SubordinateCell)
                .collect();
            cells.sort_by_key(|c| (c.sort_order, c.name.clone()));
            Some(UnitProfile {
                id: unit.id,
                name: unit.name.clone(),
                member_count: unit.member_count,
                cells: cells
                    .into_iter()
                    .map(|c| CellRef {
                        id: c.id,
                        name: c.name.clone(),
                    })
                    .collect(),
            })
        })
    }
}

impl Default for Ctx {
    fn default() -> Self {
        Ctx::new()
    }
}

pub fn ctx() -> Ctx {
    expect_context::<Ctx>()
}
