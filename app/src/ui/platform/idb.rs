//! A small async wrapper over IndexedDB, just what the local store needs: open with an upgrade,
//! get, get-all in a key range, put and delete, and a write transaction that resolves only when
//! the browser reports it *complete* — the point at which the data survives a crash.

use js_sys::{Array, Function, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Event, IdbDatabase, IdbKeyRange, IdbObjectStore, IdbOpenDbRequest, IdbRequest, IdbTransaction,
    IdbTransactionMode,
};

/// Why the browser's storage refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdbError(pub String);

impl std::fmt::Display for IdbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<JsValue> for IdbError {
    fn from(value: JsValue) -> Self {
        let text = value
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| value.as_string())
            // Not `{value:?}`: the release build formats no Debug output.
            .or_else(|| js_sys::JSON::stringify(&value).ok().map(String::from))
            .unwrap_or_else(|| "lỗi không rõ của bộ nhớ trình duyệt".to_owned());
        IdbError(text)
    }
}

/// A promise with its resolve/reject functions, to bridge IndexedDB's callbacks to futures.
fn deferred() -> (Promise, Function, Function) {
    let mut resolve = None;
    let mut reject = None;
    let promise = Promise::new(&mut |res, rej| {
        resolve = Some(res);
        reject = Some(rej);
    });
    // The executor runs synchronously inside `Promise::new`, so both are set. The fallback is
    // a Rust closure, not `Function::new_no_args("")`: building a function from a string is
    // `eval`, which the page's Content Security Policy forbids.
    let noop: Function = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {})
        .into_js_value()
        .unchecked_into();
    (
        promise,
        resolve.unwrap_or_else(|| noop.clone()),
        reject.unwrap_or(noop),
    )
}

/// Waits for one request. The callbacks live until it settles, then are unhooked and freed.
pub async fn request(req: &IdbRequest) -> Result<JsValue, IdbError> {
    let (promise, resolve, reject) = deferred();
    let r = req.clone();
    let on_ok = Closure::<dyn FnMut(Event)>::new(move |_| {
        let value = r.result().unwrap_or(JsValue::UNDEFINED);
        let _ = resolve.call1(&JsValue::NULL, &value);
    });
    let r = req.clone();
    let on_err = Closure::<dyn FnMut(Event)>::new(move |_| {
        let error = r
            .error()
            .ok()
            .flatten()
            .map_or(JsValue::NULL, JsValue::from);
        let _ = reject.call1(&JsValue::NULL, &error);
    });
    req.set_onsuccess(Some(on_ok.as_ref().unchecked_ref()));
    req.set_onerror(Some(on_err.as_ref().unchecked_ref()));
    let result = JsFuture::from(promise).await;
    req.set_onsuccess(None);
    req.set_onerror(None);
    result.map_err(IdbError::from)
}

/// Waits until a transaction is complete (durable) or has failed.
pub async fn committed(tx: &IdbTransaction) -> Result<(), IdbError> {
    let (promise, resolve, reject) = deferred();
    let on_done = Closure::<dyn FnMut(Event)>::new(move |_| {
        let _ = resolve.call0(&JsValue::NULL);
    });
    let t = tx.clone();
    let fail = reject.clone();
    let on_err = Closure::<dyn FnMut(Event)>::new(move |_| {
        let error = t
            .error()
            .map_or(JsValue::from_str("giao dịch bị hủy"), JsValue::from);
        let _ = fail.call1(&JsValue::NULL, &error);
    });
    tx.set_oncomplete(Some(on_done.as_ref().unchecked_ref()));
    tx.set_onerror(Some(on_err.as_ref().unchecked_ref()));
    tx.set_onabort(Some(on_err.as_ref().unchecked_ref()));
    let result = JsFuture::from(promise).await;
    tx.set_oncomplete(None);
    tx.set_onerror(None);
    tx.set_onabort(None);
    drop(reject);
    result.map(|_| ()).map_err(IdbError::from)
}

