// Test harness for the browser tests: starts the real server binary on a fresh SQLite file
// seeded with the demo district, and launches Debian's Chromium through playwright-core.
//
// The server can be stopped (SIGTERM or SIGKILL) and started again on the same port and
// database, which is how the offline tests cut the network for real.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, cpSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = process.env.TAONGUON_BIN ?? path.join(ROOT, 'target', 'debug', 'tao-nguon');
const SITE = process.env.TAONGUON_SITE_DIR ?? path.join(ROOT, 'target', 'site');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export class TestServer {
  constructor() {
    this.dir = mkdtempSync(path.join(tmpdir(), 'tao-nguon-e2e-'));
    this.env = {
      ...process.env,
      DATABASE_URL: `sqlite://${path.join(this.dir, 'e2e.db')}?mode=rwc`,
      TAONGUON_SITE_DIR: SITE,
      TAONGUON_LOG: 'warn,server=info',
      TAONGUON_LISTEN: '127.0.0.1:0',
      // Fixed so that sessions survive the restarts the offline tests make.
      TAONGUON_SESSION_SECRET: 'e2e-only-session-secret-0123456789abcdef',
    };
    this.proc = null;
    this.url = null;
  }

  /** Seeds a demo (`2022`: the Bảo Lâm district; `2025`: the province → commune shape);
   *  returns the printed report. */
  seed(shape = '2022') {
    if (!existsSync(BIN)) throw new Error(`server binary missing: ${BIN} (cargo build -p server)`);
    const out = spawnSync(BIN, ['seed-demo', '--shape', shape], { env: this.env, encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`seed-demo failed: ${out.stderr}`);
    return out.stdout;
  }

  /** Starts the server; on a restart it reuses the first port so pages can reconnect. */
  async start() {
    const env = { ...this.env };
    if (this.url) env.TAONGUON_LISTEN = new URL(this.url).host;
    this.proc = spawn(BIN, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.log = '';
    const address = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${this.log}`)), 30_000);
      const onData = (chunk) => {
        this.log += chunk.toString();
        const m = this.log.match(/http:\/\/(127\.0\.0\.1:\d+)/);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      };
      this.proc.stdout.on('data', onData);
      this.proc.stderr.on('data', onData);
      this.proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${this.log}`)); });
    });
    this.url = `http://${address}`;
    return this.url;
  }

  /** Stops the server: 'SIGTERM' (graceful) or 'SIGKILL' (a crash). */
  async stop(signal = 'SIGTERM') {
    if (!this.proc || this.proc.exitCode !== null) return;
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    this.proc.kill(signal);
    await exited;
  }

  /** A copy of the built site in this server's directory, to deploy a "new version". */
  copySite() {
    const copy = path.join(this.dir, `site-${Date.now()}`);
    cpSync(SITE, copy, { recursive: true });
    return copy;
  }

  async dispose() {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** For the tests of one file: a fresh seeded server and a browser, started before the first
 *  test and stopped after the last. Returns an object whose `server` and `browser` are set by
 *  then. */
export function withServerAndBrowser({ shape = '2022' } = {}) {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = new TestServer();
    env.server.seed(shape);
    await env.server.start();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.dispose();
  });
  return env;
}

/** Launches headless Chromium with the flags this machine needs (no sandbox as root, no
 *  background connections to the closed internet). */
const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: BROWSER_ARGS });
}

/** A device with a browser profile on disk, as a phone's browser is (a context of
 *  `launchBrowser` is incognito, where nothing can be installed). Close it when done; the
 *  profile directory is removed then. */
export async function persistentDevice(profile) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tao-nguon-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM, headless: true, args: BROWSER_ARGS, ...PROFILES[profile],
  });
  const close = context.close.bind(context);
  context.close = async () => { await close(); rmSync(dir, { recursive: true, force: true }); };
  return context;
}

/** Collects console errors and uncaught exceptions of a page, to assert there were none. */
export function collectErrors(page) {
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  return errors;
}

export const DEMO_PASSWORD = 'taonguon2022';

