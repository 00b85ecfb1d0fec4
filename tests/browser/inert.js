// Opens a report page built from hostile strings in headless Chromium, shows every target
// with the page's switch, clicks every cell, and prints as JSON what rendered (messages and
// advice included) and whether any script the data smuggled in ran.
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
    await page.setChecked('#all', true);
    const rows = await page.$$eval('#matrix tr[data-case]', (trs) => trs.map((tr) => tr.dataset.case));
    const titles = await page.$$eval('#matrix td.case', (tds) => tds.map((td) => td.title));
    const cells = page.locator('#matrix td.o');
    const clicks = [];
    for (let k = 0; k < await cells.count(); k += 1) {
      await cells.nth(k).click();
      clicks.push(await page.evaluate(() => {
        const td = document.querySelector('td.o.selected');
        const see = document.querySelector('#see');
        return {
          case: td.closest('tr').dataset.case,
          target: td.dataset.target,
          message: document.querySelector('#message').textContent,
          advice: document.querySelector('#advice')?.textContent ?? null,
          see: see && { tag: see.tagName.toLowerCase(), href: see.getAttribute('href'), rel: see.getAttribute('rel'), text: see.textContent },
        };
      }));
    }
    const scripts = await page.$$eval('script', (s) => s.length);
    const pwned = await page.evaluate(() => window.__pwned === 1);
    console.log(JSON.stringify({ rows, titles, clicks, scripts, pwned, dialogs, errors }));
  } finally {
    await browser.close();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
