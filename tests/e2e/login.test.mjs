// Logging in on a first visit over a slow link: the login form comes with the page, so that it
// can be typed into and sent while the app's WebAssembly still downloads; the app takes the
// login over when it arrives, even mid-word, and every failure says what to do in Vietnamese.
//
// "Slow link" here is the app's files held back by the test until it lets them go: the order
// of events is then certain, where a throttled link would only make it likely.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiClient, DEMO_PASSWORD, collectErrors, newDevice, validDocument, withServerAndBrowser,
} from './harness.mjs';

const env = withServerAndBrowser();
const APP_FILES = /\/pkg\/.+\.(wasm|js)$/;

/** A new device whose app files (JS and WebAssembly) wait until `release()`. */
async function deviceWithAppHeld(profile) {
  const context = await newDevice(env, { profile });
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const asked = [];
  await context.route(APP_FILES, async (route) => {
    asked.push(new URL(route.request().url()).pathname);
    await held;
    await route.continue();
  });
  const page = await context.newPage();
  return { context, page, errors: collectErrors(page), asked, release };
}

async function composeWord(cdp, page, steps) {
  for (const step of steps) {
    await cdp.send('Input.imeSetComposition', { text: step, selectionStart: step.length, selectionEnd: step.length });
    await page.waitForTimeout(60);
  }
  await cdp.send('Input.insertText', { text: steps[steps.length - 1] });
  await page.waitForTimeout(60);
}

const appStarted = (page) => page.waitForFunction(() => !document.getElementById('boot'), null, { timeout: 60_000 });

