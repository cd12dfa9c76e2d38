// The district reviewer's path in a real browser: see a unit submit on the board, return the
// plan with a comment on a field, see the resubmission, approve it, and download the board as
// XLSX whose cells are checked.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  ApiClient, collectErrors, login, waitSynced, withServerAndBrowser, validDocument,
} from './harness.mjs';

const env = withServerAndBrowser();

/** The cells of one worksheet row of an XLSX file, read with Python's zipfile (no npm deps):
 *  [{ref, type, value}] with shared strings resolved. */
function xlsxRow(file, firstCellText) {
  const script = `
import json, re, sys, zipfile, xml.etree.ElementTree as ET
ns = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
z = zipfile.ZipFile(sys.argv[1])
strings = [''.join(t.itertext()) for t in ET.fromstring(z.read('xl/sharedStrings.xml')).findall('m:si', ns)] if 'xl/sharedStrings.xml' in z.namelist() else []
sheet = ET.fromstring(z.read('xl/worksheets/sheet1.xml'))
rows = []
for row in sheet.iter('{%s}row' % ns['m']):
    cells = []
    for c in row.findall('m:c', ns):
        v = c.find('m:v', ns)
        t = c.get('t', 'n')
        value = strings[int(v.text)] if (t == 's' and v is not None) else (v.text if v is not None else None)
        cells.append({'ref': c.get('r'), 'type': t, 'value': value, 'formula': c.find('m:f', ns) is not None})
    rows.append(cells)
print(json.dumps(rows))
`;
  const rows = JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }));
  return { rows, row: rows.find((cells) => cells.some((c) => c.value === firstCellText)) };
}

