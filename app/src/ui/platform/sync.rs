//! The sync engine: pushes the outbox and pulls changes, by itself.
//!
//! It runs on start, when the browser comes online, when the tab becomes visible, a moment
//! after each edit, and on a timer; failures back off (2 s doubling to 5 min) and never drop
//! anything — a mutation leaves the outbox only when the server has answered for it. One round
//! runs at a time; a request during a round makes another round follow it.

use std::cell::RefCell;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::sync::{MAX_BATCH, PROTOCOL_VERSION, PushRequest};
use crate::ui::platform::api::{self, ApiError};
use crate::ui::platform::state::Ctx;

use crate::domain::schedule::{Outcome, Scheduler};

/// Delay after an edit before pushing: typing a number is one push, not one per keystroke.
const AFTER_EDIT_MS: u32 = 1_500;

/// What the engine holds between rounds. The decisions are `Scheduler`'s (pure, tested in
/// `domain::schedule`); this only adds the browser's handles.
#[derive(Default)]
struct Engine {
    scheduler: Scheduler,
    /// Watching `Ctx::changed` (once per page: it outlives logouts).
    watching: bool,
    /// The next round's timer; replacing it cancels the one before.
    timer: Option<Timeout>,
    listeners: Vec<EventListener>,
}

thread_local! {
    // The page has one engine; WebAssembly in a page has one thread.
    static ENGINE: RefCell<Engine> = RefCell::new(Engine::default());
}

/// Hooks the engine to the browser's events and to the device's changes (each asks for a
/// round soon). Call once, after the device is loaded.
pub fn start(ctx: Ctx) {
    let window = window();
    let first = ENGINE.with_borrow_mut(|e| !std::mem::replace(&mut e.watching, true));
    if first {
        // Once per page: it outlives logouts (a round without a user does nothing).
        Effect::new(move |first: Option<()>| {
            ctx.changed.track();
            if first.is_some() {
                soon(ctx);
            }
        });
    }
    let online = EventListener::new(&window, "online", move |_| {
        ctx.online.set(true);
        ENGINE.with_borrow_mut(|e| e.scheduler.online_again());
        now(ctx);
    });
    let offline = EventListener::new(&window, "offline", move |_| ctx.online.set(false));
    // Hidden: write anything still unsaved (a write that failed earlier, say) while the page
    // may still run; phones freeze or kill hidden tabs without a further event.
    let visible = EventListener::new(&document(), "visibilitychange", move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            now(ctx);
        } else {
            ctx.catch_up();
        }
    });
    let hide = EventListener::new(&window, "pagehide", move |_| ctx.catch_up());
    ENGINE.with_borrow_mut(|e| e.listeners = vec![online, offline, visible, hide]);
    now(ctx);
}

/// Stops the engine (on logout).
pub fn stop() {
    ENGINE.with_borrow_mut(|e| {
        e.listeners.clear();
        e.timer = None;
    });
}

/// Runs a round as soon as possible.
pub fn now(ctx: Ctx) {
    schedule(ctx, 0);
}

/// Runs a round shortly (after an edit).
pub fn soon(ctx: Ctx) {
    schedule(ctx, AFTER_EDIT_MS);
}

fn schedule(ctx: Ctx, delay_ms: u32) {
    let timer = Timeout::new(delay_ms, move || {
        spawn_local(round(ctx));
    });
    // Replacing the timer cancels the one before: the latest request wins.
    ENGINE.with_borrow_mut(|e| e.timer = Some(timer));
}

/// Whether a round is running (a new app version waits for it to finish before reloading).
pub fn is_running() -> bool {
    ENGINE.with_borrow(|e| e.scheduler.is_running())
}

async fn round(ctx: Ctx) {
    if ctx.me.get_untracked().is_none() {
        return;
    }
    if !ENGINE.with_borrow_mut(|e| e.scheduler.begin()) {
        return;
    }
    ctx.sync.update(|s| s.running = true);
    let outcome = push_and_pull(ctx).await;
    ctx.sync.update(|s| {
        s.running = false;
        match &outcome {
            Ok(()) => {
                s.error = None;
                s.needs_login = false;
            }
            Err(ApiError::Unauthorized { .. }) => s.needs_login = true,
            Err(e) => s.error = Some(e.message()),
        }
    });
    let ended = match outcome {
        Ok(()) => {
            let (unsent, refused_for_now) = ctx.device.with_untracked(|d| d.queue_shape());
            Outcome::Done {
                unsent,
                refused_for_now,
            }
        }
        Err(ApiError::Unauthorized { .. }) => Outcome::NeedsLogin,
        Err(_) => Outcome::Failed,
    };
    let next = ENGINE.with_borrow_mut(|e| e.scheduler.end(ended));
    // No delay: waiting for a login; the next round starts when the user logs in again.
    if let Some(delay) = next {
        schedule(ctx, delay);
    }
}

async fn push_and_pull(ctx: Ctx) -> Result<(), ApiError> {
    loop {
        let batch = ctx
            .take_batch(MAX_BATCH)
            .await
            .map_err(|e| ApiError::Storage(e.to_string()))?;
        if batch.is_empty() {
            break;
        }
        let request = PushRequest {
            protocol: PROTOCOL_VERSION,
            device_id: ctx.device.with_untracked(|d| d.meta.device_id),
            mutations: batch,
        };
        match api::push(&request).await {
            Ok(response) => {
                ctx.device
                    .update(|d| d.push_answered(response.results, Ctx::now()));
                ctx.save();
            }
            Err(err) => {
                ctx.device.update(|d| d.push_failed());
                return Err(err);
            }
        }
        // Only more to push if the outbox still holds mutations that were not in this batch
        // (a retryable refusal stays but must wait for the next round).
        let full = request.mutations.len() == MAX_BATCH;
        if !full {
            break;
        }
    }
    loop {
        let cursor = ctx.device.with_untracked(|d| d.meta.cursor);
        let page = api::pull(cursor).await?;
        let more = page.has_more;
        ctx.device.update(|d| d.pulled(page, Ctx::now()));
        ctx.save();
        if !more {
            return Ok(());
        }
    }
}

/// Waits `ms` milliseconds.
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
