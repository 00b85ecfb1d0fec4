// Opens a report page in headless Chromium, applies filters through the page's own
// controls, clicks a cell, and prints what is shown as JSON. Used by tests/browser.rs.
// Usage: node check.js PAGE.html SCREENSHOT.png PROFILE OUTCOME LANGUAGE
const { chromium } = require('playwright-core');
const path = require('path');

async function main() {
  const [page_, shot, profile, outcome, language] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    // No network: keep Chromium from reaching for Google's services at start.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('requestfailed', (r) => errors.push('request: ' + r.url()));
    page.on('request', (r) => { if (!r.url().startsWith('file:')) errors.push('external request: ' + r.url()); });
    await page.goto('file://' + path.resolve(page_));
    const before = await page.locator('#shown').textContent();
    await page.selectOption('#profile', profile);
    await page.selectOption('#outcome', outcome);
    await page.selectOption('#language', language);
    const rows = await page.$$eval('#matrix tr[data-case]', (trs) => trs.map((tr) => ({
      id: tr.dataset.case,
      cells: Object.fromEntries([...tr.querySelectorAll('td.o')].map((td) => [td.dataset.target, td.dataset.outcome])),
    })));
    const targets = await page.$$eval('#matrix th.target', (ths) => ths.map((th) => th.textContent));
    const summary = await page.$$eval('#summary tr[data-target]', (trs) => trs.map((tr) => tr.dataset.target));
    let details = null;
    if (rows.length > 0) {
      const cell = page.locator(`#matrix td.o[data-outcome="${outcome}"]`).first();
      await cell.click();
      details = {
        heading: await page.locator('#details h2').textContent(),
        evidence: await page.locator('#evidence').textContent(),
        selected: await page.locator('td.o.selected').count(),
      };
    }
    const hash = await page.evaluate(() => location.hash);
    await page.screenshot({ path: shot });
    // The same view again from the link alone.
    const again = await browser.newPage();
    await again.goto('file://' + path.resolve(page_) + hash);
    const fromLink = await again.$$eval('#matrix tr[data-case]', (trs) => trs.map((tr) => tr.dataset.case));
    const detailsFromLink = await again.locator('#details h2').textContent();
    console.log(JSON.stringify({ before, after: await page.locator('#shown').textContent(), rows, targets, summary, details, hash, fromLink, detailsFromLink, errors }));
  } finally {
    await browser.close();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
