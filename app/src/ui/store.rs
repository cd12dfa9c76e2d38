//! The device's data in IndexedDB: one database per user (so people sharing a phone never see
//! each other's plans), plus a small shared database remembering who was logged in, so the app
//! opens offline straight into that user's work.
//!
//! Every save is one IndexedDB transaction and is reported done only when the browser says it
//! is complete; until then the changed parts stay marked dirty and are written again next time.

use uuid::Uuid;
use wasm_bindgen::JsValue;
use web_sys::{IdbDatabase, IdbTransaction};

use crate::domain::device::{Device, LocalPlan, Meta, Reference};
use crate::domain::wire::Me;
use crate::ui::idb::{self, IdbError};

const SHARED_DB: &str = "tao-nguon";
const STORES: &[&str] = &["kv"];

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
}

impl Store {
    /// Opens (creating on first use) the user's database.
    ///
    /// # Errors
    /// [`IdbError`] when the browser refuses storage (private mode, no quota).
    pub async fn open(user: Uuid) -> Result<Store, IdbError> {
        Ok(Store {
            db: idb::open(&user_db(user), 1, STORES).await?,
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
        Ok(Some(device))
    }

    /// Starts writing a prepared save, now: the transaction and its puts are issued before
    /// this returns and the transaction is told to commit at once, so the data is on its way to
    /// the disk before the page draws anything or can be closed. Wait for it with
    /// [`idb::committed`].
    ///
    /// # Errors
    /// [`IdbError`] (storage full, for one); the caller marks the parts dirty again with
    /// [`PendingWrite::restore`] so they are written next time.
    pub fn begin(&self, pending: &PendingWrite) -> Result<Option<IdbTransaction>, IdbError> {
        if pending.is_empty() {
            return Ok(None);
        }
        let tx = idb::transaction(&self.db, STORES, true)?;
        let kv = idb::store(&tx, "kv")?;
        for (id, text) in &pending.plans {
            match text {
                Some(text) => idb::put(&kv, &key(&plan_key(*id)), text)?,
                None => idb::remove(&kv, &key(&plan_key(*id)))?,
            }
        }
        if let Some(text) = &pending.meta {
            idb::put(&kv, &key("meta"), text)?;
        }
        if let Some(text) = &pending.reference {
            idb::put(&kv, &key("reference"), text)?;
        }
        idb::commit_now(&tx);
        Ok(Some(tx))
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
