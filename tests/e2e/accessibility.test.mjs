// Every screen, as each role reaches it, on a 360-px phone and on a laptop, checked with
// axe-core: no serious or critical accessibility violation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiClient, accessibilityProblems, login, newDevice, validDocument, waitSynced, withServerAndBrowser,
} from './harness.mjs';

const env = withServerAndBrowser();

for (const profile of ['phone', 'pc']) {
  test(`on a ${profile}, every screen of a unit and of the Board passes axe-core`, async () => {
    const problems = [];
    const check = async (page, screen) => {
      for (const p of await accessibilityProblems(page)) problems.push(`${screen}: ${p}`);
    };

    // The unit: login, its plans, the editor, a filled plan's messages, the print view.
    const unitDevice = await newDevice(env, { profile });
    const page = await unitDevice.newPage();
    await page.goto(`${env.server.url}/dang-nhap`);
    await page.getByLabel('Tên đăng nhập').waitFor();
    await check(page, 'đăng nhập');
    const username = profile === 'phone' ? 'loc-tan' : 'loc-quang';
    await login(page, env.server.url, username);
    await page.getByRole('button', { name: 'Lập kế hoạch' }).waitFor();
    await check(page, 'kế hoạch của đơn vị');
    await page.getByRole('button', { name: 'Lập kế hoạch' }).click();
    await page.getByRole('heading', { name: 'Thông tin chung', exact: true }).waitFor();
    await waitSynced(page);
    await check(page, 'soạn kế hoạch');
    await page.getByRole('button', { name: 'Nộp kế hoạch' }).click();
    await page.locator('[data-testid=finding]').first().waitFor();
    await check(page, 'soạn kế hoạch, sau khi bấm gửi');
    await page.getByRole('link', { name: 'Xem bản in' }).click();
    await page.locator('.a4.document').waitFor();
    await check(page, 'bản in kế hoạch');
    await unitDevice.close();

    // The Board: board, totals, ranking, a plan under review.
    const unit = new ApiClient(env.server.url);
    await unit.login(profile === 'phone' ? 'mttq' : 'thpt-loc-thanh');
    const [campaign] = await unit.campaigns();
    const planId = await unit.submitNewPlan(campaign, validDocument(campaign));

    const board = await newDevice(env, { profile });
    const reviewer = await board.newPage();
    await login(reviewer, env.server.url, 'bantochuc');
    await reviewer.getByTestId('board').waitFor();
    await check(reviewer, 'tình hình nộp');
    for (const tab of ['Số liệu tổng hợp', 'Kết quả và xếp hạng']) {
      await reviewer.getByRole('tab', { name: tab }).click();
      await reviewer.waitForTimeout(300);
      await check(reviewer, tab.toLowerCase());
    }
    await reviewer.goto(`${env.server.url}/ke-hoach/${planId}`);
    await reviewer.getByTestId('review').waitFor({ timeout: 30_000 });
    await check(reviewer, 'xem xét kế hoạch');
    await reviewer.getByRole('button', { name: 'Duyệt kế hoạch' }).click();
    await reviewer.getByRole('alertdialog').waitFor();
    await check(reviewer, 'hộp thoại duyệt');
    await board.close();

    assert.deepEqual(problems, []);
  });
}
