// The product's promise, proved in a real browser against the real server binary:
// fill a plan with no network, close the tab, come back offline, and it syncs by itself —
// no duplicates, no silent overwrites, nothing lost.
//
// "Offline" here is both at once: the browser context is offline *and* the server process is
// stopped, so nothing can reach it by any path.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ApiClient, collectErrors, login, waitSynced, pendingCount, waitStored, withServerAndBrowser, validDocument,
  startPlanOnNewDevice, openPlanOnNewDevice,
} from './harness.mjs';

const env = withServerAndBrowser();
const startPlan = (username) => startPlanOnNewDevice(env, username);
const openOnSecondDevice = (username, planUrl) => openPlanOnNewDevice(env, username, planUrl);

/** Errors a page logged that are not the expected failures of requests while offline. */
function unexpected(errors) {
  return errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|Failed to load resource|Failed to fetch/.test(e));
}

const firstTargetTotal = (page) => page.locator('input[id^="f-targets-"][id$="-total"]').first();

test('a plan filled offline survives closing the page and syncs by itself exactly once', async () => {
  const { context, page, errors, planUrl } = await startPlan('loc-an');

  await context.setOffline(true);
  await env.server.stop();
  await page.getByTestId('connectivity').filter({ hasText: 'Mất mạng' }).waitFor();

  const solutions = 'Giao chỉ tiêu cho từng chi bộ thôn; mở lớp bồi dưỡng nhận thức về Đảng trong quý II.';
  await page.locator('#f-header-document_number').fill('07-KH/ĐU');
  await page.locator('#f-header-signer_name').fill("K' Điểu");
  await page.locator('#f-pool-total').fill('24');
  await page.locator('#f-pool-ethnic_minority').fill('11');
  await page.locator('#f-pool-women').fill('9');
  await firstTargetTotal(page).fill('6');
  await page.locator('#f-screening-members').fill('286');
  await page.locator('#f-sections-solutions').fill(solutions);
  assert.ok(await pendingCount(page) > 0, 'the changes wait in the outbox');
  // The last edit is on disk, so every earlier one is too (IndexedDB runs them in order).
  await waitStored(page, solutions);
  await page.close();

  // A new page, still with no network and no server: the service worker opens the app and
  // IndexedDB gives every value back.
  const again = await context.newPage();
  const againErrors = collectErrors(again);
  await again.goto(planUrl);
  await again.getByRole('heading', { name: 'Thông tin chung', exact: true }).waitFor();
  assert.equal(await again.locator('#f-header-document_number').inputValue(), '07-KH/ĐU');
  assert.equal(await again.locator('#f-header-signer_name').inputValue(), "K' Điểu");
  assert.equal(await again.locator('#f-pool-total').inputValue(), '24');
  assert.equal(await again.locator('#f-pool-ethnic_minority').inputValue(), '11');
  assert.equal(await again.locator('#f-pool-women').inputValue(), '9');
  assert.equal(await firstTargetTotal(again).inputValue(), '6');
  assert.equal(await again.locator('#f-screening-members').inputValue(), '286');
  assert.equal(await again.locator('#f-sections-solutions').inputValue(), solutions);
  assert.ok(await pendingCount(again) > 0, 'still unsynced');

  // The network comes back: the outbox drains with no click.
  await env.server.start();
  await context.setOffline(false);
  await waitSynced(again);

  const unit = new ApiClient(env.server.url);
  await unit.login('loc-an');
  const plans = await unit.plans();
  assert.equal(plans.length, 1, 'one plan on the server, not one per attempt');
  const doc = plans[0].document;
  assert.equal(doc.header.document_number, '07-KH/ĐU');
  assert.equal(doc.header.signer_name, "K' Điểu");
  assert.deepEqual([doc.pool.total, doc.pool.ethnic_minority, doc.pool.women], [24, 11, 9]);
  assert.equal(Object.values(doc.targets)[0].total, 6);
  assert.equal(doc.screening.members, 286);
  assert.equal(doc.sections.solutions, solutions);
  assert.deepEqual(unexpected([...errors, ...againErrors]), []);
  await context.close();
});

test('a server killed in the middle of a push: the retry applies nothing twice', async () => {
  const { context, page, planUrl } = await startPlan('loc-bao');
  const planId = planUrl.split('/').pop();

  // The first push reaches the server, which commits it and dies before its answer gets back.
  let answered = null;
  await page.route('**/api/v1/sync/push', async (route) => {
    if (answered) return route.continue();
    const response = await route.fetch();
    answered = await response.json();
    await env.server.stop('SIGKILL');
    await route.abort('connectionreset');
  });
  await page.locator('#f-screening-members').fill('174');
  await page.locator('#f-sections-solutions').fill('Phân công đảng viên kèm cặp quần chúng ưu tú.');
  await waitUntil(() => answered !== null, 'the push reached the server');
  const lastResult = Object.values(answered.results.at(-1))[0];
  const committedRevision = lastResult.plan.revision;
  assert.ok(await pendingCount(page) > 0, 'the device did not get the answer: still queued');

  await env.server.start();
  await waitSynced(page, 60_000);
  await page.unroute('**/api/v1/sync/push');

  const unit = new ApiClient(env.server.url);
  await unit.login('loc-bao');
  const plans = await unit.plans();
  assert.equal(plans.length, 1);
  assert.equal(plans[0].id, planId);
  assert.equal(plans[0].revision, committedRevision, 'the resent mutations changed nothing');
  assert.equal(plans[0].document.screening.members, 174);
  await context.close();
});

