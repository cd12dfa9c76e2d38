// Where a keystroke's time goes in the plan editor: types 40 figures into one field of the
// 50-cell unit's plan and prints the renderer main thread's time per key by trace event
// (layout, paint, layerize, script…), from a DevTools trace.
//
//   node tests/bench/keystroke-profile.mjs
//   SEL='#f-sections-solutions' KEYS=a,b,c,d RATE=4 node tests/bench/keystroke-profile.mjs
//   CSS='#s-cells .grid-wrap { content-visibility: visible }' node tests/bench/keystroke-profile.mjs
//
// SEL picks the field, KEYS the keys typed in turn, RATE slows the CPU, CSS adds a style sheet
// first (to weigh a style change without rebuilding). Run after scripts/build-client.sh and
// `cargo build -p server`. For function names in a CPU profile, serve the build's
// target/front/bindgen/tao-nguon_bg.wasm (before wasm-opt) in place of the optimised module.

import { TestServer, launchBrowser } from '../e2e/harness.mjs';
import { addFiftyCellUnit, openPlan, FIFTY_CELL_USER } from './large-unit.mjs';

const selector = process.env.SEL ?? 'input[id^="f-targets-"][id$="-women"]';
const keys = (process.env.KEYS ?? '1,2,Backspace,Backspace').split(',');
const N = 40;

const server = new TestServer();
server.seed();
addFiftyCellUnit(server);
await server.start();
const browser = await launchBrowser();
try {
  const { context, page } = await openPlan(browser, server, FIFTY_CELL_USER, { bypassCSP: true });
  if (process.env.CSS) await page.addStyleTag({ content: process.env.CSS });
  await page.locator(selector).first().click();
  const cdp = await context.newCDPSession(page);
  if (process.env.RATE) await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(process.env.RATE) });
  const events = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline',
    transferMode: 'ReportEvents',
  });
  for (let i = 0; i < N; i += 1) {
    await page.keyboard.press(keys[i % keys.length]);
    await page.waitForTimeout(150);
  }
  await cdp.send('Tracing.end');
  await complete;
  const spans = events.filter((e) => e.ph === 'X' && e.dur);
  // The renderer's main thread is the one that dispatched the key events.
  const dispatches = new Map();
  for (const e of spans) if (e.name === 'EventDispatch') dispatches.set(e.tid, (dispatches.get(e.tid) ?? 0) + 1);
  const [[main]] = [...dispatches].sort((a, b) => b[1] - a[1]);
  const byName = new Map();
  for (const e of spans) if (e.tid === main) byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur / 1000);
  console.log('ms per key  event (nested events count in their parents too)');
  for (const [name, ms] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(`${(ms / N).toFixed(2).padStart(10)}  ${name}`);
  }
} finally {
  await browser.close();
  await server.dispose();
}
