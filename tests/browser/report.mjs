// report.mjs: the report site in a real Chromium (headless, the system's /usr/bin/chromium
// driven by playwright-core), opened from file:// as someone would open out/index.html.
// Every page (those manifest.json lists, every .html file in the folder, and every page
// reached by links from index.html) is loaded on a desktop (1280 px) and on a phone
// (390 px, 2x pixels): no console error, no failed request, every image decoded
// (naturalWidth > 0) and sharp (as many pixels as it is shown at), nothing wider than
// the screen, nothing below the footer. Full-page screenshots of each go to
// ARTIFACTS_DIR, with dark-mode and print views of the front page.
// Run by tests/e2e/report_browser.sh:
//   node tests/browser/report.mjs OUT_DIR ARTIFACTS_DIR
// Prints "ok"/"FAIL" per check and "N passed, N failed"; exits non-zero on a failure.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [outArg, artifacts] = process.argv.slice(2);
const out = resolve(outArg);
let passed = 0;
let failed = 0;

function check(story, condition, detail) {
  if (condition) {
    passed++;
    console.log(`ok   ${story}`);
  } else {
    failed++;
    console.log(`FAIL ${story}${detail ? `\n    ${detail}` : ''}`);
  }
}

// Every .html file below dir, relative to out.
function htmlFiles(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.cartograph')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...htmlFiles(path));
    else if (entry.name.endsWith('.html')) found.push(relative(out, path));
  }
  return found;
}

function manifestPages() {
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  return manifest.files.map((f) => f.path).filter((p) => p.endsWith('.html'));
}

// A file name for a page's screenshot: "catalog/p1.html" -> "catalog__p1".
function shotName(page) {
  return page.replace(/\.html$/, '').replaceAll('/', '__');
}

// Pages of one family share a name up to a "-suffix" ("index-30d.html" is "index"):
// a large site gets screenshots of the first few of each family only.
function family(page) {
  return page.replace(/-[^/]*\.html$/, '.html');
}

const SHOP_PATH = process.env.SHOP_URL || '/cgi-bin/shop.cgi';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// Opens a page of the site in context and waits until every image has loaded or failed
// (lazy images are made eager first). Returns the page and the problems seen.
async function open(context, path) {
  const page = await context.newPage();
  const problems = [];
  // From file:// the catalog's script cannot reach the shop program: those calls are
  // tested live under `cartograph serve` (tests/e2e/shop_browser.sh), not here.
  const toShop = (text) => text.includes(SHOP_PATH) || text.includes('Failed to load resource');
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !toShop(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`script error: ${e}`));
  page.on('requestfailed', (r) => {
    if (!toShop(r.url())) problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  const response = await page.goto(pathToFileURL(join(out, path)).href, { waitUntil: 'load' });
  if (!response || !response.ok()) problems.push(`load: ${response ? response.status() : 'no response'}`);
  await page.evaluate(async () => {
    const images = [...document.images];
    for (const img of images) img.loading = 'eager';
    await Promise.all(images.map((img) => (img.complete ? null : new Promise((done) => {
      img.addEventListener('load', done, { once: true });
      img.addEventListener('error', done, { once: true });
      setTimeout(done, 5000);
    }))));
  });
  return { page, problems };
}

// What a page shows about itself once loaded.
async function inspect(page) {
  return page.evaluate(async () => ({
    title: document.title,
    // naturalWidth of a srcset image is scaled by its density: the file's own pixel
    // width comes from loading the chosen file again on its own
    images: await Promise.all([...document.images].map(async (img) => {
      const file = new Image();
      file.src = img.currentSrc || img.src;
      const pixels = await file.decode().then(() => file.naturalWidth, () => 0);
      return {
        src: img.getAttribute('src'), current: img.currentSrc, width: img.naturalWidth,
        complete: img.complete, shownWidth: img.getBoundingClientRect().width, pixels,
      };
    })),
    ratio: window.devicePixelRatio,
    // how far the page reaches below its footer (a badly hidden element makes it long)
    belowFooter: (() => {
      const footer = document.querySelector('body > footer');
      if (!footer) return 0;
      return document.documentElement.scrollHeight - (footer.getBoundingClientRect().bottom + window.scrollY);
    })(),
    scrollWidth: document.documentElement.scrollWidth,
    viewWidth: document.documentElement.clientWidth,
    // a KPI figure wider than its card runs over the card's edge
    overflowingFigures: [...document.querySelectorAll('.kpi-value')]
      .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent),
    // a table of up to four columns is cut off by its scroll box (its last columns
    // out of sight on a phone) when it is wider than the box
    narrowTablesCut: [...document.querySelectorAll('.table-scroll > table')]
      .filter((t) => t.querySelectorAll('thead th').length <= 4)
      .filter((t) => t.getBoundingClientRect().width > t.parentElement.clientWidth + 1)
      .map((t) => t.querySelector('thead th')?.textContent || '?'),
    links: [...document.querySelectorAll('a[href]')].map((a) => a.href),
  }));
}

