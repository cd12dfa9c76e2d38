// Where the time of an offline repeat visit goes, CPU slowed 4×: from the navigation to the
// plan editor's inputs being usable, with the network cut and the service worker serving
// everything.
//
//   node tests/bench/cold-start.mjs        (after scripts/build-client.sh and cargo build -p server)
//   BENCH_RUNS=7 RATE=1 node tests/bench/cold-start.mjs
//
// Each run: a fresh device logs in as a unit, starts its plan and waits until the service
// worker has precached the build; then, offline, a new tab opens the plan's address. The page
// is instrumented from its first script: every WebAssembly module instantiated (the main one
// and each chunk: when it was asked for and when it was ready) and the moment the editor's
// first input is enabled (checked once a frame). Prints the median of each mark, in ms from the navigation's start,
// as a Markdown table for docs/BENCHMARKS.md.

import { TestServer, launchBrowser } from '../e2e/harness.mjs';
import { DEMO_UNITS, openPlan } from './large-unit.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const RATE = Number(process.env.RATE ?? 4);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Runs in the page before its own scripts: records module instantiations and the editor.
function instrument() {
  const marks = [];
  window.__tnMarks = marks;
  const mark = (name) => marks.push([name, performance.now()]);
  const wrap = (key) => {
    const real = WebAssembly[key].bind(WebAssembly);
    WebAssembly[key] = async (source, imports) => {
      const what = imports && imports.__wasm_split ? 'chunk' : 'main module';
      mark(`${what}: asked`);
      const result = await real(source, imports);
      mark(`${what}: instantiated`);
      return result;
    };
  };
  wrap('instantiateStreaming');
  wrap('instantiate');
  // Checked once a frame (an observer of every mutation would itself slow the page down).
  const poll = () => {
    const input = document.querySelector('#f-pool-total');
    if (input && !input.disabled) mark('editor usable');
    else requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
}

async function oneRun(browser, server, username) {
  const { context, page } = await openPlan(browser, server, username);
  await page.locator('#f-pool-total:enabled').waitFor();
  const planUrl = page.url();
  // Every file of the build precached (the install has finished once a worker is active).
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.close();

  await context.setOffline(true);
  await context.addInitScript(instrument);
  const again = await context.newPage();
  const cdp = await context.newCDPSession(again);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: RATE });
  await again.goto(planUrl, { waitUntil: 'commit' });
  await again.locator('#f-pool-total:enabled').waitFor({ timeout: 60_000 });
  const marks = await again.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const out = [['shell received', nav.responseEnd]];
    for (const r of performance.getEntriesByType('resource')) {
      const name = r.name.split('/').pop();
      if (/\.(js|wasm)$/.test(name)) out.push([`${name} received`, r.responseEnd]);
    }
    return out.concat(window.__tnMarks);
  });
  await context.close();
  return marks;
}

const server = new TestServer();
server.seed();
await server.start();
const browser = await launchBrowser();
try {
  const byMark = new Map();
  for (let i = 0; i < Math.min(RUNS, DEMO_UNITS.length); i++) {
    for (const [name, at] of await oneRun(browser, server, DEMO_UNITS[i])) {
      if (!byMark.has(name)) byMark.set(name, []);
      byMark.get(name).push(at);
    }
  }
  const rows = [...byMark].map(([name, times]) => [name, median(times)]).sort((a, b) => a[1] - b[1]);
  console.log(`| offline repeat visit, CPU ${RATE}× slower | ms from navigation (median of ${RUNS}) |`);
  console.log('|---|---:|');
  for (const [name, at] of rows) console.log(`| ${name} | ${at.toFixed(0)} |`);
} finally {
  await browser.close();
  await server.dispose();
}
