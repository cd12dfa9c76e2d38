// Draws the app's icons for the web app manifest from the same mark as style/favicon.svg (a
// gold star on the Party red), at the sizes phones ask for, with headless Chromium. The PNGs are
// committed (style/icons/): building the client needs no browser. Run again after changing the
// mark:
//
//   node scripts/make-icons.mjs
//
// `icon-*.png` are the plain icons (rounded square, as the favicon); `maskable-*.png` fill the
// whole square and keep the star inside the central 80 % circle, which launchers may cut to any
// shape.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'style', 'icons');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const star = 'M32 12l5.9 12 13.1 1.9-9.5 9.3 2.2 13.1L32 42.1l-11.7 6.2 2.2-13.1-9.5-9.3 13.1-1.9z';
// The favicon's own file, so the two never drift apart.
const plain = readFileSync(path.join(ROOT, 'style', 'favicon.svg'), 'utf8');
// Full bleed, the star scaled to 70 % about the centre (its points stay inside the safe circle).
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#a61b1b"/><path transform="translate(32 31) scale(0.7) translate(-32 -30)" d="${star}" fill="#ffd23f"/></svg>`;

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
try {
  for (const [name, svg, sizes] of [['icon', plain, [192, 512]], ['maskable', maskable, [192, 512]]]) {
    for (const size of sizes) {
      const page = await browser.newPage({ viewport: { width: size, height: size } });
      const sized = svg.replace('<svg ', `<svg width="${size}" height="${size}" `);
      await page.setContent(`<html><body style="margin:0;background:transparent">${sized}</body></html>`);
      await page.screenshot({ path: path.join(OUT, `${name}-${size}.png`), omitBackground: true });
      await page.close();
    }
  }
} finally {
  await browser.close();
}
console.log(`wrote ${OUT}`);
