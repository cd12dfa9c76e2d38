//! The device's data in IndexedDB: one database per user (so people sharing a phone never see
//! each other's plans), plus a small shared database remembering who was logged in, so the app
//! opens offline straight into that user's work.
//!
//! Every save is one IndexedDB transaction and is reported done only when the browser says it
//! is complete; until then the changed parts stay marked dirty and are written again next time.

use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;
use wasm_bindgen::JsValue;

use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransaction};

use leptos::prelude::{GetValue, LocalStorage, SetValue, StoredValue};

use crate::domain::device::{Device, LocalPlan, Meta, OutboxEntry, Reference, Stored};
use crate::domain::wire::Me;
use crate::ui::platform::idb::{self, IdbError};

const SHARED_DB: &str = "tao-nguon";
const STORES: &[&str] = &["kv"];
/// The plan document version the stored data was brought to (`Device::upgrade`). A key of its
/// own: clients before it never write it, so an old tab's writes cannot reset it.
const SCHEMA_KEY: &str = "schema";

fn user_db(user: Uuid) -> String {
    format!("tao-nguon-{user}")
}

fn key(k: &str) -> JsValue {
    JsValue::from_str(k)
}

fn plan_key(id: Uuid) -> String {
    format!("plan:{id}")
}

/// One user's local database.
#[derive(Clone)]
pub struct Store {
    db: IdbDatabase,
    /// This page's journal key (`journal:<random id>`).
    journal_key: String,
    /// Journals of earlier pages taken in at load, removed by the next save.
    adopted: StoredValue<Vec<String>, LocalStorage>,
}

impl Store {
    /// Opens (creating on first use) the user's database.
    ///
    /// # Errors
    /// [`IdbError`] when the browser refuses storage (private mode, no quota).
    pub async fn open(user: Uuid) -> Result<Store, IdbError> {
        Ok(Store {
            db: idb::open(&user_db(user), 1, STORES).await?,
            journal_key: format!("journal:{}", Uuid::new_v4()),
            adopted: StoredValue::new_local(Vec::new()),
        })
    }

    /// Closes the connection (before the database is deleted).
    pub fn close(&self) {
        self.db.close();
    }

    /// The saved device, or `None` on a first visit.
    ///
    /// # Errors
    /// [`IdbError`] when reading fails or a record is unreadable.
    pub async fn load(&self) -> Result<Option<Device>, IdbError> {
        let tx = idb::transaction(&self.db, STORES, false)?;
        let kv = idb::store(&tx, "kv")?;
        let Some(meta) = idb::get(&kv, &key("meta")).await? else {
            return Ok(None);
        };
        let meta: Meta = serde_json::from_str(&meta).map_err(|e| IdbError(format!("meta: {e}")))?;
        let reference: Reference = match idb::get(&kv, &key("reference")).await? {
            Some(text) => {
                serde_json::from_str(&text).map_err(|e| IdbError(format!("reference: {e}")))?
            }
            None => Reference::default(),
        };
        let mut device = Device {
            meta,
            reference,
            ..Device::default()
        };
        for text in idb::get_range(&kv, "plan:", "plan:\u{ffff}").await? {
            let plan: LocalPlan =
                serde_json::from_str(&text).map_err(|e| IdbError(format!("plan: {e}")))?;
            device.plans.insert(plan.id, plan);
        }
        // Data an older client stored is brought to this release (and written back at the
        // first save); the working copies are derived: rebuilt from base and outbox, which also
        // brings in edits another tab queued after it last wrote a plan's record.
        // The version the data was brought to; absent before this release.
        let stored_schema = idb::get(&kv, &key(SCHEMA_KEY))
            .await?
            .and_then(|text| text.trim().parse::<u32>().ok())
            .unwrap_or(0);
        let upgraded = device.upgrade(stored_schema);
        let ids: Vec<Uuid> = device.plans.keys().copied().collect();
        for id in ids {
            device.rebuild(id);
        }
        device.mark_synced();
        if !upgraded {
            device.dirty_plans.clear();
            device.dirty_meta = false;
        }
        // Keystrokes a page wrote in its journal and whose merge did not run (the page closed
        // a moment after them): taken back in, written at the first save, which also removes
        // those journals (see `SaveTx::write`).
        let journal_keys = idb::keys_in_range(&kv, "journal:", "journal:\u{ffff}").await?;
        for text in idb::get_range(&kv, "journal:", "journal:\u{ffff}").await? {
            let entries: Vec<OutboxEntry> =
                serde_json::from_str(&text).map_err(|e| IdbError(format!("journal: {e}")))?;
            device.adopt_journal(entries, Uuid::new_v4);
        }
        self.adopted.set_value(journal_keys);
        Ok(Some(device))
    }

