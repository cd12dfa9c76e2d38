// Keystroke to paint in the plan editor: how long after a key is pressed the next frame is on
// the screen, on the demo's largest unit and on a unit with 50 subordinate cells, in a grid cell
// and in a prose section, at full speed and with the CPU slowed 4× (a cheap phone).
//
//   node tests/bench/keystroke.mjs          (run by scripts/bench-keystroke.sh)
//
// Measured in the page: from the keydown event's timestamp to a task queued right after the
// next animation frame (the frame that shows the key: "key"), and to the same point one frame
// later (the frame that also shows what depends on the key — totals, messages, the sync bar:
// "all"). Keys are typed one at a time with a
// pause, as a person types. Prints a Markdown table for docs/BENCHMARKS.md.

import { TestServer, launchBrowser } from '../e2e/harness.mjs';
import { addFiftyCellUnit, openPlan, FIFTY_CELL_USER } from './large-unit.mjs';

const KEYS = Number(process.env.BENCH_KEYS ?? 40);

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function measure(page, selector, text) {
  await page.locator(selector).click();
  await page.evaluate(() => {
    window.__paints = [];
    if (window.__listening) return;
    window.__listening = true;
    // After a frame has been produced: a message posted from its animation-frame callback.
    const afterFrame = (then) => requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = then;
      ch.port2.postMessage(0);
    });
    document.addEventListener('keydown', (ev) => {
      const t0 = ev.timeStamp;
      // The frame that shows the key, then the one after it: the app redraws what depends
      // on the key (totals, messages, the sync bar) right after the first.
      afterFrame(() => {
        const key = performance.now() - t0;
        afterFrame(() => window.__paints.push([key, performance.now() - t0]));
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
    for (const [label, username] of [['Lộc Thành (13 chi bộ)', 'loc-thanh'], ['50 chi bộ', FIFTY_CELL_USER]]) {
      const { context, page } = await openPlan(browser, server, username);
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
          const pairs = await measure(page, `${selector} >> nth=0`, text);
          const times = pairs.map(([key]) => key);
          const all = pairs.map(([, after]) => after);
          if (process.env.BENCH_TRACE) console.error(label, rate, where, pairs.map(([a, b]) => `${a.toFixed(0)}/${b.toFixed(0)}`).join(' '));
          rows.push({
            label, inputs, rate, where, n: times.length,
            p50: pct(times, 50), p95: pct(times, 95), max: Math.max(...times),
            allP50: pct(all, 50), allP95: pct(all, 95),
          });
        }
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await server.dispose();
  }
  console.log('| plan | inputs | CPU | field | keys | key p50 ms | key p95 ms | key max ms | all p50 ms | all p95 ms |');
  console.log('|---|---:|---|---|---:|---:|---:|---:|---:|---:|');
  const f = (x) => x.toFixed(1);
  for (const r of rows) {
    console.log(`| ${r.label} | ${r.inputs} | ${r.rate}× | ${r.where} | ${r.n} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.max)} | ${f(r.allP50)} | ${f(r.allP95)} |`);
  }
}

await run();
