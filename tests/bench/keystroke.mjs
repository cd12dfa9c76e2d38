// Keystroke to paint in the plan editor: how long after a key is pressed the next frame is on
// the screen, on the demo's largest unit and on a unit with 50 subordinate cells, in a grid cell
// and in a prose section, at full speed and with the CPU slowed 4× (a cheap phone).
//
//   node tests/bench/keystroke.mjs          (run by scripts/bench-keystroke.sh)
//
// Measured in the page: from the keydown event's timestamp to a task queued right after the
// next animation frame (the frame that shows the key). Keys are typed one at a time with a
// pause, as a person types. Prints a Markdown table for docs/BENCHMARKS.md.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestServer, launchBrowser, DEMO_PASSWORD } from '../e2e/harness.mjs';

const KEYS = Number(process.env.BENCH_KEYS ?? 40);
const BIN = process.env.TAONGUON_BIN ?? path.join(import.meta.dirname, '..', '..', 'target', 'debug', 'tao-nguon');

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** Adds a unit with 50 subordinate cells and its login to the server's database. */
function addFiftyCellUnit(server) {
  const rows = ['code,name,level,kind,parent_code,member_count',
    'XA-BENCH-50,Đảng bộ xã Thử Nghiệm,grassroots,commune,HU-BAO-LAM,900'];
  for (let i = 1; i <= 50; i += 1) {
    rows.push(`CB-BENCH-${i},Chi bộ thôn ${i},subordinate_cell,,XA-BENCH-50,18`);
  }
  const csv = path.join(server.dir, 'bench-units.csv');
  writeFileSync(csv, `${rows.join('\n')}\n`);
  let out = spawnSync(BIN, ['import-units', csv], { env: server.env, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`import-units: ${out.stderr}`);
  out = spawnSync(BIN, ['create-user', '--username', 'thu-nghiem-50', '--display-name', 'Cán bộ thử nghiệm',
    '--role', 'unit_editor', '--unit-code', 'XA-BENCH-50'], { env: server.env, input: `${DEMO_PASSWORD}\n`, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`create-user: ${out.stderr}`);
}

async function measure(page, selector, text) {
  await page.locator(selector).click();
  await page.evaluate(() => {
    window.__paints = [];
    if (window.__listening) return;
    window.__listening = true;
    document.addEventListener('keydown', (ev) => {
      const t0 = ev.timeStamp;
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => window.__paints.push(performance.now() - t0);
        ch.port2.postMessage(0);
      });
    }, { capture: true });
  });
  for (let i = 0; i < KEYS; i += 1) {
    const key = text[i % text.length];
    if (key.length > 1) await page.keyboard.press(key); else await page.keyboard.type(key);
    await page.waitForTimeout(150);
  }
  await page.waitForTimeout(300);
  return page.evaluate(() => window.__paints);
}

async function run() {
  const server = new TestServer();
  server.seed();
  addFiftyCellUnit(server);
  await server.start();
  const browser = await launchBrowser();
  const rows = [];
  try {
    for (const [label, username] of [['Lộc Thành (13 chi bộ)', 'loc-thanh'], ['50 chi bộ', 'thu-nghiem-50']]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${server.url}/dang-nhap`);
      await page.getByLabel('Tên đăng nhập').fill(username);
      await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.getByRole('button', { name: 'Lập kế hoạch' }).click();
      await page.getByRole('heading', { name: '1. Thông tin chung' }).waitFor();
      const inputs = await page.locator('input, textarea').count();
      const cdp = await context.newCDPSession(page);
      for (const rate of [1, 4]) {
        await cdp.send('Emulation.setCPUThrottlingRate', { rate });
        for (const [where, selector, text] of [
          // A figure is typed, corrected and typed again: every key changes the value.
          ['ô chỉ tiêu', 'input[id^="f-targets-"][id$="-women"]', ['1', '2', 'Backspace', 'Backspace']],
          ['ô của chi bộ', 'input[id^="f-cells-"][id$="-pool-youth_union"]', ['3', '4', 'Backspace', 'Backspace']],
          ['đoạn văn', '#f-sections-solutions', 'Giao chỉ tiêu cho từng chi bộ thôn. '],
        ]) {
          // Start each series from an empty field.
          await page.locator(selector).first().fill('');
          const times = await measure(page, `${selector} >> nth=0`, text);
          if (process.env.BENCH_TRACE) console.error(label, rate, where, times.map((t) => t.toFixed(0)).join(' '));
          rows.push({ label, inputs, rate, where, p50: pct(times, 50), p95: pct(times, 95), max: Math.max(...times), n: times.length });
        }
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await server.dispose();
  }
  console.log('| plan | inputs | CPU | field | keys | p50 ms | p95 ms | max ms |');
  console.log('|---|---:|---|---|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.label} | ${r.inputs} | ${r.rate}× | ${r.where} | ${r.n} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} |`);
  }
}

await run();
