// shop.mjs: a shopper's visit in a real Chromium (headless, the system's /usr/bin/chromium
// driven by playwright-core) to the catalog `cartograph build` generated, served with the
// shop by `cartograph serve`: the catalog's front page, a category, a product page, add
// to cart, change the quantity, check out, see the confirmation, review the product. The
// front page and a product page are also looked at on a phone's width. Screenshots of
// each step go to the artifacts folder. Run by tests/e2e/shop_browser.sh, which starts
// the server:
//   node tests/browser/shop.mjs BASE_URL ARTIFACTS_DIR
// Prints "ok"/"FAIL" per step and "N passed, N failed"; exits non-zero on a failure.
import { chromium } from 'playwright-core';

const [base, artifacts] = process.argv.slice(2);
const shop = `${base}/cgi-bin/shop.cgi`;
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

async function shot(page, name) {
  await page.screenshot({ path: `${artifacts}/${name}.png`, fullPage: true });
}

// "$12.50" -> 1250
function cents(text) {
  return Math.round(parseFloat(String(text).replace(/[^0-9.]/g, '')) * 100);
}

function money(c) {
  return `$${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const problems = [];
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(msg.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));

  await page.goto(`${base}/shop/index.html`);
  check('the catalog front page lists categories', await page.locator('.category-card').count() > 0);
  await page.waitForSelector('form.quick-add[data-shop-ready]', { timeout: 5000 });
  await shot(page, 'shop-0-catalog');

  await Promise.all([page.waitForURL('**/shop/category/*.html'), page.click('.category-card >> nth=0')]);
  check('a category page lists its products', await page.locator('.product-grid .product').count() > 0);
  await shot(page, 'shop-1-category');

  // The first product of the category that can be bought.
  const card = page.locator('.product-grid .product:has(button[name=product_id])').first();
  const cardName = (await card.locator('.product-name').textContent()).trim();
  await Promise.all([page.waitForURL('**/shop/product/*.html'), card.locator('a.product-link').click()]);
  check('the product page names the product', (await page.textContent('h1')).trim() === cardName, cardName);
  await page.waitForSelector('form.add-to-cart[data-shop-ready]', { timeout: 5000 });
  const token = await page.inputValue('form.add-to-cart input[name=csrf]');
  check('the product page gets its form token from the shop', /^[0-9a-f]{32}$/.test(token), token);
  const productId = await page.inputValue('form.add-to-cart input[name=product_id]');
  const listedPrice = cents(await page.textContent('.price.big'));
  check('the product page shows a price', listedPrice > 0);
  await shot(page, 'shop-2-product');

  await Promise.all([page.waitForURL('**/cgi-bin/shop.cgi/cart'), page.click('form.add-to-cart button[type=submit]')]);
  check('adding to the cart lands on the cart page', (await page.title()).startsWith('Your cart'));
  const row = page.locator(`tr[data-product="${productId}"]`);
  check('the cart shows the product', (await row.locator('.product-name').textContent()) === cardName);
  const unit = cents(await row.locator('td.num').first().textContent());
  check('the cart charges the catalog\'s price', unit === listedPrice, `${unit} vs ${listedPrice}`);
  await shot(page, 'shop-3-cart');

  await row.locator('input.qty').fill('3');
  await row.locator('input.qty').dispatchEvent('change');
  await page.waitForFunction((want) => document.querySelector('.line-total').textContent === want,
    money(3 * unit), { timeout: 5000 }).catch(() => {});
  check('changing the quantity updates the line in place',
    (await row.locator('.line-total').textContent()) === money(3 * unit), await row.locator('.line-total').textContent());
  check('... and the subtotal', (await page.textContent('.cart-subtotal')) === money(3 * unit));
  await page.reload();
  check('the new quantity was saved', (await page.inputValue(`tr[data-product="${productId}"] input.qty`)) === '3');
  await shot(page, 'shop-4-cart-updated');

  await Promise.all([page.waitForURL('**/cgi-bin/shop.cgi/checkout'), page.click('text=Go to checkout')]);
  await page.fill('#name', 'Ada Lovelace');
  await page.fill('#email', 'ada@example.com');
  await page.fill('#address', '12 St James\'s Square\nLondon SW1Y 4JH');
  await page.check('input[name=payment_method][value=paypal]');
  await shot(page, 'shop-5-checkout');
  await Promise.all([page.waitForURL('**/cgi-bin/shop.cgi/order/W*'), page.click('button.place-order')]);
  const number = (await page.textContent('.order-number')) || '';
  check('checking out shows the confirmation with the order number', /^W\d{6}$/.test(number), number);
  check('the confirmation thanks the shopper by name', (await page.textContent('h1')) === 'Thank you, Ada Lovelace!');
  await shot(page, 'shop-6-confirmation');

  await page.fill('textarea[name=review]', 'Lovely, works as promised. <b>Recommended!</b>');
  await Promise.all([page.waitForURL('**/cgi-bin/shop.cgi/reviews'), page.click('text=Post review')]);
  check('a review can be posted from the confirmation', (await page.textContent('h1')) === 'Thank you for your review');
  check('the review shows as text, markup and all', (await page.textContent('blockquote')).includes('<b>Recommended!</b>'));
  await shot(page, 'shop-7-review');

  check('no script errors or blocked resources', problems.length === 0, problems.join(' | '));

  await page.goto(`${shop}/cart/add`);
  await shot(page, 'shop-8-error');
  check('the error page is a friendly page', (await page.textContent('h1')) === 'That is not something this page does');

  // A phone's width: nothing sticks out sideways.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const small = await phone.newPage();
  await small.goto(`${base}/shop/index.html`);
  let wide = await small.evaluate(() => document.documentElement.scrollWidth);
  check('the catalog front page fits a 390 px wide phone', wide <= 390, `${wide} px`);
  await shot(small, 'shop-9-phone-catalog');
  await Promise.all([small.waitForURL('**/shop/category/*.html'), small.click('.category-card >> nth=0')]);
  await Promise.all([small.waitForURL('**/shop/product/*.html'), small.click('.product-grid a.product-link >> nth=0')]);
  wide = await small.evaluate(() => document.documentElement.scrollWidth);
  check('a product page fits a 390 px wide phone', wide <= 390, `${wide} px`);
  await shot(small, 'shop-10-phone-product');
  await phone.close();
} catch (e) {
  check('the visit ran to its end', false, String(e));
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
