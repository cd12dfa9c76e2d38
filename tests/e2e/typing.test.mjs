// The editor as a person uses it: typing key by key with pauses (never `fill`), Vietnamese
// through an input method's composition events, on a 360-px phone and on a laptop, while the
// background sync runs; reloading right after a keystroke; the screens where people stumbled.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiClient, collectErrors, login, waitSynced, waitStored, withServerAndBrowser, validDocument,
  startPlanOnNewDevice,
} from './harness.mjs';

const env = withServerAndBrowser();

/** Types `text` key by key, as a person does (about 8 keys a second). */
async function typeSlowly(page, text, delay = 120) {
  for (const ch of text) {
    await page.keyboard.type(ch);
    await page.waitForTimeout(delay);
  }
}

/** Starts a background sync round the way the browser does when the network returns, and
 *  waits until it has finished. */
async function syncRoundInBackground(page) {
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await page.waitForFunction(() => !document.querySelector('[data-testid=sync-status] .sync-text')
    ?.textContent?.includes('Đang đồng bộ'));
  await page.waitForTimeout(300);
}

const activeId = (page) => page.evaluate(() => document.activeElement?.id ?? '');

/** Composes `word` through the input method one step at a time (as Telex or a phone keyboard
 *  does: the syllable is shown underlined while it is built, then committed), with the real
 *  composition events Chromium fires for an IME. */
async function composeWord(cdp, page, steps) {
  for (const step of steps) {
    await cdp.send('Input.imeSetComposition', { text: step, selectionStart: step.length, selectionEnd: step.length });
    await page.waitForTimeout(60);
  }
  await cdp.send('Input.insertText', { text: steps[steps.length - 1] });
  await page.waitForTimeout(60);
}

