//! `/dang-nhap`: logging in (online, once; the app then works offline).
//!
//! The form itself is in the shell (`platform::login_form`): it is usable before the app has
//! arrived. [`LoginPage`] shows it; [`TakeLogins`], part of the frame, turns each login it makes
//! into a started session, whichever page showed the form.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate};

use crate::domain::wire::Me;
use crate::ui::platform::login_form::{self, LOGIN_PATH};
use crate::ui::platform::session;
use crate::ui::platform::state::{Phase, ctx};

/// The login page: the shell's form, and nothing of its own (the app's `<main>` stays empty
/// and hidden by the stylesheet).
#[component]
pub fn LoginPage() -> impl IntoView {
    login_form::claim_while_mounted();
}

/// Starts the session of each login the form makes, then goes on to the user's first screen
/// from the login page, or stays on the page that asked for a login (a link to a plan opened
/// on a new phone opens the plan). Draws nothing.
#[component]
pub fn TakeLogins() -> impl IntoView {
    let ctx = ctx();
    let navigate = use_navigate();
    let location = use_location();
    // A login made before the app started waits in the form; later ones are announced.
    let arrivals = RwSignal::new(0_u32);
    let listener = login_form::on_login(move || arrivals.update(|n| *n += 1));
    StoredValue::new_local(listener);

    Effect::new(move || {
        arrivals.track();
        // Not while the device's storage is still being read: that decides whether this is
        // the user already on the device (session renewed) or a new one.
        if ctx.phase.get() == Phase::Loading {
            return;
        }
        let Some(answer) = login_form::take() else {
            return;
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            let outcome = match serde_json::from_str::<Me>(&answer) {
                Ok(me) => session::logged_in(ctx, me).await,
                Err(_) => Err("Máy chủ trả lời không đúng dạng. Hãy thử lại.".to_owned()),
            };
            match outcome {
                Ok(()) => {
                    login_form::done(None);
                    if location.pathname.get_untracked() == LOGIN_PATH {
                        navigate("/", Default::default());
                    }
                }
                Err(message) => login_form::done(Some(&message)),
            }
        });
    });
}
