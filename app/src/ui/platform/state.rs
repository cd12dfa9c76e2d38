//! The app's shared state: who is logged in, the device's data, sync status. Every change to
//! the device goes through [`Ctx::change`], which saves it to IndexedDB at once and asks the
//! sync engine (which watches [`Ctx::changed`]) to push soon.

use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::domain::device::Device;
use crate::domain::rules::{CellRef, UnitProfile};
use crate::domain::wire::Me;
use crate::domain::{Campaign, CommitteeKind};
use std::collections::BTreeSet;

use crate::ui::platform::idb::IdbError;
use crate::ui::platform::store::{PendingWrite, SaveTx, Store};

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
    /// The channel to the user's other tabs on this device.
    pub tabs: StoredValue<Option<web_sys::BroadcastChannel>, LocalStorage>,
    pub sync: RwSignal<SyncState>,
    pub online: RwSignal<bool>,
    /// A new version of the app is installed and waits for a reload.
    pub update_ready: RwSignal<bool>,
    /// Keystrokes whose redraw and merge wait for the frame that shows them.
    typed: StoredValue<Option<Typed>, LocalStorage>,
    /// Notified on every change the user makes: the sync engine watches it and pushes soon.
    pub changed: Trigger,
}

/// The work a keystroke leaves for after the frame that shows it (see [`Ctx::keystroke`]).
struct Typed {
    /// Kept alive until it has run.
    _callback: wasm_bindgen::closure::Closure<dyn FnMut()>,
    /// The animation frame it waits for, cancelled if the work is done before (the page was
    /// hidden): the browser would otherwise call the dropped closure when the page shows again.
    frame: i32,
}

impl Ctx {
    pub fn new() -> Ctx {
        Ctx {
            phase: RwSignal::new(Phase::Loading),
            me: RwSignal::new(None),
            device: RwSignal::new(Device::default()),
            store: StoredValue::new_local(None),
            tabs: StoredValue::new_local(None),
            sync: RwSignal::new(SyncState::default()),
            online: RwSignal::new(window().navigator().on_line()),
            update_ready: RwSignal::new(false),
            typed: StoredValue::new_local(None),
            changed: Trigger::new(),
        }
    }

    /// Applies a change to the device (a button, a choice: anything but a keystroke, see
    /// [`Ctx::keystroke`]), saves it, redraws and schedules a push.
    ///
    /// The order matters: the change is applied without notifying, its IndexedDB write is
    /// issued, and only then is the page told to redraw, so it is on its way to the disk before
    /// any rendering. Keystrokes still waiting for their frame are caught up with it, once.
    pub fn change(self, f: impl FnOnce(&mut Device)) {
        self.device.update_untracked(f);
        self.catch_up();
    }