    /// Starts a save: a read-write transaction that reads what the other tabs of this user
    /// have stored (meta, the given plans), so that the caller can merge it into its copy and
    /// write the result in the same transaction — an atomic step for every other tab. The
    /// transaction and its reads are issued before this returns, so a keystroke's save is in
    /// the browser's queue before anything is drawn.
    ///
    /// # Errors
    /// [`IdbError`] when the browser refuses the transaction.
    /// Writes this page's journal — its outbox entries the storage does not hold yet — at once,
    /// without reading anything first, and commits it. The merge that follows needs a read; a
    /// page closed before that read comes back would otherwise lose the last keystroke.
    ///
    /// # Errors
    /// [`IdbError`] when the browser refuses the transaction or the write.
    pub fn write_journal(&self, entries: &[OutboxEntry]) -> Result<(), IdbError> {
        if entries.is_empty() {
            return Ok(());
        }
        let text = serde_json::to_string(entries).map_err(|e| IdbError(e.to_string()))?;
        let tx = idb::transaction(&self.db, STORES, true)?;
        let kv = idb::store(&tx, "kv")?;
        idb::put(&kv, &key(&self.journal_key), &text)?;
        idb::commit_now(&tx);
        Ok(())
    }

    pub fn begin_save(&self, plans: &BTreeSet<Uuid>) -> Result<SaveTx, IdbError> {
        let tx = idb::transaction(&self.db, STORES, true)?;
        let kv = idb::store(&tx, "kv")?;
        let meta = kv.get(&key("meta"))?;
        let plans = plans
            .iter()
            .map(|id| Ok((*id, kv.get(&key(&plan_key(*id)))?)))
            .collect::<Result<Vec<_>, JsValue>>()?;
        let mut journals = vec![self.journal_key.clone()];
        journals.extend(self.adopted.try_get_value().unwrap_or_default());
        Ok(SaveTx {
            tx,
            kv,
            meta,
            plans,
            journals,
            adopted: self.adopted,
        })
    }
}

/// A save under way (see [`Store::begin_save`]).
pub struct SaveTx {
    tx: IdbTransaction,
    kv: IdbObjectStore,
    meta: IdbRequest,
    plans: Vec<(Uuid, IdbRequest)>,
    /// The journals this save makes obsolete once the merged outbox is written.
    journals: Vec<String>,
    adopted: StoredValue<Vec<String>, LocalStorage>,
}

impl SaveTx {
    /// What the storage holds now. The reference data is read too when another tab has pulled
    /// further than `cursor` (the only case where it is taken).
    ///
    /// # Errors
    /// [`IdbError`] when a read fails or a record is unreadable.
    pub async fn read(&self, cursor: u64) -> Result<Stored, IdbError> {
        let parse_err = |what: &str, e: serde_json::Error| IdbError(format!("{what}: {e}"));
        let meta: Option<Meta> = match idb::request(&self.meta).await?.as_string() {
            Some(text) => Some(serde_json::from_str(&text).map_err(|e| parse_err("meta", e))?),
            None => None,
        };
        let mut plans = BTreeMap::new();
        for (id, req) in &self.plans {
            if let Some(text) = idb::request(req).await?.as_string() {
                let plan: LocalPlan =
                    serde_json::from_str(&text).map_err(|e| parse_err("plan", e))?;
                plans.insert(*id, plan);
            }
        }
        let reference = match &meta {
            Some(m) if m.cursor > cursor => match idb::get(&self.kv, &key("reference")).await? {
                Some(text) => {
                    Some(serde_json::from_str(&text).map_err(|e| parse_err("reference", e))?)
                }
                None => None,
            },
            _ => None,
        };
        Ok(Stored {
            meta,
            plans,
            reference,
        })
    }

