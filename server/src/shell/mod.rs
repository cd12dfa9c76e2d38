//! The HTML shell: one route-independent page served for every page URL.
//!
//! The browser app renders itself (client-side rendering), so the shell carries only the links
//! to the hashed JS, WASM and CSS, and one piece of page content: the login form, with a small
//! script of its own (`login.js`), so that a first visit is usable after a few KB instead of
//! after the whole app. Being the same for every URL, the shell can be cached by the service
//! worker and opened with no network. It is rendered by leptos_axum, which also gives each
//! response its own CSP nonce for the inline scripts.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderValue, Request, header};
use axum::response::Response;
use leptos::prelude::*;
use serde::Deserialize;

/// File names of the built client, as written by `scripts/build-client.sh` into
/// `<site>/pkg/manifest.json`, each under the build's directory (`b-<content hash>/…`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assets {
    pub js: String,
    pub wasm: String,
    pub css: String,
    /// The chunk loader the JS imports (absent from a build without chunks): preloaded beside
    /// it, or the browser would fetch it only once it has parsed the JS.
    #[serde(default)]
    pub loader: Option<String>,
    /// The chunks every device uses (the editor): fetched beside the main module on a visit the
    /// service worker serves, so that they are at hand when the router asks for them. Not on a
    /// first visit: there they would slow the login form down on a slow link.
    #[serde(default)]
    pub chunks: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum AssetsError {
    #[error(
        "chưa có giao diện đã build tại {0} (thiếu pkg/manifest.json): chạy scripts/build-client.sh hoặc đặt TAONGUON_SITE_DIR"
    )]
    Missing(PathBuf),
    #[error("tệp {path} không đọc được: {reason}")]
    Invalid { path: PathBuf, reason: String },
}

impl Assets {
    /// Reads `<site_dir>/pkg/manifest.json` and checks that the files it names exist.
    ///
    /// # Errors
    /// [`AssetsError`] when the client has not been built or the manifest is damaged.
    pub fn load(site_dir: &Path) -> Result<Self, AssetsError> {
        let path = site_dir.join("pkg").join("manifest.json");
        let text = std::fs::read_to_string(&path).map_err(|err| match err.kind() {
            std::io::ErrorKind::NotFound => AssetsError::Missing(site_dir.to_owned()),
            _ => AssetsError::Invalid {
                path: path.clone(),
                reason: err.to_string(),
            },
        })?;
        let assets: Assets = serde_json::from_str(&text).map_err(|err| AssetsError::Invalid {
            path: path.clone(),
            reason: err.to_string(),
        })?;
        let named = [&assets.js, &assets.wasm, &assets.css]
            .into_iter()
            .chain(assets.loader.iter())
            .chain(assets.chunks.iter());
        for name in named {
            if !is_plain_asset_path(name) || !site_dir.join("pkg").join(name).is_file() {
                return Err(AssetsError::Invalid {
                    path: path.clone(),
                    reason: format!("tệp «{name}» không tồn tại hoặc tên không hợp lệ"),
                });
            }
        }
        Ok(assets)
    }
}

/// Whether `name` is `<build>/<file>` or `<file>` made of plain name segments. The names are
/// pasted into a script and attributes, and joined to the site directory: nothing else passes.
fn is_plain_asset_path(name: &str) -> bool {
    let segments: Vec<&str> = name.split('/').collect();
    segments.len() <= 2
        && segments.iter().all(|segment| {
            !segment.is_empty()
                && !segment.starts_with('.')
                && segment
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
        })
}

/// The most a rendered shell may weigh (it is about 2 KB).
const MAX_SHELL_BYTES: usize = 64 * 1024;