    /// Applies a keystroke. Like [`Ctx::change`], it is written to the device's storage at
    /// once (the page journal: a reload right after the key keeps it). What depends on it —
    /// totals, messages, the sync bar — and the merge with the user's other tabs follow right
    /// after the next frame, so the frame that shows the typed character carries only the
    /// browser's own work; keys typed within one frame (Telex, a fast typist) share one
    /// redraw and one merge.
    pub fn keystroke(self, f: impl FnOnce(&mut Device)) {
        self.device.update_untracked(f);
        let Some(store) = self.store.get_value() else {
            self.device.notify();
            return;
        };
        if let Err(err) = store.write_journal(&self.device.with_untracked(Device::journal)) {
            self.storage_failed(&err);
        }
        if document().hidden() {
            // No frame comes while hidden (and the page may be frozen next): do it now.
            self.catch_up();
            return;
        }
        if self.typed.with_value(Option::is_some) {
            return;
        }
        let callback = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            // The frame is being produced: the message runs as soon as it is out.
            let channel = web_sys::MessageChannel::new().ok();
            let sent = channel.as_ref().is_some_and(|ch| {
                let run = wasm_bindgen::closure::Closure::once_into_js(move || self.catch_up());
                ch.port1()
                    .set_onmessage(Some(wasm_bindgen::JsCast::unchecked_ref(&run)));
                ch.port2()
                    .post_message(&wasm_bindgen::JsValue::NULL)
                    .is_ok()
            });
            if !sent {
                self.catch_up();
            }
        });
        match window()
            .request_animation_frame(wasm_bindgen::JsCast::unchecked_ref(callback.as_ref()))
        {
            Ok(frame) => self.typed.set_value(Some(Typed {
                _callback: callback,
                frame,
            })),
            Err(_) => self.catch_up(),
        }
    }

    /// Runs what keystrokes left for after their frame, if any: the merge, the redraw, the
    /// push request.
    pub fn catch_up(self) {
        // The closure that may be running now is dropped later, not from inside itself.
        if let Some(done) = self.typed.try_update_value(Option::take).flatten() {
            // A no-op when the frame has come (the usual way here).
            let _ = window().cancel_animation_frame(done.frame);
            spawn_local(async move { drop(done) });
        }
        self.save();
        self.device.notify();
        self.changed.notify();
    }

    /// Writes the device's dirty parts to IndexedDB, merged with what the user's other tabs
    /// stored meanwhile (the transaction is issued before this returns).
    pub fn save(self) {
        self.save_with(BTreeSet::new());
    }

    /// Reads the given plans (another tab said they changed) and merges them in, with any
    /// dirty part of this tab written back.
    pub fn refresh(self, plans: BTreeSet<Uuid>) {
        self.save_with(plans);
    }

    fn save_with(self, also: BTreeSet<Uuid>) {
        let Some(store) = self.store.get_value() else {
            return;
        };
        let (mut plans, journal) = self
            .device
            .with_untracked(|d| (d.dirty_plans.clone(), d.journal()));
        plans.extend(also);
        // First the journal (a blind write, committed at once), then the merge.
        if let Err(err) = store.write_journal(&journal) {
            self.storage_failed(&err);
        }
        let started = store.begin_save(&plans);
        spawn_local(async move {
            let result = match started {
                Ok(tx) => self.merge_and_write(&tx).await,
                Err(err) => Err(err),
            };
            match result {
                Ok(changed) => {
                    if self.sync.with_untracked(|s| s.storage_error.is_some()) {
                        self.sync.update(|s| s.storage_error = None);
                    }
                    if changed {
                        self.device.notify();
                    }
                }
                Err(err) => self.storage_failed(&err),
            }
        });
    }

    /// One save's transaction: read, merge, write. Returns whether other tabs' changes came
    /// in (the page must redraw).
    async fn merge_and_write(self, tx: &SaveTx) -> Result<bool, IdbError> {
        let cursor = self.device.with_untracked(|d| d.meta.cursor);
        let stored = tx.read(cursor).await?;
        let before = self.device.with_untracked(|d| d.synced.clone());
        let (touched, pending) = self
            .device
            .try_update_untracked(|d| {
                let touched = d.merge_stored(stored, Uuid::new_v4);
                (touched, PendingWrite::take(d))
            })
            .unwrap_or_default();
        {
            let written = tx.write(&pending).and(Ok(()));
            let done = match written {
                Ok(()) => tx.committed().await,
                Err(e) => Err(e),
            };
            if let Err(err) = done {
                // Nothing reached the storage: what this copy last saw of it stays as it was,
                // and the parts are written again next time.
                self.device.update_untracked(|d| {
                    d.synced = before;
                    pending.restore(d);
                });
                return Err(err);
            }
            if !pending.is_empty() {
                broadcast(self, pending.plan_ids().collect());
            }
        }
        Ok(!touched.is_empty())
    }

    /// The next batch to push, taken from the merged outbox and marked sent in storage before
    /// it leaves (another tab typing into one of its edits then queues a new one).
    ///
    /// # Errors
    /// [`IdbError`] when the storage refuses; nothing is sent then.
    pub async fn take_batch(
        self,
        max: usize,
    ) -> Result<Vec<crate::domain::sync::Mutation>, IdbError> {
        let Some(store) = self.store.get_value() else {
            return Ok(Vec::new());
        };
        let plans = self.device.with_untracked(|d| d.dirty_plans.clone());
        let tx = store.begin_save(&plans)?;
        let cursor = self.device.with_untracked(|d| d.meta.cursor);
        let stored = tx.read(cursor).await?;
        let before = self.device.with_untracked(|d| d.synced.clone());
        let (touched, batch, pending) = self
            .device
            .try_update_untracked(|d| {
                let touched = d.merge_stored(stored, Uuid::new_v4);
                let batch = d.take_batch(max);
                d.dirty_meta |= !batch.is_empty();
                (touched, batch, PendingWrite::take(d))
            })
            .unwrap_or_default();
        if !pending.is_empty() {
            let done = match tx.write(&pending) {
                Ok(()) => tx.committed().await,
                Err(e) => Err(e),
            };
            if let Err(err) = done {
                self.device.update_untracked(|d| {
                    d.synced = before;
                    d.push_failed();
                    pending.restore(d);
                });
                return Err(err);
            }
            self.device.update_untracked(Device::mark_synced);
            broadcast(self, pending.plan_ids().collect());
        }
        if !touched.is_empty() {
            self.device.notify();
        }
        Ok(batch)
    }

    fn storage_failed(self, err: &IdbError) {
        self.sync.update(|s| {
            s.storage_error = Some(format!(
                "Không lưu được vào bộ nhớ của máy ({err}). Đừng đóng trang: dữ liệu đang ở trong trang này; hãy giải phóng bộ nhớ rồi tiếp tục."
            ));
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

    /// The kind of committee the user's own unit is, as far as the device knows it (a
    /// district until its unit arrives: the first release's only reviewer), and its name: the
    /// reviewer's screens use its words ("Toàn xã", "Tổng hợp của tỉnh") and name.
    pub fn own_committee(self) -> OwnUnit {
        let unit = self.me.with(|m| m.as_ref().and_then(|m| m.unit_id));
        self.device.with(|d| {
            unit.and_then(|id| d.reference.units.get(&id)).map_or_else(
                || OwnUnit {
                    kind: CommitteeKind::District,
                    name: String::new(),
                    office: CommitteeKind::District.usual_office().to_owned(),
                },
                |u| OwnUnit {
                    kind: u.committee(),
                    name: u.name.clone(),
                    office: u.office(),
                },
            )
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
                // Every unit directly under it, as on the server (`unit_profile` there).
                .filter(|u| u.parent_id == Some(unit_id))
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

/// Tells the user's other tabs that this one wrote (they merge it in and redraw).
fn broadcast(ctx: Ctx, plans: Vec<Uuid>) {
    ctx.tabs.with_value(|channel| {
        if let Some(channel) = channel {
            let message: js_sys::Array = plans
                .iter()
                .map(|id| wasm_bindgen::JsValue::from_str(&id.to_string()))
                .collect();
            let _ = channel.post_message(&message);
        }
    });
}

/// Listens to the user's other tabs: each write they make is merged into this tab.
pub fn listen_to_other_tabs(ctx: Ctx, user: Uuid) {
    let Ok(channel) = web_sys::BroadcastChannel::new(&format!("tao-nguon-{user}")) else {
        // An old browser without BroadcastChannel: tabs merge at their next save instead.
        return;
    };
    let on_message = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
        move |ev: web_sys::MessageEvent| {
            let plans: BTreeSet<Uuid> = js_sys::Array::from(&ev.data())
                .iter()
                .filter_map(|v| v.as_string())
                .filter_map(|s| s.parse().ok())
                .collect();
            ctx.refresh(plans);
        },
    );
    channel.set_onmessage(Some(wasm_bindgen::JsCast::unchecked_ref(
        on_message.as_ref(),
    )));
    on_message.forget();
    ctx.tabs.with_value(|old| {
        if let Some(old) = old {
            old.close();
        }
    });
    ctx.tabs.set_value(Some(channel));
}

/// Stops listening (on logout).
pub fn stop_listening(ctx: Ctx) {
    ctx.tabs.with_value(|c| {
        if let Some(c) = c {
            c.set_onmessage(None);
            c.close();
        }
    });
    ctx.tabs.set_value(None);
}

impl Default for Ctx {
    fn default() -> Self {
        Ctx::new()
    }
}

/// The user's own unit as the reviewer's screens name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnUnit {
    pub kind: CommitteeKind,
    pub name: String,
    pub office: String,
}

pub fn ctx() -> Ctx {
    expect_context::<Ctx>()
}
