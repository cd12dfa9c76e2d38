// The frame: the app mounts in a real browser, shows its Vietnamese frame, routes on the
// client, has a Vietnamese 404 page, and its online/offline badge follows the browser.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ApiClient, DEMO_PASSWORD, PROFILES, ROOT, collectErrors, login, withServerAndBrowser } from './harness.mjs';

const env = withServerAndBrowser();

test('the app mounts and shows the Vietnamese frame', async () => {
  const page = await env.browser.newPage();
  const errors = collectErrors(page);
  await page.goto(env.server.url);
  // The shell's login form shows at once; the app then replaces the shell's header and notice.
  await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
  await page.waitForFunction(() => !document.getElementById('boot'));
  assert.equal(await page.getByRole('heading', { name: 'Đăng nhập' }).isVisible(), true);
  assert.match(await page.locator('.brand-name').innerText(), /Tạo Nguồn/);
  // Nobody is logged in: no screens to offer yet.
  assert.equal(await page.getByRole('navigation', { name: 'Điều hướng chính' }).count(), 0);
  assert.equal(await page.getByTestId('connectivity').innerText(), 'Có mạng');
  assert.deepEqual(errors, []);
  await page.close();
});

test('each role is offered its own screens, and navigation happens on the client and marks the current page', async () => {
  const unit = await env.browser.newContext();
  const unitPage = await unit.newPage();
  await login(unitPage, env.server.url, 'loc-an');
  const unitNav = unitPage.getByRole('navigation', { name: 'Điều hướng chính' });
  await unitNav.getByRole('link', { name: 'Kế hoạch của đơn vị' }).waitFor();
  assert.equal(await unitNav.getByRole('link', { name: 'Tổng hợp của huyện' }).count(), 0, 'a unit is not offered the Board\'s screens');
  await unit.close();

  const context = await env.browser.newContext();
  const page = await context.newPage();
  await login(page, env.server.url, 'bantochuc');
  const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
  assert.equal(await nav.getByRole('link', { name: 'Kế hoạch của đơn vị' }).count(), 0, 'the Board is not offered a plan of its own');
  await page.goto(`${env.server.url}/duong-dan/khong-co`);
  await page.getByTestId('not-found').waitFor();
  await page.evaluate(() => { window.__sameDocument = true; });
  await nav.getByRole('link', { name: 'Tổng hợp của huyện' }).click();
  await page.getByRole('heading', { name: 'Tổng hợp của huyện' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/tong-hop');
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'routed on the client, no reload');
  const current = page.locator('.frame-nav a[aria-current="page"]');
  assert.equal(await current.innerText(), 'Tổng hợp của huyện');
  await context.close();
});

test('an unknown address shows the Vietnamese 404 page', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.server.url}/duong-dan/khong-co`);
  await page.getByTestId('not-found').waitFor();
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Không tìm thấy trang');
  await page.getByRole('link', { name: 'Về trang chủ' }).click();
  // Nobody is logged in on this fresh browser: home sends the user to the login page.
  await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/dang-nhap');
  await page.close();
});

test('the connectivity badge follows the browser going offline and online', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(env.server.url);
  const badge = page.getByTestId('connectivity');
  await badge.waitFor();
  await context.setOffline(true);
  await page.waitForFunction(() => document.querySelector('[data-testid=connectivity]')?.textContent === 'Mất mạng');
  assert.match(await badge.getAttribute('class'), /offline/);
  await context.setOffline(false);
  await page.waitForFunction(() => document.querySelector('[data-testid=connectivity]')?.textContent === 'Có mạng');
  await context.close();
});

test('the administrator lands on the accounts page', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await login(page, env.server.url, 'quantri');
  assert.equal(new URL(page.url()).pathname, '/quan-tri');
  const accounts = page.getByTestId('accounts');
  await accounts.waitFor();
  await accounts.getByRole('cell', { name: 'bantochuc', exact: true }).waitFor();
  assert.match(await accounts.innerText(), /Ban Tổ chức Huyện ủy/);
  const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
  assert.equal(await nav.getByRole('link').count(), 1, 'only the administrator\'s own screen');
  await context.close();
});

test('an account holding both roles at a committee is offered both its screens, on a phone too', async () => {
  const admin = new ApiClient(env.server.url);
  await admin.login('quantri');
  const units = (await admin.pullAll()).filter((c) => c.unit).map((c) => c.unit);
  const locAn = units.find((u) => u.code === 'XA-LOC-AN');
  assert.ok(locAn, 'the demo has Lộc An');
  await admin.call('POST', '/api/v1/admin/users', {
    username: 'vp-loc-an', display_name: 'Văn phòng Đảng ủy xã Lộc An',
    roles: ['unit_editor', 'district_reviewer'], unit_id: locAn.id, password: DEMO_PASSWORD,
  });

  const context = await env.browser.newContext(PROFILES.phone);
  const page = await context.newPage();
  const errors = collectErrors(page);
  await login(page, env.server.url, 'vp-loc-an');
  // Where the deadline's work waits: its cells' plans.
  assert.equal(new URL(page.url()).pathname, '/tong-hop');
  const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
  await nav.getByRole('link', { name: 'Kế hoạch của đơn vị' }).waitFor();
  // Named for what it reviews: Lộc An is a Đảng bộ cơ sở, reviewing its cells.
  await nav.getByRole('link', { name: 'Tổng hợp các chi bộ' }).waitFor();
  assert.equal(await nav.getByRole('link').count(), 2, 'its own plans and its review, nothing else');
  await nav.getByRole('link', { name: 'Kế hoạch của đơn vị' }).click();
  await page.waitForURL((url) => url.pathname === '/ke-hoach');
  await page.screenshot({ path: path.join(ROOT, 'target', 'screens', 'both-roles-phone.png') });
  assert.deepEqual(errors, []);
  await context.close();

  // On a laptop the two links sit side by side.
  const pc = await env.browser.newContext(PROFILES.pc);
  const pcPage = await pc.newPage();
  await login(pcPage, env.server.url, 'vp-loc-an');
  const pcNav = pcPage.getByRole('navigation', { name: 'Điều hướng chính' });
  await pcNav.getByRole('link', { name: 'Tổng hợp các chi bộ' }).waitFor();
  const [first, second] = await Promise.all(
    ['Kế hoạch của đơn vị', 'Tổng hợp các chi bộ'].map((name) => pcNav.getByRole('link', { name }).boundingBox()));
  assert.equal(first.y, second.y, 'one row on a laptop');
  // Its review screens offer only campaigns its unit opened, not the district's it fills.
  await pcPage.getByRole('heading', { level: 1 }).first().waitFor();
  assert.doesNotMatch(await pcPage.locator('#main').innerText(), /381-CV\/HU/);
  await pcPage.screenshot({ path: path.join(ROOT, 'target', 'screens', 'both-roles-pc.png') });
  await pc.close();

  // The administrator's list names both roles, the reviewer's with its office.
  const adminContext = await env.browser.newContext(PROFILES.phone);
  const adminPage = await adminContext.newPage();
  await login(adminPage, env.server.url, 'quantri');
  const accounts = adminPage.getByTestId('accounts');
  await accounts.getByRole('cell', { name: 'vp-loc-an', exact: true }).waitFor();
  const row = accounts.getByRole('row').filter({ hasText: 'vp-loc-an' });
  // The office comes with the units, from the device's first pull: wait for it as a person would.
  await row.filter({ hasText: 'Thẩm định kế hoạch của cấp dưới (' }).waitFor({ timeout: 30_000 });
  assert.match(await row.innerText(), /Lập kế hoạch của đơn vị; Thẩm định kế hoạch của cấp dưới \(/);
  await adminPage.screenshot({ path: path.join(ROOT, 'target', 'screens', 'accounts-phone.png'), fullPage: true });
  await adminContext.close();
});