/// Renders the shell for one request.
pub async fn render(assets: Arc<Assets>, request: Request<Body>) -> Response {
    let handler = leptos_axum::render_app_async_with_context(|| {}, move || shell_view(&assets));
    let response = handler(request).await;
    let (mut parts, body) = response.into_parts();
    // The shell names the current hashed assets, so it must be revalidated on every visit;
    // the assets themselves are immutable.
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    let bytes = match axum::body::to_bytes(body, MAX_SHELL_BYTES).await {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::error!(error = %err, "the shell did not render");
            parts.status = axum::http::StatusCode::INTERNAL_SERVER_ERROR;
            return Response::from_parts(parts, Body::from("Không tải được trang. Hãy thử lại."));
        }
    };
    // Server rendering appends its resource and hydration scripts after `</html>`; a page that
    // renders itself in the browser has no use for them (and they cost every first visit).
    let html = String::from_utf8_lossy(&bytes);
    let end = html
        .find("</html>")
        .map_or(html.len(), |i| i + "</html>".len());
    let html = html[..end].to_owned();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(html))
}

/// The service worker's side of the boot script. `register` (called once the app has started:
/// on a first visit the worker's precache then finds the main module in the HTTP cache instead
/// of downloading it a second time beside the page) registers it and tells the app (event
/// `tn-update-ready`) when a new version waits; `tnApplyUpdate()` lets that version take over
/// and reloads once it has (a version already installing when the page registers is followed
/// too: the browser may have started it while the app was starting); `tnKeepOffline(names)`
/// asks every worker of the page (the running one and one waiting) to keep those chunks.
const SERVICE_WORKER: &str = "const sw=navigator.serviceWorker;\
window.tnKeepOffline=k=>sw&&sw.ready.then(r=>{for(const w of[r.active,r.waiting,r.installing])w&&w.postMessage({keep:k})});\
const register=()=>{if(sw)sw.register('/sw.js').then(r=>{\
const ready=()=>{window.__tnUpdateReady=true;window.dispatchEvent(new Event('tn-update-ready'))};\
const watch=w=>w&&w.addEventListener('statechange',()=>{if(w.state==='installed'&&sw.controller)ready()});\
if(r.waiting&&sw.controller)ready();watch(r.installing);\
r.addEventListener('updatefound',()=>watch(r.installing));\
let asked=false;sw.addEventListener('controllerchange',()=>{if(asked)location.reload()});\
window.tnApplyUpdate=()=>{asked=true;if(r.waiting)r.waiting.postMessage('skip-waiting');else location.reload()};\
setInterval(()=>r.update(),1800000)}).catch(()=>{})};";

/// The login form's script (see its header): the form is in the shell, so that a first visit
/// can log in before the app's WebAssembly has arrived.
const LOGIN_FORM: &str = include_str!("login.js");

/// The page's Content Security Policy. Scripts: our own files and the one inline boot script
/// carrying this response's nonce; `'wasm-unsafe-eval'` lets the WebAssembly compile, and
/// nothing else may be evaluated. Styles only from our stylesheet (the app sets computed widths
/// through the CSSOM, which the policy allows). No plugins, frames, foreign connections,
/// `<base>` tricks or form posts elsewhere.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

