// The 50-cell unit the typing benchmarks use, added to a test server's database with the
// server's own commands (import-units, create-user).

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_PASSWORD } from '../e2e/harness.mjs';

const BIN = process.env.TAONGUON_BIN ?? path.join(import.meta.dirname, '..', '..', 'target', 'debug', 'tao-nguon');

/** The login of the unit (its password is the demo password). */
export const FIFTY_CELL_USER = 'thu-nghiem-50';

/** Unit editors of the 2022 demo with no plan yet: one per run of a benchmark that starts one. */
export const DEMO_UNITS = ['loc-an', 'loc-bao', 'loc-bac', 'loc-duc', 'loc-lam', 'loc-nam', 'loc-ngai',
  'loc-phu', 'loc-quang', 'loc-tan', 'loc-thanh', 'b-la', 'tan-lac', 'mttq'];

/** Adds a unit with 50 subordinate cells and its login to the server's database. */
export function addFiftyCellUnit(server) {
  const rows = ['code,name,level,kind,parent_code,member_count',
    'XA-BENCH-50,Đảng bộ xã Thử Nghiệm,grassroots,commune,HU-BAO-LAM,900'];
  for (let i = 1; i <= 50; i += 1) {
    rows.push(`CB-BENCH-${i},Chi bộ thôn ${i},subordinate_cell,,XA-BENCH-50,18`);
  }
  const csv = path.join(server.dir, 'bench-units.csv');
  writeFileSync(csv, `${rows.join('\n')}\n`);
  let out = spawnSync(BIN, ['import-units', csv], { env: server.env, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`import-units: ${out.stderr}`);
  out = spawnSync(BIN, ['create-user', '--username', FIFTY_CELL_USER, '--display-name', 'Cán bộ thử nghiệm',
    '--role', 'unit_editor', '--unit-code', 'XA-BENCH-50'], { env: server.env, input: `${DEMO_PASSWORD}\n`, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`create-user: ${out.stderr}`);
}

/** Logs `username` in on a new page of `browser` and opens (or starts) its plan. */
export async function openPlan(browser, server, username, contextOptions = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  await page.goto(`${server.url}/dang-nhap`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('button', { name: 'Lập kế hoạch' }).click();
  await page.getByRole('heading', { name: 'Thông tin chung', exact: true }).waitFor();
  return { context, page };
}