for (const [profile, username] of [['phone', 'loc-an'], ['pc', 'loc-thanh']]) {
  test(`on a ${profile}, typing "12" key by key in the targets grid and the per-cell breakdown keeps both digits, the focus and the arrow keys, through a sync round`, async () => {
    const { context, page, errors } = await startPlanOnNewDevice(env, username, { profile });
    const target = page.locator('input[id^="f-targets-"][id$="-total"]').first();
    const targetId = await target.getAttribute('id');
    await target.click();
    await typeSlowly(page, '1');
    // A sync round completes while the user is between two keys.
    await syncRoundInBackground(page);
    assert.equal(await activeId(page), targetId, 'focus stays in the cell through the sync round');
    await typeSlowly(page, '2');
    assert.equal(await target.inputValue(), '12');
    assert.equal(await activeId(page), targetId);
    // The running total of the years follows.
    const sum = page.locator('[data-grid="targets"] tr.computed td').first();
    assert.equal(await sum.innerText(), '12');
    // Arrow keys still move after typing.
    await page.keyboard.press('ArrowRight');
    assert.match(await activeId(page), /^f-targets-\d+-ethnic_minority$/);
    await typeSlowly(page, '3');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await activeId(page), targetId);

    // The per-cell breakdown: same typing, same result, and its running sum against the unit.
    const cellPool = page.locator('input[id^="f-cells-"][id$="-pool-total"]').first();
    const cellId = await cellPool.getAttribute('id');
    await cellPool.click();
    await typeSlowly(page, '3');
    await syncRoundInBackground(page);
    await typeSlowly(page, '4');
    assert.equal(await cellPool.inputValue(), '34');
    assert.equal(await activeId(page), cellId);
    const totals = page.getByTestId('cell-totals');
    assert.match(await totals.locator('tr[data-row="Nguồn"] td').first().innerText(), /^34\b/);

    await waitSynced(page);
    const unit = new ApiClient(env.server.url);
    await unit.login(username);
    const [plan] = await unit.plans();
    const year = targetId.split('-')[2];
    assert.equal(plan.document.targets[year].total, 12, 'the server has both digits');
    assert.equal(plan.document.targets[year].ethnic_minority, 3);
    const cell = cellId.slice('f-cells-'.length, -'-pool-total'.length);
    assert.equal(plan.document.cells[cell].pool.total, 34);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('Vietnamese composed through an input method arrives whole in prose, text and number fields', async () => {
  const { context, page, errors } = await startPlanOnNewDevice(env, 'loc-bao', { profile: 'phone' });
  const cdp = await context.newCDPSession(page);

  await page.locator('#f-sections-solutions').click();
  await composeWord(cdp, page, ['N', 'Ng', 'Ngu', 'Nguy', 'Nguye', 'Nguyê', 'Nguyễ', 'Nguyễn']);
  await page.keyboard.type(' ');
  await composeWord(cdp, page, ['V', 'Va', 'Văn', 'Văn']);
  await page.keyboard.type(' ');
  // A sync round in the middle of a composition does not commit it early.
  await cdp.send('Input.imeSetComposition', { text: 'H', selectionStart: 1, selectionEnd: 1 });
  await syncRoundInBackground(page);
  await composeWord(cdp, page, ['Ho', 'Hoa', 'Hòa']);
  assert.equal(await page.locator('#f-sections-solutions').inputValue(), 'Nguyễn Văn Hòa');

  await page.locator('#f-header-signer_name').click();
  await page.keyboard.type("K' ");
  await composeWord(cdp, page, ['D', 'Di', 'Die', 'Diê', 'Điê', 'Điểu']);
  assert.equal(await page.locator('#f-header-signer_name').inputValue(), "K' Điểu");

  // A phone keyboard composes digits too.
  await page.locator('#f-screening-members').click();
  await composeWord(cdp, page, ['2', '28', '286']);
  assert.equal(await page.locator('#f-screening-members').inputValue(), '286');

  await waitSynced(page);
  const unit = new ApiClient(env.server.url);
  await unit.login('loc-bao');
  const [plan] = await unit.plans();
  assert.equal(plan.document.sections.solutions, 'Nguyễn Văn Hòa');
  assert.equal(plan.document.header.signer_name, "K' Điểu");
  assert.equal(plan.document.screening.members, 286);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a reload a few tens of milliseconds after the last keystroke keeps it, every time', async () => {
  const { context, page, planUrl } = await startPlanOnNewDevice(env, 'loc-bac', { profile: 'pc' });
  const field = page.locator('#f-header-signer_name');
  const name = "K' Điểu Thị Hoa";
  let typed = '';
  // One character per trial, each followed by a reload 0–60 ms later: the loss the issue saw
  // was probabilistic, so it is tried many times.
  for (const [i, ch] of [...name].entries()) {
    await field.click();
    await page.keyboard.press('End');
    await page.keyboard.insertText(ch);
    typed += ch;
    await page.waitForTimeout((i * 7) % 61);
    await page.reload();
    await page.getByRole('heading', { name: 'Thông tin chung', exact: true }).waitFor();
    assert.equal(await field.inputValue(), typed, `after reload ${i + 1}`);
  }
  await page.goto(planUrl);
  await waitStored(page, name);
  await context.close();
});

test('a new plan does not open covered in red; trying to submit shows what is missing and a message link takes focus to its field', async () => {
  const { context, page } = await startPlanOnNewDevice(env, 'loc-duc', { profile: 'phone' });
  assert.equal(await page.locator('.field-error').count(), 0, 'no error before the user has touched anything');
  assert.match(await page.getByTestId('findings').innerText(), /chưa nhập/);
  // Touching a field shows its own messages only.
  await page.locator('#f-pool-total').click();
  await typeSlowly(page, '5');
  await page.locator('#f-pool-women').click();
  await typeSlowly(page, '9');
  await page.locator('#s-pool .field-error, #s-pool [data-testid=field-message]').first().waitFor();
  assert.equal(await page.locator('#s-header .field-error').count(), 0);
  // Submitting shows everything and does not submit.
  await page.getByRole('button', { name: 'Nộp kế hoạch' }).click();
  assert.equal(await page.getByRole('alertdialog').count(), 0);
  const finding = page.locator('[data-testid=finding][data-path="header.document_number"] a');
  await finding.waitFor();
  // Sections fold away; a message link opens its section and puts the cursor in the field.
  await page.getByRole('button', { name: 'Thông tin chung', exact: true }).click();
  assert.equal(await page.locator('#f-header-document_number').isVisible(), false, 'the section is folded');
  await finding.click();
  await page.waitForFunction(() => document.activeElement?.id === 'f-header-document_number');
  assert.ok(await page.locator('#f-header-document_number').isVisible());
  // No browser-native English bubble anywhere: no `required` and no native date input.
  assert.equal(await page.locator('input[required], input[type=date]').count(), 0);
  // The date is typed day first.
  await page.locator('#f-header-issued_on').click();
  await typeSlowly(page, '25/01/2022', 40);
  await waitSynced(page);
  const unit = new ApiClient(env.server.url);
  await unit.login('loc-duc');
  const [plan] = await unit.plans();
  assert.equal(plan.document.header.issued_on, '2022-01-25');
  await page.reload();
  await page.getByRole('heading', { name: 'Thông tin chung', exact: true }).waitFor();
  assert.equal(await page.locator('#f-header-issued_on').inputValue(), '25/01/2022');
  // The parts carry the same numbers on screen and in print ("mục IV" is one thing to both).
  const roman = (texts) => texts.map((t) => t.trim()).filter((t) => /^[IVX]+\. /.test(t));
  const onScreen = roman(await page.locator('.section > h2').allInnerTexts());
  assert.ok(onScreen.length >= 6, onScreen.join(' | '));
  await page.locator('#f-sections-notes').click();
  await typeSlowly(page, 'Đề nghị mở lớp bồi dưỡng.', 20);
  await waitStored(page, 'Đề nghị mở lớp bồi dưỡng.');
  await page.getByRole('link', { name: 'Xem bản in' }).click();
  await page.getByTestId('print-plan').waitFor();
  const inPrint = roman(await page.locator('[data-testid=print-plan] h2').allInnerTexts());
  assert.deepEqual(inPrint, onScreen.map((t) => t.toUpperCase()));
  await context.close();
});

test('logging out with unsynced changes warns in a readable dialog that takes focus and closes with Esc', async () => {
  const { context, page } = await startPlanOnNewDevice(env, 'loc-lam', { profile: 'phone' });
  await context.setOffline(true);
  await page.locator('#f-header-document_number').click();
  await typeSlowly(page, '09-KH/ĐU', 30);
  await waitStored(page, '09-KH/ĐU');
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  const dialog = page.getByRole('alertdialog');
  await dialog.waitFor();
  const heading = dialog.getByRole('heading', { name: 'Còn thay đổi chưa đồng bộ' });
  assert.ok(await heading.isVisible());
  const colours = await dialog.evaluate((el) => {
    const box = getComputedStyle(el);
    const title = getComputedStyle(el.querySelector('h2'));
    const text = getComputedStyle(el.querySelector('p'));
    return { background: box.backgroundColor, title: title.color, text: text.color };
  });
  assert.equal(colours.background, 'rgb(255, 255, 255)');
  assert.notEqual(colours.title, 'rgb(255, 255, 255)', 'the title is not white on white');
  assert.notEqual(colours.text, 'rgb(255, 255, 255)', 'the warning is not white on white');
  assert.match(await dialog.innerText(), /thay đổi chưa gửi lên máy chủ/);
  // Focus is inside the dialog and stays there.
  assert.ok(await dialog.evaluate((el) => el.contains(document.activeElement)));
  for (let i = 0; i < 4; i += 1) {
    await page.keyboard.press('Tab');
    assert.ok(await dialog.evaluate((el) => el.contains(document.activeElement)), 'Tab stays in the dialog');
  }
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await page.locator('#f-header-document_number').inputValue(), '09-KH/ĐU', 'nothing was wiped');
  await context.close();
});

test('the reviewer keeps draft remarks, a half-typed remark and the open diff through sync rounds, and approving sends every remark', async () => {
  const unit = new ApiClient(env.server.url);
  await unit.login('loc-ngai');
  const [campaign] = await unit.campaigns();
  const doc = validDocument(campaign);
  // Lộc Ngãi has subordinate cells: give each its share so the plan is valid.
  const cells = (await unit.pullAll()).filter((c) => c.unit && c.unit.parent_id === unit.me.unit_id).map((c) => c.unit.id);
  if (cells.length > 0) {
    const zero = { total: 0, ethnic_minority: 0, religious: 0, youth_union: 0, women: 0, students: 0, workers: 0 };
    doc.cells = Object.fromEntries(cells.map((id, i) => [id, {
      pool: i === 0 ? doc.pool : zero,
      targets: Object.fromEntries(campaign.years.map((y) => [String(y), i === 0 ? doc.targets[String(y)] : zero])),
    }]));
  }
  const planId = await unit.submitNewPlan(campaign, doc);

  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  await login(page, env.server.url, 'bantochuc');
  // The Board sees its own screens only.
  assert.equal(await page.getByRole('link', { name: 'Kế hoạch của đơn vị' }).count(), 0);
  await page.goto(`${env.server.url}/ke-hoach/${planId}`);
  const review = page.getByTestId('review');
  await review.waitFor({ timeout: 30_000 });
  await review.getByLabel('Nhận xét').click();
  await typeSlowly(page, 'Nguồn ít.', 30);
  await review.getByRole('button', { name: 'Thêm nhận xét' }).click();
  await review.getByLabel('Về mục').selectOption('pool.total');
  await review.getByLabel('Nhận xét').click();
  await typeSlowly(page, 'Rà soát thêm.', 30);
  await review.getByRole('button', { name: 'Thêm nhận xét' }).click();
  await review.getByLabel('Nhận xét').click();
  await typeSlowly(page, 'Đề nghị bổ sung', 30);
  await page.getByRole('button', { name: 'Xem lịch sử và so sánh phiên bản' }).click();
  const compared = page.getByTestId('history').locator('[data-testid=diff], [data-testid=diff-empty], .hint').first();
  await compared.waitFor();
  await page.getByTestId('history').locator('select').first().waitFor();

  await syncRoundInBackground(page);
  await syncRoundInBackground(page);
  assert.equal(await review.getByTestId('draft-comment').count(), 2, 'draft remarks survive sync rounds');
  assert.equal(await review.getByLabel('Nhận xét').inputValue(), 'Đề nghị bổ sung', 'a half-typed remark survives');
  assert.ok(await page.getByTestId('history').locator('select').first().isVisible(), 'the history stays open');

  // Approving adds the typed remark, asks, and sends all three.
  await review.getByRole('button', { name: 'Duyệt kế hoạch' }).click();
  const dialog = page.getByRole('alertdialog');
  assert.match(await dialog.innerText(), /3 nhận xét/);
  await dialog.getByRole('button', { name: 'Duyệt', exact: true }).click();
  await page.getByTestId('plan-status').filter({ hasText: 'Đã duyệt' }).waitFor();
  await waitSynced(page);
  const comments = (await unit.pullAll()).filter((c) => c.comment && c.comment.plan_id === planId).map((c) => c.comment.body);
  assert.deepEqual(comments.sort(), ['Nguồn ít.', 'Rà soát thêm.', 'Đề nghị bổ sung'].sort());
  assert.deepEqual(errors, []);

  // The Board is not offered a plan of its own.
  await page.goto(`${env.server.url}/ke-hoach`);
  await page.getByText('Trang này dành cho cán bộ của đơn vị lập kế hoạch').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Lập kế hoạch' }).count(), 0);
  await context.close();
});

test('two tabs of one user editing the same plan offline both keep their edits, see each other\'s, and sync them once', async () => {
  const { context, page: first, planUrl } = await startPlanOnNewDevice(env, 'loc-phu', { profile: 'pc' });
  const second = await context.newPage();
  await second.goto(planUrl);
  await second.getByRole('heading', { name: 'Thông tin chung', exact: true }).waitFor();

  await context.setOffline(true);
  await env.server.stop();
  // Both tabs type at the same time, key by key, in different fields, and in turns.
  await first.locator('#f-header-signer_name').click();
  await second.locator('#f-pool-total').click();
  const name = "K' Điểu";
  const digits = '27';
  for (let i = 0; i < Math.max(name.length, digits.length); i += 1) {
    if (i < name.length) await first.keyboard.type(name[i]);
    if (i < digits.length) await second.keyboard.type(digits[i]);
    await first.waitForTimeout(80);
  }
  // Then both in the same section, one after the other.
  await first.locator('#f-screening-members').click();
  await typeSlowly(first, '189', 60);
  await second.locator('#f-sections-solutions').click();
  await typeSlowly(second, 'Giao chỉ tiêu', 40);

  // Each tab shows the other's edits.
  await first.waitForFunction(() => document.querySelector('#f-pool-total')?.value === '27');
  await first.waitForFunction(() => document.querySelector('#f-sections-solutions')?.value === 'Giao chỉ tiêu');
  await second.waitForFunction((n) => document.querySelector('#f-header-signer_name')?.value === n, name);
  await second.waitForFunction(() => document.querySelector('#f-screening-members')?.value === '189');

  // A third tab, opened from the storage alone, has everything.
  const third = await context.newPage();
  await third.goto(planUrl);
  await third.getByRole('heading', { name: 'Thông tin chung', exact: true }).waitFor();
  assert.equal(await third.locator('#f-header-signer_name').inputValue(), name);
  assert.equal(await third.locator('#f-pool-total').inputValue(), '27');
  assert.equal(await third.locator('#f-screening-members').inputValue(), '189');
  assert.equal(await third.locator('#f-sections-solutions').inputValue(), 'Giao chỉ tiêu');
  await third.close();

  await env.server.start();
  await context.setOffline(false);
  await first.evaluate(() => window.dispatchEvent(new Event('online')));
  await second.evaluate(() => window.dispatchEvent(new Event('online')));
  await waitSynced(first, 60_000);
  await waitSynced(second, 60_000);
  const unit = new ApiClient(env.server.url);
  await unit.login('loc-phu');
  const [plan] = await unit.plans();
  assert.equal(plan.document.header.signer_name, name);
  assert.equal(plan.document.pool.total, 27);
  assert.equal(plan.document.screening.members, 189);
  assert.equal(plan.document.sections.solutions, 'Giao chỉ tiêu');
  await context.close();
});
