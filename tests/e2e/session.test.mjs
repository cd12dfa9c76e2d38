// Sessions on shared and unreliable devices: an expired session keeps the outbox and asks for
// a new login; logging out with unsynced changes warns first; each user's data is kept apart.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiClient, login, waitSynced, pendingCount, waitStored, withServerAndBrowser,
} from './harness.mjs';

const env = withServerAndBrowser();

async function startPlan(page, username) {
  await login(page, env.server.url, username);
  await page.getByRole('button', { name: 'Lập kế hoạch' }).click();
  await page.getByRole('heading', { name: 'Thông tin chung', exact: true }).waitFor();
  await waitSynced(page);
}

test('an expired session keeps the unsynced changes and asks to log in again', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await startPlan(page, 'loc-lam');
  const planUrl = page.url();

  // Every session is invalidated (the server restarts with a new session key) while the
  // user keeps typing.
  await env.server.stop();
  env.server.env.TAONGUON_SESSION_SECRET = 'e2e-another-session-secret-fedcba9876543210';
  await env.server.start();
  await page.locator('#f-screening-members').fill('131');
  await page.getByRole('alert').filter({ hasText: 'Phiên đăng nhập đã hết hạn' }).waitFor({ timeout: 30_000 });
  assert.equal(await pendingCount(page), 1, 'the change is kept, not dropped');

  await page.getByRole('link', { name: 'đăng nhập lại' }).click();
  await page.getByLabel('Tên đăng nhập').fill('loc-lam');
  await page.getByLabel('Mật khẩu').fill('taonguon2022');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((url) => url.pathname === '/ke-hoach');
  await waitSynced(page);
  await page.goto(planUrl);
  assert.equal(await page.locator('#f-screening-members').inputValue(), '131');
  const unit = new ApiClient(env.server.url);
  await unit.login('loc-lam');
  const [plan] = await unit.plans();
  assert.equal(plan.document.screening.members, 131);
  await context.close();
});

test('logging out with unsynced changes warns; each user on a shared device sees only their own data', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await startPlan(page, 'loc-phu');

  await context.setOffline(true);
  await page.locator('#f-header-document_number').fill('09-KH/ĐU');
  await waitStored(page, '09-KH/ĐU');
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Còn thay đổi chưa đồng bộ' });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /1 thay đổi chưa gửi/);
  await dialog.getByRole('button', { name: 'Ở lại và đồng bộ' }).click();
  assert.equal(await page.locator('#f-header-document_number').inputValue(), '09-KH/ĐU');

  await context.setOffline(false);
  await waitSynced(page);
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.waitForURL((url) => url.pathname === '/dang-nhap');
  const left = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  assert.ok(!left.some((n) => n.startsWith('tao-nguon-')), `the user's local data is gone: ${left}`);

  // The next person on this browser starts clean.
  await login(page, env.server.url, 'loc-quang');
  await page.getByRole('button', { name: 'Lập kế hoạch' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Mở kế hoạch' }).count(), 0);
  assert.match(await page.locator('.unit-name').innerText(), /Lộc Quảng/);
  await context.close();
});