test('two devices of one unit offline: different fields merge, the same field shows a conflict', async () => {
  const first = await startPlan('loc-duc');
  const second = await openOnSecondDevice('loc-duc', first.planUrl);

  await first.context.setOffline(true);
  await second.context.setOffline(true);
  await first.page.locator('#f-screening-members').fill('243');
  await first.page.locator('#f-header-signer_name').fill('Nguyễn Văn Hùng');
  await second.page.locator('#f-pool-total').fill('30');
  await second.page.locator('#f-header-signer_name').fill('Trần Thị Mai');
  await waitStored(first.page, 'Nguyễn Văn Hùng');
  await waitStored(second.page, 'Trần Thị Mai');

  await first.context.setOffline(false);
  await waitSynced(first.page);
  await second.context.setOffline(false);
  const conflict = second.page.getByTestId('conflict');
  await conflict.waitFor({ timeout: 30_000 });
  assert.equal(await conflict.getByTestId('mine').innerText(), 'Trần Thị Mai');
  assert.equal(await conflict.getByTestId('theirs').innerText(), 'Nguyễn Văn Hùng');
  await waitSynced(second.page);
  // The other device's change to another field arrived and this one's was kept.
  assert.equal(await second.page.locator('#f-screening-members').inputValue(), '243');
  assert.equal(await second.page.locator('#f-pool-total').inputValue(), '30');

  const unit = new ApiClient(env.server.url);
  await unit.login('loc-duc');
  let [plan] = await unit.plans();
  assert.equal(plan.document.screening.members, 243);
  assert.equal(plan.document.pool.total, 30);
  assert.equal(plan.document.header.signer_name, 'Nguyễn Văn Hùng', 'the first to sync is kept until someone chooses');

  // The user chooses this device's value; it reaches the server and the other device.
  await conflict.getByRole('button', { name: 'Giữ giá trị của máy này' }).click();
  await second.page.getByTestId('conflict').waitFor({ state: 'detached' });
  await waitSynced(second.page);
  [plan] = await unit.plans();
  assert.equal(plan.document.header.signer_name, 'Trần Thị Mai');
  await first.page.getByRole('button', { name: 'Đồng bộ ngay' }).click();
  await first.page.waitForFunction(
    () => document.querySelector('#f-header-signer_name')?.value === 'Trần Thị Mai',
  );
  await first.context.close();
  await second.context.close();
});

