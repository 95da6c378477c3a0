// Drives the fleetrun dashboard in Debian's headless Chromium through Playwright and reports what
// it saw as one JSON line on stdout. Run by DashboardBrowserTest (which asserts on the report):
//
//   node dashboard.mjs <dashboard-url> <screenshot.png> <expected-workers> <expected-stderr-text>
//
// Exit 0 with {"ok":true,...} when the page behaved; exit 1 with {"ok":false,"error":...}
// otherwise. Never downloads a browser: CHROMIUM (default /usr/bin/chromium) is the one used.
import { chromium } from 'playwright-core';

const [url, screenshot, expectedWorkers, expectedStderr] = process.argv.slice(2);
if (!url || !screenshot || !expectedWorkers) {
  console.error('usage: node dashboard.mjs URL SCREENSHOT.png WORKERS [STDERR-TEXT]');
  process.exit(2);
}
const workers = Number(expectedWorkers);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const consoleErrors = [];
const report = { ok: false, url };

// numbers a person reads off the page, keyed so two readings can be compared
async function reading(page) {
  return page.evaluate(() => {
    const batch = document.querySelector('.batch');
    return {
      updates: Number(document.body.dataset.updates || 0),
      source: window.fleetrunState.source,
      totals: document.getElementById('totals').innerText.replace(/\s+/g, ' ').trim(),
      workerIds: [...document.querySelectorAll('#workers tbody tr')].map((r) => r.dataset.worker),
      workerStates: [...document.querySelectorAll('#workers tbody tr .badge')].map((b) => b.textContent),
      workerRows: [...document.querySelectorAll('#workers tbody tr')].map((r) => r.innerText.replace(/\s+/g, ' ')),
      batchState: batch && batch.querySelector('.batch-state').textContent,
      batchDone: batch && batch.querySelector('.batch-counts .done').textContent,
      batchCounts: batch && batch.querySelector('.batch-counts').innerText.replace(/\s+/g, ' '),
      connection: document.getElementById('conn').textContent,
    };
  });
}

let browser;
try {
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
    // Playwright gives the browser a fresh temporary profile of its own and removes it at close
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push('page error: ' + e.message));
  page.on('requestfailed', (r) => consoleErrors.push('request failed: ' + r.url() + ' ' + (r.failure() || {}).errorText));

  await page.goto(url, { waitUntil: 'load', timeout: 30000 });
  // both workers listed, a running batch shown, updates arriving through the bridge
  await page.waitForFunction((n) => document.querySelectorAll('#workers tbody tr').length >= n, workers, { timeout: 30000 });
  await page.waitForFunction(() => [...document.querySelectorAll('.batch-state')].some((s) => s.textContent === 'running'),
    null, { timeout: 30000 });
  await page.waitForFunction(() => window.fleetrunState.source === 'bridge', null, { timeout: 15000 });
  report.before = await reading(page);
  // numbers change while the batch runs
  await page.waitForFunction((before) => {
    const batch = document.querySelector('.batch');
    return batch && batch.querySelector('.batch-counts .done').textContent !== before.batchDone
      && Number(document.body.dataset.updates) >= before.updates + 2;
  }, report.before, { timeout: 20000, polling: 250 });
  report.after = await reading(page);

  // a failed task opens to show its stderr
  if (expectedStderr) {
    await page.waitForFunction(() => [...document.querySelectorAll('.failures-toggle')].some((b) => !b.classList.contains('hidden')),
      null, { timeout: 20000 });
    await page.locator('.failures-toggle:not(.hidden)').first().click();
    await page.locator('tr.failure button').first().click({ timeout: 15000 });
    await page.waitForFunction(() => document.getElementById('task-dialog').open, null, { timeout: 10000 });
    await page.waitForFunction((t) => document.getElementById('task-stderr').textContent.includes(t), expectedStderr,
      { timeout: 10000 });
    report.stderr = await page.locator('#task-stderr').textContent();
    report.taskFacts = (await page.locator('#task-facts').innerText()).replace(/\s+/g, ' ');
    await page.screenshot({ path: screenshot.replace(/\.png$/, '-task.png') });
    await page.keyboard.press('Escape');
  }
  // the caller stops a worker when it reads this line; the page must show it down
  if (process.env.FLEETRUN_EXPECT_DOWN) {
    console.log(JSON.stringify({ stage: 'stop-worker' }));
    await page.waitForFunction(() => document.querySelectorAll('#workers tbody tr.down .badge-down').length === 1,
      null, { timeout: 20000 });
    report.down = await reading(page);
  }
  await page.waitForTimeout(300);
  await page.screenshot({ path: screenshot, fullPage: true });
  report.consoleErrors = consoleErrors;
  report.ok = consoleErrors.length === 0;
  if (!report.ok) report.error = 'console errors: ' + consoleErrors.join(' | ');
} catch (e) {
  report.error = String(e && e.message ? e.message : e).split('\n')[0];
  report.consoleErrors = consoleErrors;
  try {
    const pages = browser ? browser.contexts().flatMap((c) => c.pages()) : [];
    if (pages.length) {
      report.lastReading = await reading(pages[0]).catch(() => null);
      await pages[0].screenshot({ path: screenshot, fullPage: true });
    }
  } catch (ignored) { /* the report says what failed */ }
} finally {
  if (browser) await browser.close();
}
console.log(JSON.stringify(report));
process.exit(report.ok ? 0 : 1);