/** Logs in through the login page and waits for the first screen after it. */
export async function login(page, baseUrl, username) {
  await page.goto(`${baseUrl}/dang-nhap`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((url) => url.pathname !== '/dang-nhap' && url.pathname !== '/');
}

/** The two screens the product is checked on: a cheap 360-px phone (touch, mobile viewport)
 *  and an old laptop. */
export const PROFILES = {
  phone: { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  pc: { viewport: { width: 1366, height: 768 } },
};

/** A new device (browser context) on a screen `profile` ('phone' or 'pc'), whose clock is
 *  `skewHours` wrong, as cheap phones' clocks are: every `Date` the page makes is shifted;
 *  timers run normally. */
export async function newDevice(env, { skewHours = 0, profile } = {}) {
  const context = await env.browser.newContext(profile ? PROFILES[profile] : {});
  if (skewHours !== 0) {
    await context.addInitScript((offset) => {
      const Real = Date;
      class Skewed extends Real {
        constructor(...args) { if (args.length === 0) super(Real.now() + offset); else super(...args); }
        static now() { return Real.now() + offset; }
      }
      globalThis.Date = Skewed;
    }, skewHours * 3_600_000);
  }
  return context;
}

/** Logs a new device in as `username`, starts the unit's plan and waits until the server has
 *  it. Returns the context, the page, its errors and the plan's URL. */
export async function startPlanOnNewDevice(env, username, options = {}) {
  const context = await newDevice(env, options);
  const page = await context.newPage();
  const errors = collectErrors(page);
  await login(page, env.server.url, username);
  await page.getByRole('button', { name: 'Lập kế hoạch' }).click();
  await page.waitForURL(/\/ke-hoach\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { name: 'Thông tin chung', exact: true }).waitFor();
  await waitSynced(page);
  // The service worker has cached the shell and the assets: the app can now open offline.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  return { context, page, errors, planUrl: page.url() };
}

/** Opens the unit's already known plan on a new device. */
export async function openPlanOnNewDevice(env, username, planUrl, options = {}) {
  const context = await newDevice(env, options);
  const page = await context.newPage();
  const errors = collectErrors(page);
  await login(page, env.server.url, username);
  await page.getByRole('link', { name: 'Mở kế hoạch' }).click();
  await page.waitForURL(planUrl);
  await page.getByRole('heading', { name: 'Thông tin chung', exact: true }).waitFor();
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  return { context, page, errors };
}

/** Waits until what the page does right after a frame has run: the editor applies a
 *  keystroke at once but redraws what depends on it (the sync bar among them) right after the
 *  next frame, from a message posted in that frame; a message posted from a later animation
 *  frame callback comes after it. */
export async function settled(page) {
  await page.evaluate(() => new Promise((resolve) => {
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(true);
      channel.port2.postMessage(0);
    });
  }));
}

/** Waits until the sync bar says everything is synced (after the page has caught up with the
 *  last keystroke: until then the bar may still show the state before it). */
export async function waitSynced(page, timeout = 30_000) {
  await settled(page);
  await page.waitForFunction(
    () => document.querySelector('[data-testid=sync-status] .sync-text')?.textContent
      ?.startsWith('Mọi thay đổi đã được đồng bộ'),
    null,
    { timeout },
  );
}

/** How many changes the sync bar says are waiting (0 when synced). */
export async function pendingCount(page) {
  const text = await page.locator('[data-testid=sync-status] .sync-text').innerText();
  const m = text.match(/(\d+) thay đổi chưa đồng bộ/);
  return m ? Number(m[1]) : 0;
}

/** Waits until the logged-in user's IndexedDB database holds `text` in some record: proof
 *  that an edit reached the disk, not just the page's memory. */
