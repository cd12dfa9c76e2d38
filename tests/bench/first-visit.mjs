// Time to a usable editor over an emulated slow link, first visit and repeat visit offline.
//
//   node tests/bench/first-visit.mjs            (run by scripts/bench-client.sh)
//
// The login is typed key by key at a phone's pace (TYPING_MS a key), as the app's download
// overlaps it. Uses the real server binary on a fresh demo database and Debian's Chromium, with Chrome
// DevTools Protocol throttling of the network (latency, bandwidth) and of the CPU (a cheap phone
// is several times slower than this machine). Prints a Markdown table for docs/BENCHMARKS.md.

import { TestServer, launchBrowser, DEMO_PASSWORD } from '../e2e/harness.mjs';
import { DEMO_UNITS } from './large-unit.mjs';

const PROFILES = [
  // Lighthouse's "regular 3G": what most of the district's communes get.
  { name: '3G (300 ms RTT, 1.6 Mbit/s down, 750 kbit/s up)', latency: 300, down: 1_600_000, up: 750_000 },
  // DevTools' "Slow 3G": a weak signal in the hills.
  { name: 'slow 3G (2 s RTT, 400 kbit/s down, 400 kbit/s up)', latency: 2000, down: 400_000, up: 400_000 },
];
const CPU_SLOWDOWN = 4;
const TYPING_MS = 200;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function throttle(page, profile) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: profile.latency,
    downloadThroughput: profile.down / 8,
    uploadThroughput: profile.up / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  return { bytes: () => bytes };
}

async function oneRun(browser, server, profile, username) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const net = await throttle(page, profile);

  // First visit: nothing cached. Usable = the login form drawn (the shell carries it).
  const t0 = Date.now();
  await page.goto(`${server.url}/dang-nhap`, { waitUntil: 'commit' });
  await page.getByLabel('Tên đăng nhập').waitFor({ timeout: 120_000 });
  const loginReady = Date.now() - t0;
  const firstVisitBytes = net.bytes();

  // Log in as a person on a phone would, about five characters a second (the app downloads
  // meanwhile), then start the plan: usable = the editor's inputs enabled.
  await page.getByLabel('Tên đăng nhập').click();
  await page.getByLabel('Tên đăng nhập').pressSequentially(username, { delay: TYPING_MS });
  await page.getByLabel('Mật khẩu').click();
  await page.getByLabel('Mật khẩu').pressSequentially(DEMO_PASSWORD, { delay: TYPING_MS });
  const t1 = Date.now();
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('button', { name: 'Lập kế hoạch' }).click({ timeout: 120_000 });
  await page.locator('#f-pool-total:enabled').waitFor({ timeout: 120_000 });
  const editorAfterLogin = Date.now() - t1;
  const editorFromOpen = Date.now() - t0;
  const planUrl = page.url();
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.close();

  // Repeat visit with no network at all.
  await context.setOffline(true);
  const again = await context.newPage();
  await throttle(again, profile);
  const t2 = Date.now();
  await again.goto(planUrl, { waitUntil: 'commit' });
  await again.locator('#f-pool-total:enabled').waitFor({ timeout: 120_000 });
  const offlineRepeat = Date.now() - t2;
  await context.close();
  return { loginReady, editorAfterLogin, editorFromOpen, offlineRepeat, firstVisitBytes };
}

const server = new TestServer();
server.seed();
await server.start();
const browser = await launchBrowser();
// Each run needs a unit that has no plan yet.
const units = [...DEMO_UNITS];
try {
  console.log(`| link (CPU ${CPU_SLOWDOWN}× slower) | first visit: login form usable | login typed → editor usable | page opened → editor usable | repeat visit offline: editor usable | transferred before the form |`);
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const profile of PROFILES) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await oneRun(browser, server, profile, units.shift()));
    const pick = (k) => median(runs.map((r) => r[k]));
    const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`| ${profile.name} | ${s(pick('loginReady'))} | ${s(pick('editorAfterLogin'))} | ${s(pick('editorFromOpen'))} | ${s(pick('offlineRepeat'))} | ${(pick('firstVisitBytes') / 1024).toFixed(1)} KB |`);
  }
  console.log(`\n(median of ${RUNS} runs each)`);
} finally {
  await browser.close();
  await server.dispose();
}