test('a reviewer returns a plan with a comment, sees the resubmission, approves it and exports the board', async () => {
  const unit = new ApiClient(env.server.url);
  await unit.login('mttq');
  const [campaign] = await unit.campaigns();
  const planId = await unit.submitNewPlan(campaign, validDocument(campaign));

  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  await login(page, env.server.url, 'bantochuc');
  assert.equal(new URL(page.url()).pathname, '/tong-hop');
  const board = page.getByTestId('board');
  const row = board.locator('tr[data-unit="CB-MTTQ"]');
  await row.getByText('Đã nộp đúng hạn').waitFor({ timeout: 30_000 });
  assert.match(await page.getByTestId('count-on_time').innerText(), /^1\b/);
  const units = await board.locator('tbody tr').count();
  assert.equal(units, 23, 'every grassroots organisation of the district has a row');
  // Filtering by a status shows only its units.
  await page.getByTestId('count-on_time').click();
  assert.equal(await board.locator('tbody tr').count(), 1);
  await page.getByTestId('count-on_time').click();

  // Review: a comment on the pool's total, then return.
  await row.getByRole('link').click();
  await page.waitForURL(`${env.server.url}/ke-hoach/${planId}`);
  const review = page.getByTestId('review');
  assert.equal(await page.locator('#f-pool-total').isDisabled(), true, 'the district reads, the unit writes');
  await review.getByLabel('Về mục').selectOption('pool.total');
  const body = 'Nguồn còn ít; đề nghị rà soát thêm đoàn viên ưu tú.';
  await review.getByLabel('Nhận xét').fill(body);
  await review.getByRole('button', { name: 'Thêm nhận xét' }).click();
  await review.getByTestId('draft-comment').waitFor();
  await review.getByRole('button', { name: 'Trả lại để chỉnh sửa' }).click();
  // Returning asks first, saying how many remarks go with it.
  const confirmReturn = page.getByRole('alertdialog');
  assert.match(await confirmReturn.innerText(), /1 nhận xét/);
  await confirmReturn.getByRole('button', { name: 'Trả lại', exact: true }).click();
  await page.getByTestId('plan-status').filter({ hasText: 'Bị trả lại' }).waitFor();
  await waitSynced(page);
  let [plan] = await unit.plans();
  assert.equal(plan.status, 'returned');

  // The unit revises and resubmits; the reviewer sees it come back.
  let result = await unit.push(planId, plan.revision, { edit: { changes: [{ path: 'pool.total', base: 4, value: 9 }] } });
  assert.equal(result.kind, 'applied', JSON.stringify(result));
  result = await unit.push(planId, result.plan.revision, { submit: { submitted_at: new Date().toISOString() } });
  assert.equal(result.kind, 'applied', JSON.stringify(result));
  await page.getByRole('button', { name: 'Đồng bộ ngay' }).click();
  await page.getByTestId('plan-status').filter({ hasText: 'Đã nộp' }).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('#f-pool-total').inputValue(), '9');
  await page.locator('#s-pool').getByTestId('field-comment').filter({ hasText: body }).waitFor();

  // What changed since the return: exactly the figure the comment was about.
  await page.getByRole('button', { name: 'Xem lịch sử và so sánh phiên bản' }).click();
  const diff = page.getByTestId('diff');
  await diff.waitFor({ timeout: 30_000 });
  assert.equal(await diff.locator('tbody tr').count(), 1);
  const changed = diff.locator('tr[data-path="pool.total"]');
  assert.deepEqual(await changed.locator('td').allInnerTexts(), ['4', '9']);

  await review.getByRole('button', { name: 'Duyệt kế hoạch' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Duyệt', exact: true }).click();
  await page.getByTestId('plan-status').filter({ hasText: 'Đã duyệt' }).waitFor();
  await waitSynced(page);
  [plan] = await unit.plans();
  assert.equal(plan.status, 'approved');

  // The board follows, and its XLSX export says the same, with numbers as numbers.
  await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Tổng hợp của huyện' }).click();
  await board.locator('tr[data-unit="CB-MTTQ"]').getByText('Đã duyệt').waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Excel' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^tinh-hinh-nop-381-CV-HU\.xlsx$/);
  const file = path.join(env.server.dir, 'board.xlsx');
  await download.saveAs(file);
  const { rows, row: mttq } = xlsxRow(file, 'CB-MTTQ');
  assert.ok(rows.some((r) => r.some((c) => c.value === 'Tên tổ chức cơ sở đảng')), 'Vietnamese headers');
  assert.ok(mttq, 'a row for the unit');
  const members = mttq.find((c) => c.ref.startsWith('E'));
  assert.deepEqual([members.type, members.value], ['n', '34'], 'the member count is a number');
  assert.ok(mttq.some((c) => c.value === 'Đã duyệt'));
  assert.ok(rows.flat().every((c) => !c.formula), 'no formulas');

  // The totals tab counts the approved plan.
  await page.getByRole('tab', { name: 'Số liệu tổng hợp' }).click();
  const structure = page.getByTestId('totals-structure');
  await structure.waitFor();
  const structureTotal = structure.locator('tbody tr').first();
  assert.match(await structureTotal.innerText(), /Tổng số\s+9\b/);

  // The unit reports what it achieved, in its (approved, otherwise frozen) plan…
  const unitContext = await env.browser.newContext();
  const unitPage = await unitContext.newPage();
  await login(unitPage, env.server.url, 'mttq');
  await unitPage.goto(`${env.server.url}/ke-hoach/${planId}`);
  const firstYear = campaign.years[0];
  await unitPage.locator(`#f-actuals-${firstYear}-total`).fill('1');
  await unitPage.locator(`#f-actuals-${firstYear}-youth_union`).fill('1');
  assert.equal(await unitPage.locator('#f-pool-total').isDisabled(), true, 'the plan itself stays frozen');
  await waitSynced(unitPage);
  await unitContext.close();
  // …and the Board sees it ranked, with the formula: 30 × 1 + 40 × 1/4 + 30 × (1/4)/4 = 41.9.
  await page.getByRole('button', { name: 'Đồng bộ ngay' }).click();
  await waitSynced(page);
  await page.getByRole('tab', { name: 'Kết quả và xếp hạng' }).click();
  const ranking = page.getByTestId('ranking');
  const ranked = ranking.locator('tr[data-unit="Chi bộ Ủy ban Mặt trận Tổ quốc và các đoàn thể huyện"]');
  await ranked.waitFor();
  assert.deepEqual((await ranked.locator('td').allInnerTexts()).slice(3), ['4', '1', '100 %', '25 %', '6.3 %', '41.9']);
  assert.match(await page.getByTestId('formula').innerText(), /30 × đúng hạn \+ 40 × đạt chỉ tiêu \+ 30 × đạt cơ cấu/);
  await page.getByRole('tab', { name: 'Số liệu tổng hợp' }).click();

  // The Board enters the district's own term target (its Congress resolution); the plans'
  // term targets are compared with it. A structure above the total is refused first.
  const target = page.getByTestId('district-target');
  await target.getByRole('button', { name: 'Nhập chỉ tiêu của huyện' }).click();
  await target.getByLabel('Tổng số').fill('40');
  await target.getByLabel('Nữ').fill('50');
  await target.getByRole('button', { name: 'Lưu chỉ tiêu' }).click();
  await target.getByRole('alert').filter({ hasText: 'không được lớn hơn tổng số (40)' }).waitFor();
  await target.getByLabel('Nữ').fill('20');
  await target.getByRole('button', { name: 'Lưu chỉ tiêu' }).click();
  const totalRow = target.locator('tr[data-figure="total"]');
  await totalRow.waitFor();
  assert.deepEqual(await totalRow.locator('td').allInnerTexts(), ['40', '4', '10 %']);

  // Printing: the district summary and the unit's plan as administrative documents, on A4.
  await page.getByRole('link', { name: 'Bản in báo cáo' }).click();
  const report = page.getByTestId('print-totals');
  await report.waitFor();
  const reportText = await report.innerText();
  // The office and its committee come from the district's unit record (data), not the code.
  for (const text of ['HUYỆN ỦY BẢO LÂM', 'BAN TỔ CHỨC', 'ĐẢNG CỘNG SẢN VIỆT NAM', 'BÁO CÁO', 'Nơi nhận:', 'TRƯỞNG BAN',
    'T/M BAN TỔ CHỨC', '- Thường trực Huyện ủy (để báo cáo),', '- Lưu Ban Tổ chức Huyện ủy.']) {
    assert.ok(reportText.includes(text), `${text} in ${reportText}`);
  }
  await page.goto(`${env.server.url}/in/ke-hoach/${planId}`);
  const printed = page.getByTestId('print-plan');
  await printed.waitFor();
  const text = await printed.innerText();
  for (const expected of ['CHI BỘ ỦY BAN MẶT TRẬN TỔ QUỐC VÀ CÁC ĐOÀN THỂ HUYỆN', 'ĐẢNG CỘNG SẢN VIỆT NAM', 'Số 03-KH/CB',
    'KẾ HOẠCH', 'Bảo Lâm, ngày', 'Thực hiện Công văn số 381-CV/HU', 'của Ban Thường vụ Huyện ủy về tăng cường',
    '- Ban Tổ chức Huyện ủy (để báo cáo),', 'Nơi nhận:', 'T/M CHI BỘ', 'BÍ THƯ', 'Ka Hoa']) {
    assert.ok(text.includes(expected), `${expected} in the printed plan`);
  }
  const pdf = await page.pdf({ preferCSSPageSize: true });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  // A4 is 595 × 842 points (Chromium writes e.g. 594.96 × 841.92).
  const box = pdf.toString('latin1').match(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/);
  assert.ok(box, 'a page size in the PDF');
  assert.ok(Math.abs(Number(box[1]) - 595) < 1 && Math.abs(Number(box[2]) - 842) < 1, `A4 pages: ${box[0]}`);
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await context.close();
});

test('the Board opens a campaign; the shared rules catch mistakes before it is sent', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await login(page, env.server.url, 'bantochuc');
  await page.getByRole('button', { name: 'Mở đợt đăng ký mới' }).click();
  const form = page.getByTestId('campaign-form');
  await form.getByLabel('Số hiệu công văn').fill('12 CV');
  await form.getByLabel('Ngày công văn').fill('10/01/2027');
  await form.getByLabel('Tên đợt').fill('Kế hoạch tạo nguồn năm 2027');
  await form.getByLabel('Hạn nộp').fill('05/01/2027');
  await form.getByLabel('2027').check();
  await form.getByRole('button', { name: 'Mở đợt đăng ký' }).click();
  const alert = form.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /Số hiệu công văn «12 CV» không đúng dạng/);
  assert.match(await alert.innerText(), /Hạn nộp không thể trước ngày ban hành công văn/);

  await form.getByLabel('Số hiệu công văn').fill('15-CV/HU');
  await form.getByLabel('Hạn nộp').fill('15/02/2027');
  await form.getByRole('button', { name: 'Mở đợt đăng ký' }).click();
  await form.waitFor({ state: 'detached' });
  await page.locator('#campaign option', { hasText: '15-CV/HU' }).waitFor({ state: 'attached', timeout: 30_000 });
  assert.match(await page.locator('.campaign-pick .meta').innerText(), /Hạn nộp 15\/02\/2027/);

  // A unit sees it after its next sync.
  const unit = new ApiClient(env.server.url);
  await unit.login('loc-an');
  const numbers = (await unit.campaigns()).map((c) => c.letter_number);
  assert.ok(numbers.includes('15-CV/HU'), numbers.join(', '));
  await context.close();
});
