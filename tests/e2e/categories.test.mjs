// A campaign that asks its own structure categories and coverage indicators, in a real browser:
// the Board opens it with eight categories (two of the first release's unticked, three of the
// catalogue ticked, one of its own typed through the input method, one moved up) and two
// coverage indicators (the number of hamlets comes with them), and a unit fills the grid of
// those eight and its coverage on a 360-px phone, key by key, while its device syncs in the
// background.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  ApiClient, ROOT, collectErrors, login, newDevice, settled, waitSynced, withServerAndBrowser,
} from './harness.mjs';

const env = withServerAndBrowser();
const SCREENS = path.join(ROOT, 'target', 'screens');

/** Types `text` into the focused field as an input method composes it, step by step. */
async function compose(cdp, page, steps, text) {
  for (const step of steps) {
    await cdp.send('Input.imeSetComposition', { text: step, selectionStart: step.length, selectionEnd: step.length });
    await page.waitForTimeout(50);
  }
  await cdp.send('Input.insertText', { text });
}

test('a campaign of eight categories, one the committee\'s own, is filled on a phone', async () => {
  mkdirSync(SCREENS, { recursive: true });
  const laptop = await newDevice(env, { profile: 'pc' });
  const board = await laptop.newPage();
  const boardErrors = collectErrors(board);
  await login(board, env.server.url, 'bantochuc');
  await board.getByRole('button', { name: 'Mở đợt đăng ký mới' }).click();
  const form = board.getByTestId('campaign-form');
  await form.getByLabel('Số hiệu công văn').pressSequentially('21-CV/HU', { delay: 40 });
  await form.getByLabel('Ngày công văn').fill('05/01/2026');
  await form.getByLabel('Tên đợt').pressSequentially('Tạo nguồn nhiệm kỳ 2025–2030', { delay: 20 });
  await form.getByLabel('Hạn nộp').fill('15/02/2026');
  await form.getByLabel('2026').check();
  await form.getByLabel('2027').check();
  const categories = form.getByTestId('campaign-categories');
  await categories.getByText('(6 cơ cấu)').waitFor();
  await categories.getByLabel('Người có đạo', { exact: true }).uncheck();
  await categories.getByLabel('Đang học tập', { exact: true }).uncheck();
  for (const label of ['Đoàn viên', 'Nguồn tuyển quân, dân quân', 'Công nhân']) {
    await categories.getByLabel(label, { exact: true }).check();
  }
  // The committee's own, typed in Vietnamese through the input method, added with Enter.
  const own = categories.getByLabel('Thêm cơ cấu riêng của cấp ủy');
  await own.click();
  const cdp = await laptop.newCDPSession(board);
  await own.pressSequentially('Hội viên ', { delay: 40 });
  await compose(cdp, board, ['n', 'no', 'nôn', 'nông'], 'nông');
  await own.pressSequentially(' dân', { delay: 40 });
  await own.press('Enter');
  await categories.getByTestId('own-category').filter({ hasText: 'Hội viên nông dân' }).waitFor();
  await categories.getByText('(8 cơ cấu)').waitFor();
  // Industrial workers before the draft pool: one tap moves a category up the columns.
  await categories.getByRole('button', { name: 'Đưa «Công nhân» lên trước' }).click();
  // The row moved, the pressed button kept the focus, and a screen reader hears where it went.
  await board.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Đưa «Công nhân» lên trước', null, { timeout: 2_000 });
  await categories.getByRole('status').filter({ hasText: '«Công nhân» ở vị trí 6 trên 8.' }).waitFor();
  await categories.screenshot({ path: path.join(SCREENS, 'categories-form-pc.png') });
  const coverage = form.getByTestId('campaign-coverage');
  await coverage.getByLabel('Thôn, tổ dân phố chưa có chi bộ', { exact: true }).check();
  await coverage.getByLabel('Chi bộ ghép', { exact: true }).check();
  await coverage.getByText('(3 chỉ số)').waitFor();
  // The number of hamlets bounds the others: ticked with them, and not to be unticked alone.
  const hamlets = coverage.getByLabel('Số thôn, tổ dân phố', { exact: true });
  assert.equal(await hamlets.isChecked(), true);
  assert.equal(await hamlets.isDisabled(), true);
  await coverage.screenshot({ path: path.join(SCREENS, 'coverage-form-pc.png') });
  await form.getByRole('button', { name: 'Mở đợt đăng ký' }).click();
  await form.waitFor({ state: 'detached', timeout: 30_000 });

  const api = new ApiClient(env.server.url);
  await api.login('thpt-loc-thanh');
  const campaign = (await api.campaigns()).find((c) => c.letter_number === '21-CV/HU');
  assert.ok(campaign, 'the unit receives the campaign');
  assert.deepEqual(campaign.categories.map((c) => c.label), [
    'Người dân tộc thiểu số', 'Trong độ tuổi Đoàn', 'Nữ', 'Đang lao động, làm việc',
    'Đoàn viên', 'Công nhân', 'Nguồn tuyển quân, dân quân', 'Hội viên nông dân',
  ]);
  assert.deepEqual(campaign.coverage, ['hamlets', 'hamlets_without_cell', 'merged_cells']);
  const ownCode = campaign.categories[7].code;
  assert.match(ownCode, /^x_[0-9a-f]{12}$/);

  // The unit, on a phone: starts the plan and fills its pool in the eight categories.
  const phone = await newDevice(env, { profile: 'phone' });
  const page = await phone.newPage();
  const errors = collectErrors(page);
  await login(page, env.server.url, 'thpt-loc-thanh');
  const entry = page.locator('li.campaign', { hasText: '21-CV/HU' });
  await entry.getByRole('button', { name: 'Lập kế hoạch' }).click();
  await page.waitForURL(/\/ke-hoach\/[0-9a-f-]+$/);
  const grid = page.locator('table[data-grid="pool"]');
  await grid.waitFor();
  const heads = await grid.locator('thead th[scope="col"]:not(.corner)').allInnerTexts();
  assert.deepEqual(heads, ['Tổng', 'DTTS', 'Tuổi Đoàn', 'Nữ', 'Lao động', 'Đoàn viên', 'Công nhân', 'Tuyển quân', 'Hội viên…']);
  const values = { total: '12', ethnic_minority: '5', youth_union: '9', women: '6', workers: '7', youth_union_members: '8', military_pool: '2', industrial_workers: '3', [ownCode]: '4' };
  let typed = 0;
  for (const [code, value] of Object.entries(values)) {
    const cell = grid.locator(`input[id="f-pool-${code}"]`);
    await cell.click();
    await cell.pressSequentially(value, { delay: 90 });
    typed += 1;
    // A background sync round in the middle of the typing.
    if (typed === 4) {
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      await page.waitForTimeout(400);
      assert.equal(await page.evaluate(() => document.activeElement?.id), `f-pool-${code}`, 'focus stays through a sync');
    }
  }
  await settled(page);
  await waitSynced(page);
  await page.screenshot({ path: path.join(SCREENS, 'categories-grid-phone.png'), fullPage: false });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page fits a 360-px screen, overflow ${overflow}px`);
  // Nine columns do not fit a phone: each row is a card of labelled boxes, none cut off.
  const box = await grid.locator('input[id="f-pool-total"]').boundingBox();
  const last = await grid.locator(`input[id="f-pool-${ownCode}"]`).boundingBox();
  assert.ok(box.x >= 0 && last.x + last.width <= 360, `every box in view: ${JSON.stringify([box, last])}`);
  await page.locator('#s-targets').screenshot({ path: path.join(SCREENS, 'categories-targets-phone.png') });

  const [plan] = (await api.plans()).filter((p) => p.campaign_id === campaign.id);
  assert.ok(plan, 'the plan reached the server');
  for (const [code, value] of Object.entries(values)) {
    assert.equal(plan.document.pool[code], Number(value), `pool.${code}`);
  }
  assert.equal(plan.document.pool.religious ?? null, null, 'no category the campaign does not ask for');
  // A category past its total is named by the committee's own word.
  const cell = grid.locator(`input[id="f-pool-${ownCode}"]`);
  await cell.fill('');
  await cell.pressSequentially('40', { delay: 90 });
  await cell.blur();
  await page.getByTestId('field-message').filter({ hasText: 'Hội viên nông dân' }).first().waitFor();

  // The coverage of the unit's hamlets, today and at the end of the term, key by key.
  const block = page.getByTestId('coverage');
  await block.scrollIntoViewIfNeeded();
  const figures = [
    ['hamlets', 'now', '8'], ['hamlets', 'target', '8'],
    ['hamlets_without_cell', 'now', '3'], ['hamlets_without_cell', 'target', '1'],
    ['merged_cells', 'now', '2'], ['merged_cells', 'target', '1'],
  ];
  for (const [indicator, when, value] of figures) {
    const input = page.locator(`input[id="f-coverage-${indicator}-${when}"]`);
    await input.click();
    await input.pressSequentially(value, { delay: 110 });
  }
  await settled(page);
  await waitSynced(page);
  const [covered] = (await api.plans()).filter((p) => p.campaign_id === campaign.id);
  assert.deepEqual(covered.document.coverage, {
    hamlets: { now: 8, target: 8 },
    hamlets_without_cell: { now: 3, target: 1 },
    merged_cells: { now: 2, target: 1 },
  });
  // More hamlets without a cell than hamlets: said beside the field, in Vietnamese.
  const withoutCell = page.locator('input[id="f-coverage-hamlets_without_cell-now"]');
  await withoutCell.fill('');
  await withoutCell.pressSequentially('9', { delay: 110 });
  await withoutCell.blur();
  await block.locator('.field-error').filter({ hasText: 'không được lớn hơn số thôn, tổ dân phố (8)' }).waitFor();
  await block.screenshot({ path: path.join(SCREENS, 'coverage-phone.png') });
  const coverageOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(coverageOverflow <= 0, `the coverage block fits a 360-px screen, overflow ${coverageOverflow}px`);

  const real = (list) => list.filter((e) => !/Failed to load resource|net::ERR/.test(e));
  assert.deepEqual(real(errors), []);
  assert.deepEqual(real(boardErrors), []);
  await phone.close();
  await laptop.close();
});
