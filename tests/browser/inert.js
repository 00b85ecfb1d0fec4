// Opens a report page built from hostile strings in headless Chromium, clicks every cell,
// and prints as JSON what rendered and whether any script the data smuggled in ran.
// Used by tests/browser.rs. Usage: node inert.js PAGE.html
const { chromium } = require('playwright-core');
const path = require('path');

async function main() {
  const [page_] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    const dialogs = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    page.on('request', (r) => { if (!r.url().startsWith('file:')) errors.push('external request: ' + r.url()); });
    await page.goto('file://' + path.resolve(page_));
    const rows = await page.$$eval('#matrix tr[data-case]', (trs) => trs.map((tr) => tr.dataset.case));
    const titles = await page.$$eval('#matrix td.case', (tds) => tds.map((td) => td.title));
    const messages = [];
    for (const id of rows) {
      await page.locator(`#matrix tr[data-case="${id}"] td.o`).first().click();
      messages.push(await page.locator('#message').textContent());
    }
    const scripts = await page.$$eval('script', (s) => s.length);
    const pwned = await page.evaluate(() => window.__pwned === 1);
    console.log(JSON.stringify({ rows, titles, messages, scripts, pwned, dialogs, errors }));
  } finally {
    await browser.close();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