export async function waitStored(page, text) {
  await page.waitForFunction(async (want) => {
    const dbs = await indexedDB.databases();
    const name = dbs.map((d) => d.name).find((d) => d?.startsWith('tao-nguon-'));
    if (!name) return false;
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open(name);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    try {
      const values = await new Promise((resolve, reject) => {
        const store = db.transaction('kv', 'readonly').objectStore('kv');
        const req = store.getAll();
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      return values.some((v) => (typeof v === 'string' ? v : JSON.stringify(v)).includes(want));
    } finally {
      db.close();
    }
  }, text, { timeout: 15_000, polling: 100 });
}

/** A valid plan (pool 4, one admission a year) of a unit without subordinate cells, for the
 *  campaign's years and categories, as the API takes it. */
export function validDocument(campaign) {
  // The first release's figures for its six; for a campaign's own list, every category within
  // the total (the first at most one, then all and none in turn).
  const breakdown = campaign.categories
    ? (total) => Object.fromEntries([
      ['total', total],
      ...campaign.categories.map((c, i) => [c.code, i === 0 ? Math.min(1, total) : (i % 2 === 0 ? total : 0)]),
    ])
    : (total) => ({
      total, ethnic_minority: Math.min(1, total), religious: 0, youth_union: total, women: Math.min(1, total), students: 0, workers: total,
    });
  return {
    schema_version: 2,
    header: {
      document_number: '03-KH/CB', issued_on: campaign.letter_date, place: 'Bảo Lâm',
      signer_name: 'Ka Hoa', signer_title: 'Bí thư',
    },
    pool: breakdown(4),
    progress: { awareness_course: 2, applied: 1 },
    targets: Object.fromEntries(campaign.years.map((y) => [String(y), breakdown(1)])),
    // The term's target is the sum of its years, figure by figure.
    term_target: Object.fromEntries(Object.entries(breakdown(1)).map(([k, v]) => [k, v * campaign.years.length])),
    cells: {},
    screening: { members: 34, reviewed: 34, expected_removals: 0 },
    sections: {
      assessment: 'Nguồn chủ yếu là đoàn viên công tác tại các đoàn thể.',
      solutions: 'Giới thiệu đoàn viên ưu tú học lớp nhận thức về Đảng.',
      notes: '',
    },
    roster: {},
    // Six hamlets, one without a member, a cell or a head who is a member, brought to none.
    ...(campaign.coverage?.length ? {
      coverage: Object.fromEntries(campaign.coverage.map((code) => [code, code === 'hamlets' ? { now: 6, target: 6 } : { now: 1, target: 0 }])),
    } : {}),
  };
}

/** The JSON API as a second device would use it (Node's fetch, a session cookie). */
export class ApiClient {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.cookie = null;
    this.deviceId = crypto.randomUUID();
  }

  async login(username) {
    const res = await fetch(`${this.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    });
    if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    this.cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    this.me = await res.json();
    return this.me;
  }

  async call(method, path, body) {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { cookie: this.cookie, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text);
  }

  /** Every change visible to this user, from the start. */
  async pullAll() {
    const changes = [];
    let cursor = 0;
    for (;;) {
      const page = await this.call('GET', `/api/v1/sync/pull?cursor=${cursor}&limit=500&schema=2`);
      changes.push(...page.changes);
      cursor = page.next_cursor;
      if (!page.has_more) return changes;
    }
  }

  /** The plans this user can see, latest version of each. */
  async plans() {
    const byId = new Map();
    for (const change of await this.pullAll()) {
      if (change.plan) byId.set(change.plan.id, change.plan);
    }
    return [...byId.values()];
  }

  async campaigns() {
    return (await this.pullAll()).filter((c) => c.campaign).map((c) => c.campaign.campaign);
  }

  /** Creates this unit's plan for `campaign` with `document` and submits it, as a second
   *  device would; throws unless both are applied. Returns the plan's id. */
  async submitNewPlan(campaign, document) {
    const planId = crypto.randomUUID();
    const created = await this.push(planId, 0, { create: { unit_id: this.me.unit_id, campaign_id: campaign.id, document } });
    if (created.kind !== 'applied') throw new Error(`create: ${JSON.stringify(created)}`);
    const submitted = await this.push(planId, created.plan.revision, { submit: { submitted_at: new Date().toISOString() } });
    if (submitted.kind !== 'applied') throw new Error(`submit: ${JSON.stringify(submitted)}`);
    return planId;
  }

  /** Pushes one operation on a plan; returns its result (untagged: {kind, ...}). */
  async push(planId, baseRevision, op) {
    const body = {
      protocol: 2,
      device_id: this.deviceId,
      mutations: [{
        id: crypto.randomUUID(),
        plan_id: planId,
        base_revision: baseRevision,
        created_at: new Date().toISOString(),
        op,
      }],
    };
    const res = await this.call('POST', '/api/v1/sync/push', body);
    const [result] = res.results;
    const [kind] = Object.keys(result);
    return { kind, ...result[kind] };
  }
}

/** The serious and critical accessibility violations axe-core (npm) finds on the page as it is
 *  now, one line each with the first elements concerned. */
export async function accessibilityProblems(page) {
  const source = readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol, so the page's Content Security Policy (which
  // allows no inline script) does not stand in the way of the checker.
  await page.evaluate(`${source}\n;true`);
  const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}
