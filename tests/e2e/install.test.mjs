// The app can be added to a phone's home screen and opened from there with no network: the
// manifest is found and valid, Chromium reports nothing that stops installation, and what the
// launcher shows (manifest and icons) comes from the service worker's cache offline.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectErrors, persistentDevice, withServerAndBrowser } from './harness.mjs';

const env = withServerAndBrowser();

test('Chromium on a phone reports the app installable, and its icons work offline', async () => {
  // A browser profile on disk: an incognito one (every other test's) cannot install anything.
  const phone = await persistentDevice('phone');
  const page = phone.pages()[0] ?? await phone.newPage();
  const errors = collectErrors(page);
  await page.goto(`${env.server.url}/`);
  await page.getByLabel('Tên đăng nhập').waitFor();
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  const cdp = await phone.newCDPSession(page);

  const manifest = await cdp.send('Page.getAppManifest');
  assert.deepEqual(manifest.errors, [], JSON.stringify(manifest.errors));
  assert.ok(manifest.url.endsWith('/manifest.webmanifest'), manifest.url);
  const parsed = JSON.parse(manifest.data);
  assert.equal(parsed.short_name, 'Tạo Nguồn');
  assert.equal(parsed.display, 'standalone');

  // Chromium checks the manifest, its icons and the service worker; the list must be empty.
  let problems = null;
  for (let attempt = 0; attempt < 20; attempt += 1) {
    ({ installabilityErrors: problems } = await cdp.send('Page.getInstallabilityErrors'));
    if (problems.length === 0) break;
    await page.waitForTimeout(250);
  }
  assert.deepEqual(problems, [], JSON.stringify(problems));

  // Opened from the home screen with no network: the start URL, the manifest and the icons
  // all come from the cache.
  await phone.setOffline(true);
  const offline = await page.evaluate(async () => {
    const out = {};
    for (const url of ['/manifest.webmanifest', '/icons/icon-192.png', '/icons/maskable-512.png']) {
      const res = await fetch(url);
      out[url] = res.status;
    }
    return out;
  });
  assert.deepEqual(offline, { '/manifest.webmanifest': 200, '/icons/icon-192.png': 200, '/icons/maskable-512.png': 200 });
  await page.reload();
  await page.getByLabel('Tên đăng nhập').waitFor();

  const real = errors.filter((e) => !/Failed to load resource|net::ERR/.test(e));
  assert.deepEqual(real, []);
  await phone.close();
});
