// Faults of the device itself: storage that fills up, and clocks that are hours wrong.
// (A new version deployed while edits wait is in offline.test.mjs.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiClient, collectErrors, login, waitSynced, waitStored, withServerAndBrowser, validDocument,
  startPlanOnNewDevice, openPlanOnNewDevice,
} from './harness.mjs';

const env = withServerAndBrowser();

test('storage full: the edit stays on screen, the user is told, and nothing is lost once space returns', async () => {
  const { context, page, planUrl } = await startPlanOnNewDevice(env, 'loc-bac');
  // Storage fills up: from now on IndexedDB refuses writes with QuotaExceededError, as the
  // browser does when the site's quota is used up. (DevTools' quota override does not reach
  // IndexedDB in headless Chromium, so the refusal is made where the browser would make it.)
  const diskFull = (full) => page.evaluate((on) => {
    if (!window.__tnPut) {
      window.__tnPut = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function put(...args) {
        if (window.__tnDiskFull) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return window.__tnPut.apply(this, args);
      };
    }
    window.__tnDiskFull = on;
  }, full);

  try {
    // No network either: nothing but the device holds the edit.
    await context.setOffline(true);
    await env.server.stop();
    await diskFull(true);
    await page.locator('#f-header-document_number').fill('15-KH/ĐU');
    const full = page.getByRole('alert').filter({ hasText: 'Không lưu được vào bộ nhớ của máy' });
    await full.waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('#f-header-document_number').inputValue(), '15-KH/ĐU', 'still on screen');

    // Space comes back (the user cleared some); the next edit saves both.
    await diskFull(false);
    await page.locator('#f-header-signer_name').fill("Điểu K'Lây");
    await full.waitFor({ state: 'detached', timeout: 15_000 });
    await waitStored(page, '15-KH/ĐU');
    await waitStored(page, "Điểu K'Lây");

    // Reopened with no network: both edits come back from the device.
    await page.close();
    const again = await context.newPage();
    await again.goto(planUrl);
    await again.getByRole('heading', { name: 'Thông tin chung', exact: true }).waitFor();
    assert.equal(await again.locator('#f-header-document_number').inputValue(), '15-KH/ĐU');
    assert.equal(await again.locator('#f-header-signer_name').inputValue(), "Điểu K'Lây");

    await env.server.start();
    await context.setOffline(false);
    await waitSynced(again);
    const unit = new ApiClient(env.server.url);
    await unit.login('loc-bac');
    const [plan] = await unit.plans();
    assert.equal(plan.document.header.document_number, '15-KH/ĐU');
    assert.equal(plan.document.header.signer_name, "Điểu K'Lây");
  } finally {
    // The next test needs the server whatever happened here.
    if (!env.server.proc || env.server.proc.exitCode !== null) await env.server.start();
    await context.close();
  }
});

test('device clocks hours wrong: the server orders the edits, and a submission is never dated after it arrived', async () => {
  // A valid plan, made through the API, so the devices can submit it.
  const api = new ApiClient(env.server.url);
  await api.login('mttq');
  const [campaign] = await api.campaigns();
  const planId = crypto.randomUUID();
  const created = await api.push(planId, 0, {
    create: { unit_id: api.me.unit_id, campaign_id: campaign.id, document: validDocument(campaign) },
  });
  assert.equal(created.kind, 'applied', JSON.stringify(created));
  const planUrl = `${env.server.url}/ke-hoach/${planId}`;

  // Device A's clock is 30 hours fast; device B's 10 hours slow.
  const a = await openPlanOnNewDevice(env, 'mttq', planUrl, { skewHours: 30 });
  const b = await openPlanOnNewDevice(env, 'mttq', planUrl, { skewHours: -10 });
  assert.ok(await a.page.evaluate(() => new Date().getTime() - performance.timeOrigin - performance.now()) > 29 * 3_600_000,
    'device A really runs 30 hours fast');

  await a.page.locator('#f-header-signer_name').fill('Người ký A');
  await waitSynced(a.page);
  await b.page.getByRole('button', { name: 'Đồng bộ ngay' }).click();
  await waitSynced(b.page);
  assert.equal(await b.page.locator('#f-header-signer_name').inputValue(), 'Người ký A');
  // B edits after A, although by its clock 40 hours earlier: B's value is the later one.
  await b.page.locator('#f-header-signer_name').fill('Người ký B');
  await waitSynced(b.page);
  await a.page.getByRole('button', { name: 'Đồng bộ ngay' }).click();
  await waitSynced(a.page);
  await a.page.waitForFunction(() => document.querySelector('#f-header-signer_name')?.value === 'Người ký B', null, { timeout: 15_000 });
  assert.equal(await a.page.getByTestId('conflict').count(), 0, 'no conflict: B edited A\'s value');

  // A (30 hours fast) submits: the server keeps the device's time only within what it saw.
  const before = Date.now();
  await a.page.getByRole('button', { name: 'Nộp kế hoạch' }).click();
  await a.page.getByRole('button', { name: 'Nộp', exact: true }).click();
  await waitSynced(a.page);
  const after = Date.now();
  const plan = (await api.plans()).find((p) => p.id === planId);
  assert.equal(plan.status, 'submitted');
  assert.equal(plan.document.header.signer_name, 'Người ký B');
  const deviceTime = Date.parse(plan.submitted_at_device);
  const received = Date.parse(plan.received_at);
  assert.ok(deviceTime <= received, `device time ${plan.submitted_at_device} is not after arrival ${plan.received_at}`);
  assert.ok(received >= before - 1000 && received <= after + 1000, 'arrival is the server\'s time');
  await a.context.close();
  await b.context.close();
});

test('markup typed into a plan is shown as text to the reviewer and on the printout, never run', async () => {
  const attack = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  const api = new ApiClient(env.server.url);
  await api.login('thpt-loc-thanh');
  const [campaign] = await api.campaigns();
  const planId = crypto.randomUUID();
  const document = validDocument(campaign);
  document.sections.solutions = attack;
  document.header.signer_name = '<b>Ka Hoa</b>';
  let result = await api.push(planId, 0, { create: { unit_id: api.me.unit_id, campaign_id: campaign.id, document } });
  assert.equal(result.kind, 'applied', JSON.stringify(result));
  result = await api.push(planId, result.plan.revision, { submit: { submitted_at: new Date().toISOString() } });
  assert.equal(result.kind, 'applied', JSON.stringify(result));

  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  await login(page, env.server.url, 'bantochuc');
  // The review screen: the text is the field's value, character for character.
  await page.goto(`${env.server.url}/ke-hoach/${planId}`);
  const solutions = page.locator('#f-sections-solutions');
  await page.waitForFunction((want) => document.querySelector('#f-sections-solutions')?.value === want, attack, { timeout: 30_000 });
  assert.equal(await solutions.inputValue(), attack);
  assert.equal(await page.locator('#f-header-signer_name').inputValue(), '<b>Ka Hoa</b>');
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'review: nothing ran');
  // The printout: the text is text.
  await page.goto(`${env.server.url}/in/ke-hoach/${planId}`);
  await page.getByText(attack, { exact: false }).first().waitFor({ timeout: 30_000 });
  await page.getByText('<b>Ka Hoa</b>', { exact: false }).first().waitFor();
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'print: nothing ran');
  assert.equal(await page.locator('img[src="x"]').count(), 0, 'no element was made from the text');
  assert.deepEqual(errors.filter((e) => /Content Security Policy|pwned/.test(e)), [], 'no CSP violation');
  await context.close();
});