test('a plan returned while the unit is offline shows the comment next to its field', async () => {
  const unit = new ApiClient(env.server.url);
  await unit.login('mttq');
  const [campaign] = await unit.campaigns();
  const planId = await unit.submitNewPlan(campaign, validDocument(campaign));

  // This unit works on a phone: 360 px wide.
  const context = await env.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await login(page, env.server.url, 'mttq');
  await page.getByRole('link', { name: 'Mở kế hoạch' }).click();
  await page.getByTestId('plan-status').filter({ hasText: 'Đã nộp' }).waitFor();
  await context.setOffline(true);

  const reviewer = new ApiClient(env.server.url);
  await reviewer.login('bantochuc');
  const body = 'Nguồn còn ít so với số đoàn viên; đề nghị rà soát lại tổng số nguồn.';
  const [submitted] = await unit.plans();
  const result = await reviewer.push(planId, submitted.revision, {
    return: { comments: [{ id: crypto.randomUUID(), path: 'pool.total', body }] },
  });
  assert.equal(result.kind, 'applied', JSON.stringify(result));

  await context.setOffline(false);
  const note = page.locator('#s-pool').getByTestId('field-comment');
  await note.waitFor({ timeout: 30_000 });
  assert.match(await note.innerText(), new RegExp(body));
  await page.getByTestId('plan-status').filter({ hasText: 'Bị trả lại' }).waitFor();
  assert.match(await page.getByTestId('comment').first().innerText(), new RegExp(body));
  assert.equal(await page.locator('#f-pool-total').isDisabled(), false, 'the unit can revise it');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page fits a 360-px screen (the grids scroll inside), overflow ${overflow}px`);

  // The unit revises the commented figure and resubmits.
  await page.locator('#f-pool-total').fill('6');
  await page.getByRole('button', { name: 'Nộp lại kế hoạch' }).click();
  // The dialog names the office that reviews this plan, from the district's unit record.
  await page.getByRole('alertdialog', { name: 'Nộp kế hoạch cho Ban Tổ chức Huyện ủy?' }).waitFor();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Nộp', exact: true }).click();
  await page.getByTestId('plan-status').filter({ hasText: 'Đã nộp' }).waitFor();
  await waitSynced(page);
  const [plan] = await unit.plans();
  assert.equal(plan.status, 'submitted');
  assert.equal(plan.document.pool.total, 6);
  await context.close();
});

test('invalid input shows exactly the messages the server gives', async () => {
  const { context, page, planUrl } = await startPlan('thpt-loc-thanh');
  const planId = planUrl.split('/').pop();

  // The grid is quick to fill from the keyboard: arrows move between its cells.
  await page.locator('#f-pool-total').focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-pool-ethnic_minority');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-pool-total');

  await page.locator('#f-progress-applied').fill('-2');
  await page.locator('#f-pool-total').fill('5');
  await page.locator('#f-pool-women').fill('9');
  await page.locator('#f-screening-members').fill('hai mươi');
  const women = page.locator('#s-pool .field-error, #s-pool [data-testid=field-message]');
  await women.first().waitFor();
  // Each field is marked once its own messages are drawn, right after the frame that showed
  // the last key: wait for each rather than read them at the moment the first one shows (the
  // screening field, typed last, was read a frame early about one run in a few).
  for (const id of ['f-pool-women', 'f-screening-members', 'f-progress-applied']) {
    await page.locator(`#${id}[aria-invalid="true"]`).waitFor({ timeout: 5_000 });
  }
  // Submitting with errors does not submit: it shows every error, touched fields or not.
  await page.getByRole('button', { name: 'Nộp kế hoạch' }).click();
  assert.equal(await page.getByRole('alertdialog').count(), 0, 'no submit with errors');
  await page.locator('[data-testid=finding][data-path="header.document_number"]').waitFor();
  await waitSynced(page);

  const shown = await page.locator('[data-testid=finding].field-error').evaluateAll((items) =>
    items.map((li) => `${li.dataset.path} | ${li.querySelector('.finding-message').textContent}`).sort());
  for (const path of ['progress.applied', 'pool.women', 'screening.members']) {
    assert.ok(shown.some((s) => s.startsWith(`${path} |`)), `an error at ${path}: ${shown.join('\n')}`);
  }

  // The server, asked to accept this plan, refuses it with the same messages.
  const unit = new ApiClient(env.server.url);
  await unit.login('thpt-loc-thanh');
  const [plan] = await unit.plans();
  assert.equal(plan.id, planId);
  const result = await unit.push(planId, plan.revision, { submit: { submitted_at: new Date().toISOString() } });
  assert.equal(result.kind, 'rejected', JSON.stringify(result));
  const server_said = result.findings.map((f) => `${f.path} | ${f.message}`).sort();
  assert.deepEqual(shown, server_said);
  await context.close();
});

test('a new version is announced and takes over without losing unsynced edits', async () => {
  const { context, page, planUrl } = await startPlan('loc-nam');
  await context.setOffline(true);
  await page.locator('#f-header-document_number').fill('11-KH/ĐU');
  await waitStored(page, '11-KH/ĐU');

  // A new build is deployed while this device is offline with an edit waiting.
  const newSite = env.server.copySite();
  const sw = path.join(newSite, 'sw.js');
  writeFileSync(sw, readFileSync(sw, 'utf8').replace(/const VERSION = '([^']*)'/, "const VERSION = '$1-next'"));
  await env.server.stop();
  env.server.env.TAONGUON_SITE_DIR = newSite;
  await env.server.start();
  await context.setOffline(false);
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
  const banner = page.getByTestId('update-ready');
  await banner.waitFor({ timeout: 30_000 });
  // The open editor keeps working while the new version waits.
  await page.locator('#f-header-signer_name').fill('Ka Sô');

  // Listen before clicking: the reload can finish before a listener added after the click.
  await Promise.all([
    page.waitForEvent('load', { timeout: 30_000 }),
    banner.getByRole('button', { name: 'Cập nhật ngay' }).click(),
  ]);
  await page.getByRole('heading', { name: 'Thông tin chung', exact: true }).waitFor();
  assert.equal(page.url(), planUrl);
  assert.equal(await page.locator('#f-header-document_number').inputValue(), '11-KH/ĐU');
  assert.equal(await page.locator('#f-header-signer_name').inputValue(), 'Ka Sô');
  assert.equal(await page.getByTestId('update-ready').count(), 0);
  await waitSynced(page);
  const unit = new ApiClient(env.server.url);
  await unit.login('loc-nam');
  const [plan] = await unit.plans();
  assert.equal(plan.document.header.document_number, '11-KH/ĐU');
  assert.equal(plan.document.header.signer_name, 'Ka Sô');
  await context.close();
});

async function waitUntil(predicate, what, timeout = 30_000) {
  const end = Date.now() + timeout;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
