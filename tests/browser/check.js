// Opens a report page in headless Chromium and follows a plan through the page's own
// controls, printing as JSON what the page shows at each `view` step, and what the same
// view shows when opened afresh from its link. Used by tests/browser.rs.
// Usage: node check.js PAGE.html SCREENSHOT.png|- PLAN
// PLAN is a JSON list of steps: {"select": ID, "value": V} picks an option, {"check": ID,
// "value": true} sets a checkbox, {"sort": COLUMN} clicks a summary heading, {"cell":
// [CASE, TARGET]} clicks a matrix cell, {"view": NAME} records what is shown.
const { chromium } = require('playwright-core');
const path = require('path');

// A CSS attribute value, quoted.
const q = (s) => JSON.stringify(s);
const STEPS = {
  select: (page, s) => page.selectOption('#' + s.select, s.value),
  check: (page, s) => page.setChecked('#' + s.check, s.value),
  sort: (page, s) => page.click(`#summary th[data-sort=${q(s.sort)}] button`),
  cell: (page, s) => page.click(`#matrix tr[data-case=${q(s.cell[0])}] td[data-target=${q(s.cell[1])}]`),
};

// Everything a view shows that the tests compare with the reports.
function shown() {
  const text = (sel) => document.querySelector(sel)?.textContent ?? null;
  const heads = [...document.querySelectorAll('#summary th[data-sort]')];
  const columns = heads.map((th) => th.dataset.sort);
  const see = document.querySelector('#see');
  return {
    shown: text('#shown'),
    hash: location.hash,
    controls: Object.fromEntries([...document.querySelectorAll('#filters select')].map((s) => [s.id, s.value]).concat([['all', document.querySelector('#all').checked]])),
    targets: [...document.querySelectorAll('#matrix th.target')].map((th) => th.textContent),
    rows: [...document.querySelectorAll('#matrix tr[data-case]')].map((tr) => ({
      id: tr.dataset.case,
      cells: Object.fromEntries([...tr.querySelectorAll('td.o')].map((td) => [td.dataset.target, td.dataset.outcome])),
    })),
    sorted: Object.fromEntries(heads.filter((th) => th.getAttribute('aria-sort') !== 'none').map((th) => [th.dataset.sort, th.getAttribute('aria-sort')])),
    summary: [...document.querySelectorAll('#summary tr[data-target]')].map((tr) => ({
      target: tr.dataset.target,
      counts: Object.fromEntries(columns.map((c, k) => [c, tr.children[k].textContent]).slice(2).map(([c, n]) => [c, Number(n)])),
    })),
    details: document.querySelector('#details').hidden ? null : {
      heading: text('#details h2'),
      evidence: text('#evidence'),
      selected: document.querySelectorAll('td.o.selected').length,
      advice: text('#advice'),
      see: see && { tag: see.tagName.toLowerCase(), href: see.getAttribute('href'), rel: see.getAttribute('rel'), text: see.textContent },
    },
  };
}

async function main() {
  const [page_, shot, plan] = process.argv.slice(2);
  const url = 'file://' + path.resolve(page_);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    // No network: keep Chromium from reaching for Google's services at start.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const errors = [];
  const open = async (hash) => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('requestfailed', (r) => errors.push('request: ' + r.url()));
    page.on('request', (r) => { if (!r.url().startsWith('file:')) errors.push('external request: ' + r.url()); });
    await page.goto(url + hash);
    return page;
  };
  try {
    const page = await open('');
    const views = [];
    for (const step of JSON.parse(plan)) {
      if ('view' in step) {
        const view = await page.evaluate(shown);
        // The same view again from the link alone.
        const again = await open(view.hash);
        views.push({ name: step.view, view, fromLink: await again.evaluate(shown) });
        await again.close();
      } else {
        const kind = Object.keys(STEPS).find((k) => k in step);
        if (!kind) throw new Error('unknown step ' + JSON.stringify(step));
        await STEPS[kind](page, step);
      }
    }
    if (shot !== '-') await page.screenshot({ path: shot });
    console.log(JSON.stringify({ views, errors }));
  } finally {
    await browser.close();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