const devices = [
  { name: 'desktop', options: { viewport: { width: 1280, height: 800 } } },
  { name: 'phone', options: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } },
];

try {
  const fromManifest = manifestPages();
  const inFolder = htmlFiles(out);
  const pages = [...new Set([...fromManifest, ...inFolder])].sort();
  check('the site has a front page', pages.includes('index.html'));
  check('manifest.json lists every page in the folder', inFolder.every((p) => fromManifest.includes(p)),
    inFolder.filter((p) => !fromManifest.includes(p)).join(', '));
  const perFamily = new Map();
  const shotPages = new Set(pages.filter((p) => {
    const n = (perFamily.get(family(p)) || 0) + 1;
    perFamily.set(family(p), n);
    return pages.length <= 40 || n <= 2;
  }));
  const reached = new Set();

  for (const device of devices) {
    const dir = join(artifacts, device.name);
    mkdirSync(dir, { recursive: true });
    const context = await browser.newContext(device.options);
    for (const path of pages) {
      const { page, problems } = await open(context, path);
      const seen = await inspect(page);
      const story = `${device.name}: ${path}`;
      check(`${story} loads without console errors or failed requests`, problems.length === 0,
        problems.slice(0, 5).join('\n    '));
      check(`${story} has a title`, seen.title.trim().length > 0);
      const broken = seen.images.filter((img) => !img.complete || img.width === 0);
      check(`${story}: all ${seen.images.length} images show`, broken.length === 0,
        broken.map((img) => img.src).join(', '));
      const blurred = seen.images.filter((img) => img.pixels > 0 && img.pixels < 0.95 * img.shownWidth * seen.ratio);
      check(`${story}: images have the pixels they are shown at (not blown up)`, blurred.length === 0,
        blurred.map((img) => `${img.current}: ${img.pixels} px for ${img.shownWidth} x ${seen.ratio}`).join(', '));
      // a margin may hang below the footer; a badly hidden element makes pages far longer
      check(`${story} ends with its footer`, seen.belowFooter <= 24, `${seen.belowFooter} px below the footer`);
      check(`${story} fits the screen width (no sideways scrolling)`,
        seen.scrollWidth <= seen.viewWidth + 1, `${seen.scrollWidth} px wide in ${seen.viewWidth} px`);
      check(`${story}: every KPI figure fits its card`, seen.overflowingFigures.length === 0,
        seen.overflowingFigures.join(', '));
      check(`${story}: tables of up to four columns fit without scrolling`,
        seen.narrowTablesCut.length === 0, `tables headed: ${seen.narrowTablesCut.join(', ')}`);
      for (const href of seen.links) {
        if (!href.startsWith('file:')) continue;
        const target = relative(out, fileURLToPath(href.split('#')[0]));
        if (target.endsWith('.html') && !target.startsWith('..')) reached.add(target);
      }
      if (shotPages.has(path)) await page.screenshot({ path: join(dir, `${shotName(path)}.png`), fullPage: true });
      await page.close();
    }
    await context.close();
  }
  const missing = [...reached].filter((p) => !existsSync(join(out, p)));
  check('every page a link reaches exists', missing.length === 0, missing.join(', '));

  // Dark mode: the page follows the system setting and the charts stay on light cards.
  for (const device of devices) {
    const context = await browser.newContext({ ...device.options, colorScheme: 'dark' });
    const { page } = await open(context, 'index.html');
    const colours = await page.evaluate(() => {
      const rgb = (c) => (c.match(/\d+/g) || []).slice(0, 3).map(Number);
      const lum = ([r, g, b]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
      const body = getComputedStyle(document.body);
      return { background: lum(rgb(body.backgroundColor)), text: lum(rgb(body.color)) };
    });
    check(`dark ${device.name}: the front page turns dark with light text`,
      colours.background < 60 && colours.text > 180, JSON.stringify(colours));
    await page.screenshot({ path: join(artifacts, `dark-${device.name}-index.png`), fullPage: true });
    await context.close();
  }

  // Print: navigation and period switches are left out; a PDF shows the paper version.
  {
    const context = await browser.newContext(devices[0].options);
    const { page } = await open(context, 'index.html');
    await page.emulateMedia({ media: 'print' });
    const hidden = await page.evaluate(() => [...document.querySelectorAll('.site-header nav, .periods')]
      .every((el) => getComputedStyle(el).display === 'none'));
    check('print: navigation and the period switch are not printed', hidden);
    await page.screenshot({ path: join(artifacts, 'print-index.png'), fullPage: true });
    await page.pdf({ path: join(artifacts, 'print-index.pdf'), format: 'A4', printBackground: true });
    await context.close();
  }
} catch (e) {
  check('the browser run finishes', false, String(e && e.stack ? e.stack : e));
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