fn shell_view(assets: &Assets) -> impl IntoView + use<> {
    // The nonce leptos_axum made for this response goes into the header as well as the script.
    if let (Some(nonce), Some(response)) =
        (use_nonce(), use_context::<leptos_axum::ResponseOptions>())
        && let Ok(policy) = HeaderValue::from_str(&content_security_policy(&nonce))
    {
        response.insert_header(header::CONTENT_SECURITY_POLICY, policy);
    }
    let js = format!("/pkg/{}", assets.js);
    let wasm = format!("/pkg/{}", assets.wasm);
    let css = format!("/pkg/{}", assets.css);
    let loader = assets.loader.as_ref().map(|name| format!("'/pkg/{name}'"));
    let chunks = assets
        .chunks
        .iter()
        .map(|name| format!("'/pkg/{name}'"))
        .collect::<Vec<_>>()
        .join(",");
    let loader_preload = loader
        .map(|href| format!("link('modulepreload',{href});"))
        .unwrap_or_default();
    // A visit the service worker serves reads everything from its cache: the module, its JS,
    // the chunk loader and the chunks every device uses are asked for at once (preloads the
    // app's own fetches then take). A first visit fetches the app only once the page (the
    // login form) has been drawn, so that on a slow link the few KB the form needs do not
    // share it with hundreds of KB of WebAssembly.
    // The three files are asked for together (not the JS, then what it imports). A hidden tab
    // draws nothing, so a timer starts the app there too. A failed start (the link dropped)
    // is told to the login form's script, which says so and offers to reload.
    let boot = format!(
        "{SERVICE_WORKER}\
         const link=(rel,href,as)=>{{const l=document.createElement('link');l.rel=rel;l.href=href;\
         if(as){{l.as=as;l.crossOrigin='anonymous'}}document.head.append(l)}};\
         let started=false;\
         const start=()=>{{if(started)return;started=true;\
         link('modulepreload','{js}');{loader_preload}link('preload','{wasm}','fetch');\
         import('{js}').then(m=>m.default({{module_or_path:'{wasm}'}}))\
         .catch(()=>window.tnAppFailed&&window.tnAppFailed()).finally(register)}};\
         if(sw&&sw.controller){{for(const h of[{chunks}])link('preload',h,'fetch');start()}}\
         else{{requestAnimationFrame(()=>setTimeout(start));setTimeout(start,1000)}}"
    );
    view! {
        <!DOCTYPE html>
        <html lang="vi">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#a61b1b" />
                <meta name="description" content="Lập, gửi và tổng hợp kế hoạch tạo nguồn phát triển đảng viên." />
                <title>"Tạo Nguồn — Kế hoạch tạo nguồn phát triển đảng viên"</title>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                <link rel="stylesheet" href=css />
                <script type="module" nonce=use_nonce() inner_html=boot></script>
            </head>
            <body>
                <noscript>"Tạo Nguồn cần trình duyệt bật JavaScript."</noscript>
                // The app mounts here; `#boot` (a header like the app's, so that nothing moves
                // when the app replaces it) goes when it does.
                <div id="app"></div>
                <div id="boot">
                    <header class="frame-header">
                        <a href="/" class="brand">
                            <span class="brand-name">"Tạo Nguồn"</span>
                            <span class="brand-sub">"Kế hoạch tạo nguồn phát triển đảng viên"</span>
                        </a>
                    </header>
                    <p id="boot-note" class="boot" role="status">"Đang tải Tạo Nguồn…"</p>
                </div>
                <main id="login" class="frame-main" hidden>
                    <section class="page login" aria-labelledby="login-title">
                        <h1 id="login-title">"Đăng nhập"</h1>
                        <p class="hint">
                            "Đăng nhập một lần khi có mạng; sau đó có thể lập kế hoạch cả khi mất mạng."
                        </p>
                        <form id="login-form" novalidate>
                            <label for="username">"Tên đăng nhập"</label>
                            <input id="username" name="username" autocomplete="username" autocapitalize="none" maxlength="64" />
                            <label for="password">"Mật khẩu"</label>
                            <input id="password" name="password" type="password" autocomplete="current-password" maxlength="256" />
                            <p id="login-error" class="error" role="alert" hidden></p>
                            <button type="submit" class="primary">"Đăng nhập"</button>
                            <p id="login-note" class="hint" role="status"></p>
                            <button type="button" id="login-reload" hidden>"Tải lại trang"</button>
                        </form>
                    </section>
                </main>
                <script nonce=use_nonce() inner_html=LOGIN_FORM></script>
            </body>
        </html>
    }
}

#[cfg(test)]
mod tests {
    use super::is_plain_asset_path;

    #[test]
    fn asset_names_are_a_build_directory_and_a_plain_file_name_at_most() {
        for good in [
            "b-0123abcd/tao-nguon.js",
            "tao-nguon-01.css",
            "b-1/split_review.wasm",
        ] {
            assert!(is_plain_asset_path(good), "{good}");
        }
        for bad in [
            "",
            "../secret",
            "b-1/../../etc/passwd",
            "a/b/c.js",
            "/abs.js",
            "b-1/",
            ".hidden/x.js",
            "b-1/x.js'onload='x",
            "b-1/x y.js",
        ] {
            assert!(!is_plain_asset_path(bad), "{bad}");
        }
    }
}
