// Test harness for the browser tests: starts the real server binary on a fresh SQLite file
// seeded with the demo district, and launches Debian's Chromium through playwright-core.
//
// The server can be stopped (SIGTERM or SIGKILL) and started again on the same port and
// database, which is how the offline tests cut the network for real.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
    };
    this.proc = null;
    this.url = null;
  }

  /** Seeds the demo district; returns the printed report. */
  seed() {
    if (!existsSync(BIN)) throw new Error(`server binary missing: ${BIN} (cargo build -p server)`);
    const out = spawnSync(BIN, ['seed-demo'], { env: this.env, encoding: 'utf8' });
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

  async dispose() {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Launches headless Chromium with the flags this machine needs (no sandbox as root, no
 *  background connections to the closed internet). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Collects console errors and uncaught exceptions of a page, to assert there were none. */
export function collectErrors(page) {
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  return errors;
}
