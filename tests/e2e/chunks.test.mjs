// The reviewers' and the administrator's screens are WebAssembly chunks of their own (issue 16):
// a unit's phone never downloads them; a reviewer's device gets them with its login, keeps them
// through a new version, and opens them with no network; a chunk that cannot be fetched leaves
// the app running and says so.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ApiClient, collectErrors, login, newDevice, validDocument, waitSynced, withServerAndBrowser,
} from './harness.mjs';

const env = withServerAndBrowser();
// The role chunks (the editor's chunk is everyone's).
const ROLE_CHUNK = /\/split_(review|admin)\.wasm$/;

/** The paths in this app's service worker caches, by cache name. */
function cached(page) {
  return page.evaluate(async () => {
    const out = {};
    for (const name of await caches.keys()) {
      if (!name.startsWith('tao-nguon-')) continue;
      const cache = await caches.open(name);
      out[name] = (await cache.keys()).map((r) => new URL(r.url).pathname);
    }
    return out;
  });
}

async function waitCached(page, pattern, what) {
  const end = Date.now() + 30_000;
  for (;;) {
    const files = Object.values(await cached(page)).flat();
    if (files.some((f) => pattern.test(f))) return files;
    if (Date.now() > end) throw new Error(`not cached: ${what}; cached: ${files.join(', ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The role chunks the service worker notes this device keeps, once the page has said. */
async function keptChunks(page) {
  const end = Date.now() + 30_000;
  for (;;) {
    const kept = await page.evaluate(async () => {
      const hit = await (await caches.open('tn-notes')).match('/__kept-chunks');
      return hit ? hit.json() : null;
    });
    if (kept !== null) return kept;
    if (Date.now() > end) throw new Error('the page never told the worker what to keep');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Deploys a new build: a copy of the site whose build directory has another name (as the
 *  next build's would), the shell's manifest and the worker naming it. Returns the name. */
async function deployNewBuild(server) {
  const site = server.copySite();
  const pkg = path.join(site, 'pkg');
  const old = readdirSync(pkg).find((d) => /^b-/.test(d) && readFileSync(path.join(pkg, 'manifest.json'), 'utf8').includes(d));
  const next = `${old}n`;
  renameSync(path.join(pkg, old), path.join(pkg, next));
  for (const file of [path.join(pkg, 'manifest.json'), path.join(site, 'sw.js')]) {
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll(old, next).replace(/const VERSION = '([^']*)'/, "const VERSION = '$1-next'"));
  }
  await server.stop();
  server.env.TAONGUON_SITE_DIR = site;
  await server.start();
  return next;
}

/** Errors that are only requests failing while offline. */
const unexpected = (errors) => errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|Failed to load resource|Failed to fetch/.test(e));

test("a unit's phone never fetches the reviewers' screens; a reviewer's device keeps them and opens them offline", async () => {
  // A unit's editor on a phone: log in, start the plan, wait for the sync and the cache.
  const phone = await newDevice(env, { profile: 'phone' });
  const fetched = [];
  phone.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  const unitPage = await phone.newPage();
  await login(unitPage, env.server.url, 'loc-nam');
  await unitPage.getByRole('button', { name: 'Lập kế hoạch' }).click();
  await unitPage.waitForURL(/\/ke-hoach\/[0-9a-f-]{36}$/);
  await unitPage.getByRole('heading', { name: 'Thông tin chung', exact: true }).waitFor();
  await waitSynced(unitPage);
  await waitCached(unitPage, /\/tao-nguon_bg\.wasm$/, 'the main module');
  await unitPage.goto(`${env.server.url}/ke-hoach`);
  await unitPage.getByRole('link', { name: 'Mở kế hoạch' }).waitFor();
  assert.deepEqual(await keptChunks(unitPage), [], 'a unit keeps no role chunk');
  const unitCache = Object.values(await cached(unitPage)).flat();
  assert.deepEqual(fetched.filter((f) => ROLE_CHUNK.test(f)), [], 'the unit fetched no reviewer or administrator chunk');
  assert.deepEqual(unitCache.filter((f) => ROLE_CHUNK.test(f)), [], 'the unit keeps none');
  await phone.close();

  // Another unit's plan, submitted, for the reviewer to open.
  const unit = new ApiClient(env.server.url);
  await unit.login('mttq');
  const [campaign] = await unit.campaigns();
  const planId = await unit.submitNewPlan(campaign, validDocument(campaign));
  const planUrl = `${env.server.url}/ke-hoach/${planId}`;

  // The reviewer logs in online: the board arrives with its chunk, which the worker keeps.
  const pc = await newDevice(env, { profile: 'pc' });
  const page = await pc.newPage();
  await login(page, env.server.url, 'bantochuc');
  await page.getByTestId('board').locator('tr[data-unit="CB-MTTQ"]').getByText('Đã nộp đúng hạn').waitFor({ timeout: 30_000 });
  await waitCached(page, /\/split_review\.wasm$/, 'the review chunk');
  assert.deepEqual(await keptChunks(page), ['review']);
  await page.goto(planUrl);
  await page.getByTestId('review').waitFor();
  await waitSynced(page);

  // No network, no server: every reviewer's screen still opens, from the cache.
  await pc.setOffline(true);
  await env.server.stop();
  const offline = await pc.newPage();
  const errors = collectErrors(offline);
  await offline.goto(`${env.server.url}/tong-hop`);
  await offline.getByTestId('board').locator('tr[data-unit="CB-MTTQ"]').waitFor();
  await offline.goto(planUrl);
  await offline.getByTestId('review').getByLabel('Nhận xét').waitFor();
  await offline.goto(`${env.server.url}/in/tong-hop/${campaign.id}`);
  await offline.getByRole('heading', { name: /BÁO CÁO/ }).waitFor();
  assert.deepEqual(unexpected(errors), []);
  await pc.close();
  await env.server.start();
});

test('a chunk that cannot be fetched leaves the app running, says so, and loads on retry', async () => {
  // No service worker: the page fetches the chunk itself, where the test can stop it.
  const context = await env.browser.newContext({ serviceWorkers: 'block' });
  let blocked = true;
  await context.route(/\/split_review\.wasm$/, (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
  const page = await context.newPage();
  await login(page, env.server.url, 'bantochuc');
  const failed = page.getByRole('alert').filter({ hasText: 'Chưa tải được phần này của ứng dụng' });
  await failed.waitFor();
  // The rest of the app still answers: the navigation, the connectivity badge.
  await page.getByTestId('connectivity').waitFor();
  await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link').first().waitFor();

  blocked = false;
  await failed.getByRole('button', { name: 'Thử lại' }).click();
  await page.getByTestId('board').waitFor();
  assert.equal(await failed.count(), 0);
  await context.close();
});

test("a new version precaches the reviewer's chunk of its own build; a tab left on the old one still opens its screens offline", async () => {
  const context = await newDevice(env, { profile: 'phone' });
  const page = await context.newPage();
  await login(page, env.server.url, 'bantochuc');
  await page.getByTestId('board').waitFor();
  await waitCached(page, /\/split_review\.wasm$/, 'the review chunk');
  // A second tab, left on the board: it will not take the update.
  const oldTab = await context.newPage();
  const oldTabErrors = collectErrors(oldTab);
  await oldTab.goto(`${env.server.url}/tong-hop`);
  await oldTab.getByTestId('board').locator('tr[data-unit="CB-MTTQ"]').waitFor();

  // The next build is deployed; the first tab is told and takes it.
  const build = await deployNewBuild(env.server);
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
  const banner = page.getByTestId('update-ready');
  await banner.waitFor({ timeout: 30_000 });
  // The waiting version holds the chunk of its own build already: precached at its install
  // because this device keeps it (the pages, still run by the old version, fetched nothing of
  // the new build).
  const waiting = Object.entries(await cached(page)).filter(([name]) => name.endsWith('-next'));
  assert.equal(waiting.length, 1, JSON.stringify(Object.keys(await cached(page))));
  assert.ok(waiting[0][1].includes(`/pkg/${build}/split_review.wasm`), waiting[0][1].join(', '));
  await Promise.all([
    page.waitForEvent('load', { timeout: 30_000 }),
    banner.getByRole('button', { name: 'Cập nhật ngay' }).click(),
  ]);
  await page.getByTestId('board').waitFor();
  // The new version's cache and the one before it, for the tab still running that one.
  const names = Object.keys(await cached(page));
  assert.equal(names.length, 2, names.join(', '));
  assert.ok(names.some((n) => n.endsWith('-next')), names.join(', '));

  await context.setOffline(true);
  await env.server.stop();
  // The old tab opens a plan (its editor is a chunk of the old build) and the review panel.
  await oldTab.getByTestId('board').locator('tr[data-unit="CB-MTTQ"]').getByRole('link').click();
  await oldTab.getByRole('heading', { name: 'Thông tin chung', exact: true }).waitFor();
  await oldTab.getByTestId('review').waitFor();
  assert.equal(await oldTab.getByText('Chưa tải được phần này').count(), 0);
  assert.deepEqual(unexpected(oldTabErrors), []);
  // And the updated tab opens offline on the new build.
  const errors = collectErrors(page);
  await page.reload();
  await page.getByTestId('board').waitFor();
  assert.deepEqual(unexpected(errors), []);
  await context.close();
  await env.server.start();
});
