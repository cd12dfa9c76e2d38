// A phone that was offline while the server moved to document version 2: its storage holds what
// a first-release client wrote (documents at version 1, meta without a schema, a cursor past
// a campaign that release was never sent), plus edits typed offline and not yet sent. The new
// client opens it offline, shows every keystroke, and once the network is back sends them and
// pulls what the old one could not read — nothing lost, no duplicate.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiClient, collectErrors, pendingCount, settled, startPlanOnNewDevice, waitStored, waitSynced,
  withServerAndBrowser,
} from './harness.mjs';

const env = withServerAndBrowser();

/** Rewrites the user's IndexedDB as a first-release client left it. Runs in a same-origin page
 *  where the app is not running, so nothing writes meanwhile. */
async function toFirstReleaseStorage(page, { cursor, hiddenCampaign }) {
  return page.evaluate(async ({ cursor, hiddenCampaign }) => {
    const dbs = await indexedDB.databases();
    const name = dbs.map((d) => d.name).find((d) => d?.startsWith('tao-nguon-'));
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open(name);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const tx = db.transaction('kv', 'readwrite');
    const kv = tx.objectStore('kv');
    const all = await new Promise((resolve, reject) => {
      const keys = kv.getAllKeys();
      const values = kv.getAll();
      values.onsuccess = () => resolve(keys.result.map((k, i) => [k, values.result[i]]));
      values.onerror = () => reject(values.error);
    });
    let plans = 0;
    let pending = 0;
    for (const [key, text] of all) {
      const value = JSON.parse(text);
      if (key === 'meta') {
        delete value.schema;
        value.cursor = cursor;
        pending = value.outbox.length;
        for (const entry of value.outbox) {
          if (entry.mutation.op.create) entry.mutation.op.create.document.schema_version = 1;
        }
      } else if (key === 'reference') {
        delete value.campaigns[hiddenCampaign];
      } else if (String(key).startsWith('plan:')) {
        value.working.schema_version = 1;
        if (value.base) value.base.document.schema_version = 1;
        plans += 1;
      } else {
        continue;
      }
      kv.put(JSON.stringify(value), key);
    }
    // Earlier releases never wrote the version their data was brought to.
    kv.delete('schema');
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
    db.close();
    return { plans, pending };
  }, { cursor, hiddenCampaign });
}

test('a device offline across the move to document version 2 loses nothing', async () => {
  const { context, page, errors, planUrl } = await startPlanOnNewDevice(env, 'thpt-loc-thanh', { profile: 'phone' });
  const signer = page.getByLabel('Người ký', { exact: true });
  await signer.click();
  await signer.pressSequentially('Ka Hoa', { delay: 80 });
  await waitSynced(page);

  // The network drops; the secretary keeps typing.
  await context.setOffline(true);
  const notes = page.getByLabel('Kiến nghị, ghi chú');
  await notes.click();
  await notes.pressSequentially('Đề nghị mở lớp nhận thức ở thôn 3', { delay: 60 });
  await page.getByLabel('Số đảng viên hiện có').pressSequentially('41', { delay: 120 });
  await settled(page);
  await waitStored(page, 'thôn 3');
  assert.ok(await pendingCount(page) >= 2, 'the offline edits wait');

  // Meanwhile the district opens a campaign with coverage indicators, which a first-release
  // client would not have been sent (its pull skipped past it).
  const reviewer = new ApiClient(env.server.url);
  await reviewer.login('bantochuc');
  const opened = await reviewer.call('POST', '/api/v1/campaigns', {
    id: crypto.randomUUID(),
    letter_number: '22-CV/HU',
    letter_date: '2022-01-12',
    title: 'Tạo nguồn ở thôn chưa có chi bộ',
    term: { start_year: 2020, end_year: 2025 },
    years: [2022, 2023],
    deadline: '2022-02-20',
    term_total_rule: 'at_least',
    coverage: ['hamlets', 'hamlets_without_cell'],
  });
  const seqOfHidden = (await reviewer.pullAll())
    .find((c) => c.campaign && c.campaign.campaign.id === opened.campaign.id).campaign.seq;

  // The old client's storage, left as it was when the page closed.
  await page.close();
  await context.setOffline(false);
  const plain = await context.newPage();
  await plain.goto(`${env.server.url}/healthz`);
  const rewritten = await toFirstReleaseStorage(plain, { cursor: seqOfHidden, hiddenCampaign: opened.campaign.id });
  assert.equal(rewritten.plans, 1);
  assert.ok(rewritten.pending >= 2, `the outbox still holds the offline edits (${rewritten.pending})`);
  await plain.close();

  // The new client opens offline on the phone: every keystroke is there, and no complaint
  // about the document's version.
  await context.setOffline(true);
  const again = await context.newPage();
  const againErrors = collectErrors(again);
  await again.goto(planUrl);
  await again.getByRole('heading', { name: 'Thông tin chung', exact: true }).waitFor();
  assert.equal(await again.getByLabel('Kiến nghị, ghi chú').inputValue(), 'Đề nghị mở lớp nhận thức ở thôn 3');
  assert.equal(await again.getByLabel('Số đảng viên hiện có').inputValue(), '41');
  assert.equal(await again.getByLabel('Người ký', { exact: true }).inputValue(), 'Ka Hoa');
  assert.equal(await again.getByText('chỉ hiểu phiên bản').count(), 0, 'no complaint about the version of the document');
  assert.ok(await pendingCount(again) >= 2);

  // Back online: the edits reach the server once, and the campaign the old client skipped
  // arrives (the upgraded device pulled again from the start).
  await context.setOffline(false);
  await again.evaluate(() => window.dispatchEvent(new Event('online')));
  await waitSynced(again);
  const unit = new ApiClient(env.server.url);
  await unit.login('thpt-loc-thanh');
  const plans = await unit.plans();
  assert.equal(plans.length, 1, 'one plan, no duplicate');
  assert.equal(plans[0].document.sections.notes, 'Đề nghị mở lớp nhận thức ở thôn 3');
  assert.equal(plans[0].document.screening.members, 41);
  assert.equal(plans[0].document.header.signer_name, 'Ka Hoa');
  assert.equal(plans[0].document.schema_version, 2);
  await again.goto(`${env.server.url}/`);
  await again.locator('li.campaign', { hasText: '22-CV/HU' }).waitFor({ timeout: 30_000 });
  await waitStored(again, '"schema":2');

  const real = (list) => list.filter((e) => !/Failed to load resource|net::ERR/.test(e));
  assert.deepEqual(real(errors), []);
  assert.deepEqual(real(againErrors), []);
  await context.close();
});