    /// Queues the writes and asks for the commit at once.
    ///
    /// # Errors
    /// [`IdbError`] (storage full, for one).
    pub fn write(&self, pending: &PendingWrite) -> Result<(), IdbError> {
        for (id, text) in &pending.plans {
            match text {
                Some(text) => idb::put(&self.kv, &key(&plan_key(*id)), text)?,
                None => idb::remove(&self.kv, &key(&plan_key(*id)))?,
            }
        }
        if let Some(text) = &pending.meta {
            idb::put(&self.kv, &key("meta"), text)?;
            // Written with every meta this release writes: the data is at this version.
            idb::put(
                &self.kv,
                &key(SCHEMA_KEY),
                &crate::domain::plan::SCHEMA_VERSION.to_string(),
            )?;
        }
        // Stored meta now holds what the journals held: the merged outbox, just written or
        // already there (nothing left dirty).
        for journal in &self.journals {
            idb::remove(&self.kv, &key(journal))?;
        }
        self.adopted.set_value(Vec::new());
        if let Some(text) = &pending.reference {
            idb::put(&self.kv, &key("reference"), text)?;
        }
        idb::commit_now(&self.tx);
        Ok(())
    }

    /// Waits until the transaction is durable.
    ///
    /// # Errors
    /// [`IdbError`] when it failed or was aborted.
    pub async fn committed(&self) -> Result<(), IdbError> {
        idb::committed(&self.tx).await
    }
}

/// The parts of a device to write, serialised at the moment of the change (so that the write
/// can run asynchronously while the user keeps typing).
#[derive(Debug, Default)]
pub struct PendingWrite {
    plans: Vec<(Uuid, Option<String>)>,
    meta: Option<String>,
    reference: Option<String>,
}

impl PendingWrite {
    /// Takes the device's dirty parts.
    pub fn take(device: &mut Device) -> PendingWrite {
        let plans = std::mem::take(&mut device.dirty_plans)
            .into_iter()
            .map(|id| {
                (
                    id,
                    device
                        .plans
                        .get(&id)
                        .and_then(|p| serde_json::to_string(p).ok()),
                )
            })
            .collect();
        let meta = std::mem::take(&mut device.dirty_meta)
            .then(|| serde_json::to_string(&device.meta).ok())
            .flatten();
        let reference = std::mem::take(&mut device.dirty_reference)
            .then(|| serde_json::to_string(&device.reference).ok())
            .flatten();
        PendingWrite {
            plans,
            meta,
            reference,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.plans.is_empty() && self.meta.is_none() && self.reference.is_none()
    }

    /// The plans it writes.
    pub fn plan_ids(&self) -> impl Iterator<Item = Uuid> + '_ {
        self.plans.iter().map(|(id, _)| *id)
    }

    /// Marks the parts dirty again after a failed write.
    pub fn restore(&self, device: &mut Device) {
        device
            .dirty_plans
            .extend(self.plans.iter().map(|(id, _)| *id));
        device.dirty_meta |= self.meta.is_some();
        device.dirty_reference |= self.reference.is_some();
    }
}

async fn shared() -> Result<IdbDatabase, IdbError> {
    idb::open(SHARED_DB, 1, STORES).await
}

/// Who was logged in on this device last, to open the app offline.
pub async fn remembered_user() -> Option<Me> {
    let db = shared().await.ok()?;
    let tx = idb::transaction(&db, STORES, false).ok()?;
    let kv = idb::store(&tx, "kv").ok()?;
    let text = idb::get(&kv, &key("session")).await;
    db.close();
    serde_json::from_str(&text.ok()??).ok()
}

/// Remembers (or, with `None`, forgets) the logged-in user.
///
/// # Errors
/// [`IdbError`] when storage refuses.
pub async fn remember_user(me: Option<&Me>) -> Result<(), IdbError> {
    let db = shared().await?;
    let tx = idb::transaction(&db, STORES, true)?;
    let kv = idb::store(&tx, "kv")?;
    match me {
        Some(me) => idb::put(
            &kv,
            &key("session"),
            &serde_json::to_string(me).map_err(|e| IdbError(e.to_string()))?,
        )?,
        None => idb::remove(&kv, &key("session"))?,
    }
    let done = idb::committed(&tx).await;
    db.close();
    done
}

/// Deletes everything a user kept on this device.
///
/// # Errors
/// [`IdbError`] when the browser refuses (another tab holds the database open).
pub async fn forget_user_data(user: Uuid) -> Result<(), IdbError> {
    idb::delete(&user_db(user)).await
}
