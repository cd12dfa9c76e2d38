// The shell's login form, usable before the WebAssembly app has arrived: on a first visit over
// 2G the app takes many seconds to download, and this lets the user type and send their
// credentials meanwhile. The app (app/src/ui/platform/login_form.rs) shows and hides the form
// from then on and takes each login this script makes: `window.tnLoggedIn` holds the server's
// answer (the user, as JSON) until the app has taken it, event `tn-login` says one is there,
// and the app answers with `tnLoginDone(null | message)`.
(() => {
  const main = document.getElementById('login');
  const form = document.getElementById('login-form');
  const error = document.getElementById('login-error');
  const note = document.getElementById('login-note');
  const button = form.querySelector('button');
  const sw = navigator.serviceWorker;
  let remembered = false;
  try { remembered = localStorage.getItem('tn-remembered') === '1'; } catch (_) { /* refused */ }
  // A visit the service worker does not serve, with nobody remembered on this device, is a
  // first one: it starts at the login form. Otherwise the app decides, once it has started.
  if (!(sw && sw.controller) && !remembered) {
    main.hidden = false;
    document.getElementById('boot-note').hidden = true;
  }
  const reload = document.getElementById('login-reload');
  reload.addEventListener('click', () => location.reload());
  // The app could not be fetched or started (the boot script calls this); a login made after
  // that says so too, instead of waiting for an app that is not coming.
  let failed = false;
  window.tnAppFailed = () => {
    failed = true;
    const message = 'Không tải được ứng dụng: mạng bị ngắt trong lúc tải. Hãy tải lại trang khi có mạng.';
    if (main.hidden) {
      document.getElementById('boot-note').textContent = message;
      return;
    }
    busy('');
    note.textContent = '';
    say(message);
    reload.hidden = false;
  };
  let sending = false;
  const say = (message) => {
    error.textContent = message;
    error.hidden = !message;
  };
  const busy = (label) => {
    sending = !!label;
    button.disabled = sending;
    button.textContent = label || 'Đăng nhập';
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sending) return;
    const username = form.elements.username.value;
    const password = form.elements.password.value;
    // Our own Vietnamese message, not the browser's (often English) bubble.
    if (!username.trim() || !password) {
      say('Hãy nhập tên đăng nhập và mật khẩu.');
      return;
    }
    busy('Đang đăng nhập…');
    say('');
    let response;
    let text;
    // A link that drops without closing the connection would leave the button waiting for
    // ever; a minute is long enough for 2G shared with the app's own download.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 60000);
    try {
      response = await fetch('/api/v1/auth/login', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
        signal: abort.signal,
      });
      text = await response.text();
    } catch (_) {
      busy('');
      say(abort.signal.aborted
        ? 'Máy chủ chưa trả lời sau một phút. Hãy thử lại.'
        : 'Cần có mạng để đăng nhập lần đầu. Hãy thử lại khi có kết nối.');
      return;
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) {
      let message = '';
      try { message = JSON.parse(text).error.message; } catch (_) { /* not our JSON */ }
      busy('');
      say(message || `Máy chủ trả lời mã ${response.status}.`);
      return;
    }
    let answer = null;
    try { answer = JSON.parse(text); } catch (_) { /* a captive portal's page, say */ }
    if (!answer || typeof answer.id !== 'string') {
      busy('');
      say('Máy chủ trả lời không đúng dạng. Hãy thử lại.');
      return;
    }
    window.tnLoggedIn = text;
    if (failed) {
      window.tnAppFailed();
      return;
    }
    // The app removes the loading notice when it starts: until then, say what is awaited.
    if (document.getElementById('boot')) {
      busy('Đang tải ứng dụng…');
      note.textContent = 'Đã đăng nhập. Đang tải ứng dụng; lần đầu trên mạng chậm có thể mất một lúc.';
    } else {
      busy('Đang mở dữ liệu…');
    }
    window.dispatchEvent(new Event('tn-login'));
  });
  window.tnLoginDone = (message) => {
    busy('');
    note.textContent = '';
    if (message) say(message);
    else form.elements.password.value = '';
  };
})();