/// Opens (and creates or upgrades) a database whose stores are all keyed out of line.
pub async fn open(
    name: &str,
    version: u32,
    stores: &'static [&'static str],
) -> Result<IdbDatabase, IdbError> {
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or_else(|| IdbError("trình duyệt không có IndexedDB".into()))?;
    let open: IdbOpenDbRequest = factory.open_with_u32(name, version)?;
    let on_upgrade = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        let Some(db) = event
            .target()
            .and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok())
        else {
            return;
        };
        let existing = db.object_store_names();
        for store in stores {
            if !existing.contains(store) {
                let _ = db.create_object_store(store);
            }
        }
    });
    open.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    let result = request(&open).await;
    open.set_onupgradeneeded(None);
    let db = result?
        .dyn_into::<IdbDatabase>()
        .map_err(|_| IdbError("không mở được kho dữ liệu".into()))?;
    // Another tab (or this one, on logout) wants to delete or upgrade the database: let go of
    // it at once, or that request waits until this connection is garbage-collected.
    let holder = db.clone();
    let on_version_change = Closure::once_into_js(move |_: Event| holder.close());
    db.set_onversionchange(Some(on_version_change.unchecked_ref()));
    Ok(db)
}

/// Deletes a whole database.
pub async fn delete(name: &str) -> Result<(), IdbError> {
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or_else(|| IdbError("trình duyệt không có IndexedDB".into()))?;
    let req = factory.delete_database(name)?;
    request(&req).await.map(|_| ())
}

/// A transaction over some stores.
pub fn transaction(
    db: &IdbDatabase,
    stores: &[&str],
    write: bool,
) -> Result<IdbTransaction, IdbError> {
    let names: Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
    let mode = if write {
        IdbTransactionMode::Readwrite
    } else {
        IdbTransactionMode::Readonly
    };
    Ok(db.transaction_with_str_sequence_and_mode(&names, mode)?)
}

pub fn store(tx: &IdbTransaction, name: &str) -> Result<IdbObjectStore, IdbError> {
    Ok(tx.object_store(name)?)
}

/// The string value under `key`, if any.
pub async fn get(store: &IdbObjectStore, key: &JsValue) -> Result<Option<String>, IdbError> {
    Ok(request(&store.get(key)?).await?.as_string())
}

/// Every string value with a key in `[from, to]`.
pub async fn get_range(
    store: &IdbObjectStore,
    from: &str,
    to: &str,
) -> Result<Vec<String>, IdbError> {
    let range = IdbKeyRange::bound(&JsValue::from_str(from), &JsValue::from_str(to))?;
    let all = request(&store.get_all_with_key(&range)?).await?;
    Ok(Array::from(&all)
        .iter()
        .filter_map(|v| v.as_string())
        .collect())
}

/// Every key (as text) in `[from, to]`.
pub async fn keys_in_range(
    store: &IdbObjectStore,
    from: &str,
    to: &str,
) -> Result<Vec<String>, IdbError> {
    let range = IdbKeyRange::bound(&JsValue::from_str(from), &JsValue::from_str(to))?;
    let all = request(&store.get_all_keys_with_key(&range)?).await?;
    Ok(Array::from(&all)
        .iter()
        .filter_map(|v| v.as_string())
        .collect())
}

/// Asks the browser to commit a transaction now rather than when the current task ends (after
/// rendering): the sooner it commits, the smaller the window in which closing the page loses
/// the last keystroke. Browsers without `commit()` commit at the end of the task anyway.
pub fn commit_now(tx: &IdbTransaction) {
    let has_commit = js_sys::Reflect::has(tx, &JsValue::from_str("commit")).unwrap_or(false);
    if has_commit {
        #[allow(deprecated)]
        let _ = tx.commit();
    }
}

/// Queues a put in the transaction (awaited with [`committed`]).
pub fn put(store: &IdbObjectStore, key: &JsValue, value: &str) -> Result<(), IdbError> {
    store.put_with_key(&JsValue::from_str(value), key)?;
    Ok(())
}

/// Queues a delete in the transaction (awaited with [`committed`]).
pub fn remove(store: &IdbObjectStore, key: &JsValue) -> Result<(), IdbError> {
    store.delete(key)?;
    Ok(())
}