test('on a phone, a first visit types and sends the login before the app has arrived; the app then opens the unit\'s plans', async () => {
  const { context, page, errors, asked, release } = await deviceWithAppHeld('phone');
  await page.goto(env.server.url);
  const name = page.getByLabel('Tên đăng nhập');
  await name.click();
  await name.pressSequentially('loc-an', { delay: 90 });
  await page.getByLabel('Mật khẩu').click();
  await page.getByLabel('Mật khẩu').pressSequentially('sai-mat-khau', { delay: 40 });
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  // A wrong password is answered by the form itself, app or no app.
  await page.getByRole('alert').filter({ hasText: 'Tên đăng nhập hoặc mật khẩu không đúng.' }).waitFor();
  await page.getByLabel('Mật khẩu').fill('');
  await page.getByLabel('Mật khẩu').pressSequentially(DEMO_PASSWORD, { delay: 40 });
  await page.keyboard.press('Enter');
  await page.getByText('Đã đăng nhập. Đang tải ứng dụng').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Đang tải ứng dụng…' }).isDisabled(), true);
  assert.ok(await page.locator('#boot').count() === 1, 'the app has not started: its files are held');
  assert.ok(asked.length > 0, 'the app was asked for once the form was drawn');

  release();
  await page.waitForURL((url) => url.pathname === '/ke-hoach', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Lập kế hoạch' }).waitFor();
  assert.equal(await page.locator('#login').isHidden(), true, 'the form goes once the app has taken the login');
  assert.equal(await page.getByLabel('Mật khẩu').inputValue(), '', 'the password is not left in the page');
  assert.deepEqual(errors.filter((e) => !/401|Unauthorized/.test(e)), []);
  await page.screenshot({ path: 'target/screens/login-phone-after.png' });
  await context.close();
});

// The phone opens the site's address (the app sends it on to the login page), the laptop the
// login page itself.
for (const [profile, start] of [['phone', '/'], ['pc', '/dang-nhap']]) {
  test(`on a ${profile}, the app arriving mid-word at ${start} keeps what is typed, the focus and the word being composed`, async () => {
    const { context, page, errors, release } = await deviceWithAppHeld(profile);
    await page.goto(`${env.server.url}${start}`);
    const name = page.getByLabel('Tên đăng nhập');
    await name.click();
    await name.pressSequentially('loc', { delay: 90 });
    await page.screenshot({ path: `target/screens/login-${profile}-before-app.png` });
    // A phone keyboard composes even a plain word: the app starts while "-than" is composing.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: '-th', selectionStart: 3, selectionEnd: 3 });
    release();
    await appStarted(page);
    await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'username');
    await composeWord(cdp, page, ['-tha', '-than', '-thanh']);
    assert.equal(await name.inputValue(), 'loc-thanh');
    await page.screenshot({ path: `target/screens/login-${profile}-after-app.png` });
    await page.keyboard.press('Tab');
    await page.keyboard.type(DEMO_PASSWORD, { delay: 50 });
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/ke-hoach', { timeout: 30_000 });
    await page.getByRole('button', { name: 'Lập kế hoạch' }).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('each way a login fails says so in Vietnamese, keeps the name typed, and the next try works', async () => {
  const context = await newDevice(env, { profile: 'pc' });
  const page = await context.newPage();
  await page.goto(`${env.server.url}/dang-nhap`);
  await appStarted(page);
  const name = page.getByLabel('Tên đăng nhập');
  const password = page.getByLabel('Mật khẩu');
  const send = page.getByRole('button', { name: 'Đăng nhập' });
  const alert = page.getByRole('alert');

  await send.click();
  await alert.filter({ hasText: 'Hãy nhập tên đăng nhập và mật khẩu.' }).waitFor();
  await name.pressSequentially('loc-quang', { delay: 40 });
  await send.click();
  await alert.filter({ hasText: 'Hãy nhập tên đăng nhập và mật khẩu.' }).waitFor();

  await context.setOffline(true);
  await password.pressSequentially(DEMO_PASSWORD, { delay: 30 });
  await send.click();
  await alert.filter({ hasText: 'Cần có mạng để đăng nhập lần đầu. Hãy thử lại khi có kết nối.' }).waitFor();
  await context.setOffline(false);

  // A proxy in trouble, then an answer that is not the app's JSON.
  await context.route('**/api/v1/auth/login', (route) => route.fulfill({ status: 502, body: '<html>Bad Gateway</html>' }), { times: 1 });
  await send.click();
  await alert.filter({ hasText: 'Máy chủ trả lời mã 502.' }).waitFor();
  await context.route('**/api/v1/auth/login', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"id":"x"}' }), { times: 1 });
  await send.click();
  await alert.filter({ hasText: 'Máy chủ trả lời không đúng dạng' }).waitFor();
  assert.equal(await send.isEnabled(), true, 'the form can be sent again');
  assert.equal(await name.inputValue(), 'loc-quang');

  await send.click();
  await page.waitForURL((url) => url.pathname === '/ke-hoach', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Lập kế hoạch' }).waitFor();
  assert.equal(await alert.count(), 0, 'no message is left over');
  await context.close();
});

test('a link to a plan opened on a new phone asks for the login there and then opens the plan; a wrong address shows no form', async () => {
  const unit = new ApiClient(env.server.url);
  await unit.login('mttq');
  const [campaign] = await unit.campaigns();
  const planId = await unit.submitNewPlan(campaign, validDocument(campaign));

  const { context, page, errors, release } = await deviceWithAppHeld('phone');
  await page.goto(`${env.server.url}/ke-hoach/${planId}`);
  await page.getByLabel('Tên đăng nhập').pressSequentially('mt', { delay: 60 });
  release();
  await appStarted(page);
  // Typing on without touching the screen: the form kept the focus while the app (and the
  // editor's chunk behind the link) arrived.
  await page.keyboard.type('tq', { delay: 60 });
  await page.keyboard.press('Tab');
  await page.keyboard.type(DEMO_PASSWORD, { delay: 40 });
  await page.keyboard.press('Enter');
  // The plan, once the first pull has brought it, on the address the link gave.
  await page.getByRole('heading', { name: 'Thông tin chung', exact: true }).waitFor({ timeout: 30_000 })
    .catch(async (e) => { await page.screenshot({ path: 'target/screens/login-deep-link.png' }); throw e; });
  assert.equal(new URL(page.url()).pathname, `/ke-hoach/${planId}`);
  assert.equal(await page.locator('#login').isHidden(), true);

  const stranger = await newDevice(env, { profile: 'phone' });
  const lost = await stranger.newPage();
  await lost.goto(`${env.server.url}/khong-co-trang-nay`);
  await lost.getByTestId('not-found').waitFor();
  assert.equal(await lost.locator('#login').isHidden(), true, 'a 404 page is not a login page');
  assert.deepEqual(errors, []);
  await stranger.close();
  await context.close();
});

test('a login the server never answers gives up after a minute with a Vietnamese message, and can be sent again', async () => {
  const { context, page, release } = await deviceWithAppHeld('phone');
  await page.clock.install();
  let answered = false;
  await context.route('**/api/v1/auth/login', () => { /* a link that hangs: never answered */ }, { times: 1 });
  await page.goto(`${env.server.url}/dang-nhap`);
  await page.getByLabel('Tên đăng nhập').pressSequentially('loc-nam', { delay: 50 });
  await page.getByLabel('Mật khẩu').pressSequentially(DEMO_PASSWORD, { delay: 30 });
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Đang đăng nhập…' }).waitFor();
  await page.clock.fastForward(61_000);
  await page.getByRole('alert').filter({ hasText: 'Máy chủ chưa trả lời sau một phút. Hãy thử lại.' }).waitFor();
  page.on('response', (r) => { if (r.url().endsWith('/api/v1/auth/login') && r.ok()) answered = true; });
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  // Answered this time (the app itself is still held: the form says it is awaited).
  await page.getByText('Đã đăng nhập. Đang tải ứng dụng').waitFor();
  assert.equal(answered, true);
  assert.equal(await page.getByRole('alert').count(), 0, 'the old message is gone');
  release();
  await context.close();
});

test('when the app cannot be fetched on a first visit, the form says so and offers a reload that works', async () => {
  const context = await newDevice(env, { profile: 'phone' });
  let failing = true;
  await context.route(/\/pkg\/.+\.wasm$/, (route) => (failing ? route.abort('internetdisconnected') : route.continue()));
  const page = await context.newPage();
  await page.goto(`${env.server.url}/dang-nhap`);
  await page.getByLabel('Tên đăng nhập').pressSequentially('loc-duc', { delay: 50 });
  await page.getByLabel('Mật khẩu').pressSequentially(DEMO_PASSWORD, { delay: 30 });
  await page.keyboard.press('Enter');
  await page.getByRole('alert').filter({ hasText: 'Không tải được ứng dụng: mạng bị ngắt trong lúc tải.' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Đăng nhập' }).isEnabled(), true, 'not left waiting');
  failing = false;
  await page.getByRole('button', { name: 'Tải lại trang' }).click();
  await page.getByLabel('Tên đăng nhập').pressSequentially('loc-duc', { delay: 30 });
  await page.getByLabel('Mật khẩu').pressSequentially(DEMO_PASSWORD, { delay: 30 });
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.pathname === '/ke-hoach', { timeout: 30_000 })
    .catch(async (e) => { await page.screenshot({ path: 'target/screens/login-failed-app.png' }); throw e; });
  await context.close();
});

test('a reload the service worker does not serve does not show the form to someone remembered, and leaving the login page forgets what was typed', async () => {
  // No service worker: every load is like a hard reload.
  const context = await env.browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(`${env.server.url}/dang-nhap`);
  await page.getByLabel('Tên đăng nhập').pressSequentially('loc-lam', { delay: 30 });
  await page.getByLabel('Mật khẩu').pressSequentially(DEMO_PASSWORD, { delay: 30 });
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.pathname === '/ke-hoach', { timeout: 30_000 });

  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await context.route(APP_FILES, async (route) => { await held; await route.continue(); });
  await page.reload();
  await page.getByText('Đang tải Tạo Nguồn…').waitFor();
  assert.equal(await page.locator('#login').isHidden(), true, 'no form for someone remembered');
  release();
  await page.getByRole('button', { name: 'Lập kế hoạch' }).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('#login').isHidden(), true);

  // The login page again (a renewed session, say): a wrong password, then elsewhere and back.
  await page.getByRole('link', { name: 'Kế hoạch của đơn vị' }).waitFor();
  await page.evaluate(() => { history.pushState(null, '', '/dang-nhap'); dispatchEvent(new PopStateEvent('popstate')); });
  await page.getByLabel('Tên đăng nhập').pressSequentially('loc-lam', { delay: 30 });
  await page.getByLabel('Mật khẩu').pressSequentially('sai-mat-khau', { delay: 30 });
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('alert').filter({ hasText: 'Tên đăng nhập hoặc mật khẩu không đúng.' }).waitFor({ timeout: 10_000 })
    .catch(async (e) => { await page.screenshot({ path: 'target/screens/login-back.png' }); throw e; });
  await page.getByRole('link', { name: 'Kế hoạch của đơn vị' }).click();
  await page.getByRole('button', { name: 'Lập kế hoạch' }).waitFor();
  await page.goBack();
  await page.getByLabel('Mật khẩu').waitFor();
  assert.equal(await page.getByLabel('Mật khẩu').inputValue(), '', 'the wrong password is not kept');
  assert.equal(await page.getByRole('alert').count(), 0, 'nor the old message');
  await context.close();
});
