// The 2025 shape in a real browser (`seed-demo --shape 2025`): a cell of the commune Bảo Lâm 1
// finishes and submits its plan on a phone with no network; the commune's office returns it
// with a comment and then approves it on a laptop; the province's Organisation Board sees the
// commune's own plan on its board. Each level's screens speak of their own office and area.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  ApiClient, ROOT, collectErrors, login, newDevice, pendingCount, validDocument, waitSynced,
  withServerAndBrowser,
} from './harness.mjs';

const env = withServerAndBrowser({ shape: '2025' });
const SCREENS = path.join(ROOT, 'target', 'screens');

/** Errors other than the failed requests of a page while it is offline. */
const real = (errors) => errors.filter((e) => !/Failed to load resource|net::ERR/.test(e));

test('2025: a cell submits offline, its commune returns and approves it, the province sees the commune', async () => {
  mkdirSync(SCREENS, { recursive: true });
  // The cell's plan, begun earlier: everything but the signer's name.
  const cell = new ApiClient(env.server.url);
  await cell.login('baolam1-cb1');
  const campaigns = await cell.campaigns();
  assert.deepEqual(campaigns.map((c) => c.letter_number), ['08-CV/ĐU'], 'a cell sees its commune\'s campaign only');
  const [campaign] = campaigns;
  const document = validDocument(campaign);
  document.header.signer_name = '';
  const planId = crypto.randomUUID();
  const created = await cell.push(planId, 0, { create: { unit_id: cell.me.unit_id, campaign_id: campaign.id, document } });
  assert.equal(created.kind, 'applied', JSON.stringify(created));

  // On the cell's phone: open the plan, lose the network and the server, finish and submit.
  const phone = await newDevice(env, { profile: 'phone' });
  const page = await phone.newPage();
  const errors = collectErrors(page);
  await login(page, env.server.url, 'baolam1-cb1');
  await page.getByRole('link', { name: 'Mở kế hoạch' }).click();
  await page.waitForURL(`${env.server.url}/ke-hoach/${planId}`);
  await page.getByRole('heading', { name: 'Thông tin chung', exact: true }).waitFor();
  await waitSynced(page);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await phone.setOffline(true);
  await env.server.stop();
  await page.getByTestId('connectivity').filter({ hasText: 'Mất mạng' }).waitFor();
  // The signer's name: "Ka " key by key, then "Bảo" composed through the input method as Telex
  // builds it, with a sync attempt between the two.
  const signer = page.locator('#f-header-signer_name');
  await signer.click();
  await signer.pressSequentially('Ka ', { delay: 80 });
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-header-signer_name', 'focus stays through a sync attempt');
  const cdp = await phone.newCDPSession(page);
  for (const step of ['B', 'Ba', 'Bao', 'Bảo']) {
    await cdp.send('Input.imeSetComposition', { text: step, selectionStart: step.length, selectionEnd: step.length });
    await page.waitForTimeout(60);
  }
  await cdp.send('Input.insertText', { text: 'Bảo' });
  assert.equal(await signer.inputValue(), 'Ka Bảo');
  await page.getByRole('button', { name: 'Nộp kế hoạch' }).click();
  // The commune's office, by its own name.
  const confirm = page.getByRole('alertdialog', { name: 'Nộp kế hoạch cho Ban Xây dựng Đảng?' });
  await confirm.waitFor();
  await confirm.getByRole('button', { name: 'Nộp', exact: true }).click();
  await page.getByTestId('plan-status').filter({ hasText: 'Đã bấm nộp, chờ gửi lên máy chủ' }).waitFor();
  assert.ok(await pendingCount(page) > 0, 'the submission waits on the device');
  await page.screenshot({ path: path.join(SCREENS, 'levels-cell-phone-offline.png'), fullPage: false });
  await env.server.start();
  await phone.setOffline(false);
  await waitSynced(page);
  await page.getByTestId('plan-status').filter({ hasText: 'Đã nộp' }).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page fits a 360-px screen, overflow ${overflow}px`);

  // The commune's office, on a laptop: its cells' board, return with a comment, approve.
  const laptop = await newDevice(env, { profile: 'pc' });
  const office = await laptop.newPage();
  const officeErrors = collectErrors(office);
  await login(office, env.server.url, 'baolam1');
  const nav = office.getByRole('navigation', { name: 'Điều hướng chính' });
  await nav.getByRole('link', { name: 'Kế hoạch của đơn vị' }).waitFor();
  await nav.getByRole('link', { name: 'Tổng hợp của xã' }).click();
  await office.getByRole('heading', { name: 'Tổng hợp của xã' }).waitFor();
  const board = office.getByTestId('board');
  const row = board.locator('tr[data-unit="XA-BAO-LAM-1-CB01"]');
  await row.getByText('Đã nộp đúng hạn').waitFor({ timeout: 30_000 });
  assert.equal(await board.locator('tbody tr').count(), 7, 'every cell of the commune has a row');
  await row.getByRole('link').click();
  await office.waitForURL(`${env.server.url}/ke-hoach/${planId}`);
  const review = office.getByTestId('review');
  await review.getByLabel('Về mục').selectOption('pool.total');
  const remark = 'Chi bộ rà soát thêm đoàn viên ưu tú ở thôn.';
  await review.getByLabel('Nhận xét').pressSequentially(remark, { delay: 20 });
  await review.getByRole('button', { name: 'Thêm nhận xét' }).click();
  await review.getByRole('button', { name: 'Trả lại để chỉnh sửa' }).click();
  await office.getByRole('alertdialog').getByRole('button', { name: 'Trả lại', exact: true }).click();
  await office.getByTestId('plan-status').filter({ hasText: 'Bị trả lại' }).waitFor();
  await waitSynced(office);

  // The cell sees the remark by its field on its phone, and resubmits.
  await page.getByRole('button', { name: 'Đồng bộ ngay' }).click();
  await page.locator('#s-pool').getByTestId('field-comment').filter({ hasText: remark }).waitFor({ timeout: 30_000 });
  await page.locator('#f-pool-total').fill('5');
  await page.getByRole('button', { name: 'Nộp lại kế hoạch' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Nộp', exact: true }).click();
  await page.getByTestId('plan-status').filter({ hasText: 'Đã nộp' }).waitFor();
  await waitSynced(page);

  await office.getByRole('button', { name: 'Đồng bộ ngay' }).click();
  await office.getByTestId('plan-status').filter({ hasText: 'Đã nộp' }).waitFor({ timeout: 30_000 });
  await review.getByRole('button', { name: 'Duyệt kế hoạch' }).click();
  await office.getByRole('alertdialog').getByRole('button', { name: 'Duyệt', exact: true }).click();
  await office.getByTestId('plan-status').filter({ hasText: 'Đã duyệt' }).waitFor();
  await waitSynced(office);
  await office.screenshot({ path: path.join(SCREENS, 'levels-commune-pc.png'), fullPage: false });
  const [approved] = (await cell.plans()).filter((p) => p.id === planId);
  assert.equal(approved.status, 'approved');

  // The commune's own plan for the province's campaign, begun by its staff.
  const commune = new ApiClient(env.server.url);
  await commune.login('baolam1');
  const provinceCampaign = (await commune.campaigns()).find((c) => c.letter_number === '25-CV/BTCTU');
  assert.ok(provinceCampaign, 'the commune sees the province\'s campaign');
  const own = await commune.push(crypto.randomUUID(), 0, {
    create: { unit_id: commune.me.unit_id, campaign_id: provinceCampaign.id, document: validDocument(provinceCampaign) },
  });
  assert.equal(own.kind, 'applied', JSON.stringify(own));

  // The province's Board, on a phone: the commune is on its board, in the province's words.
  const provinceDevice = await newDevice(env, { profile: 'phone' });
  const board25 = await provinceDevice.newPage();
  const provinceErrors = collectErrors(board25);
  await login(board25, env.server.url, 'tinhuy');
  await board25.getByRole('heading', { name: 'Tổng hợp của tỉnh' }).waitFor();
  const provinceBoard = board25.getByTestId('board');
  await provinceBoard.locator('tr[data-unit="XA-BAO-LAM-1"]').getByText('Đang soạn').waitFor({ timeout: 30_000 });
  assert.equal(await provinceBoard.locator('tbody tr').count(), 7, 'five communes and two block committees');
  assert.equal(await provinceBoard.locator('tr[data-unit="XA-BAO-LAM-1-CB01"]').count(), 0, 'not the commune\'s cells');
  await board25.screenshot({ path: path.join(SCREENS, 'levels-province-phone.png'), fullPage: false });
  // Opening a campaign offers every unit under the province, all ticked; unticking one counts.
  await board25.getByRole('button', { name: 'Mở đợt đăng ký mới' }).click();
  const units = board25.getByTestId('campaign-units');
  await units.getByText('Giao kế hoạch cho (7 / 7 đơn vị)').waitFor();
  await units.getByLabel('Đảng bộ Ủy ban nhân dân tỉnh').uncheck();
  await units.getByText('Giao kế hoạch cho (6 / 7 đơn vị)').waitFor();
  await units.screenshot({ path: path.join(SCREENS, 'levels-campaign-units-phone.png') });
  await board25.getByRole('button', { name: 'Hủy' }).click();
  await board25.getByRole('tab', { name: 'Số liệu tổng hợp' }).click();
  await board25.getByTestId('totals-structure').waitFor();
  // The province's campaign asks the 2025 categories and four coverage indicators.
  const structureRows = await board25.getByTestId('totals-structure').locator('tbody th').allInnerTexts();
  assert.deepEqual(structureRows, ['Tổng số', 'Nữ', 'Đoàn viên', 'Người dân tộc thiểu số', 'Người có đạo',
    'Nguồn tuyển quân, dân quân', 'Công nhân', 'Người lao động khu vực ngoài nhà nước', 'Chủ doanh nghiệp tư nhân']);
  const coverageRows = await board25.getByTestId('totals-coverage').locator('tbody th').allInnerTexts();
  assert.deepEqual(coverageRows, ['Số thôn, tổ dân phố', 'Thôn, tổ dân phố chưa có đảng viên',
    'Thôn, tổ dân phố chưa có chi bộ', 'Trưởng thôn, tổ trưởng tổ dân phố chưa là đảng viên']);
  await board25.getByRole('link', { name: 'Bản in báo cáo' }).click();
  const report = board25.getByTestId('print-totals');
  await report.waitFor();
  const text = await report.innerText();
  for (const expected of ['TỈNH ỦY LÂM ĐỒNG', 'BAN TỔ CHỨC', 'Số …-BC/BTCTU', 'Lâm Đồng, ngày', 'III. ĐỘ PHỦ TỔ CHỨC ĐẢNG',
    '- Thường trực Tỉnh ủy (để báo cáo),', '- Lưu Ban Tổ chức Tỉnh ủy.']) {
    assert.ok(text.includes(expected), `${expected} in ${text}`);
  }

  assert.deepEqual(real(errors), []);
  assert.deepEqual(real(officeErrors), []);
  assert.deepEqual(real(provinceErrors), []);
  await phone.close();
  await laptop.close();
  await provinceDevice.close();
});
