// shop.mjs: a shopper's visit in a real Chromium (headless, the system's /usr/bin/chromium
// driven by playwright-core): the product page, add to cart, change the quantity, check
// out, see the confirmation, review the product. Screenshots of each step go to the
// artifacts folder. Run by tests/e2e/shop_browser.sh, which starts the server:
//   node tests/browser/shop.mjs BASE_URL ARTIFACTS_DIR
// Prints "ok"/"FAIL" per step and "N passed, N failed"; exits non-zero on a failure.
import { chromium } from 'playwright-core';

const [base, artifacts] = process.argv.slice(2);
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

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const problems = [];
try {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(msg.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));

  await page.goto(`${base}/product.html`);
  await page.waitForSelector('form.add-to-cart[data-shop-ready]', { timeout: 5000 });
  const token = await page.inputValue('form.add-to-cart input[name=csrf]');
  check('the product page gets its form token from the shop', /^[0-9a-f]{32}$/.test(token), token);
  await shot(page, 'shop-1-product');

  await Promise.all([page.waitForURL('**/shop.cgi/cart'), page.click('form.add-to-cart button')]);
  check('adding to the cart lands on the cart page', (await page.title()).startsWith('Your cart'));
  const row = page.locator('tr[data-product="P1"]');
  check('the cart shows the mug', (await row.locator('.product-name').textContent()) === 'Blue enamel mug');
  check('the cart shows the total', (await page.textContent('.cart-total')) === '£16.45');
  check('the cart suggests products bought together', await page.isVisible('#together'));
  await shot(page, 'shop-2-cart');

  await row.locator('input.qty').fill('3');
  await row.locator('input.qty').dispatchEvent('change');
  await page.waitForFunction(() => document.querySelector('.cart-total').textContent === '£41.45', null, { timeout: 5000 })
    .catch(() => {});
  check('changing the quantity updates the line in place', (await row.locator('.line-total').textContent()) === '£37.50');
  check('... and the totals', (await page.textContent('.cart-total')) === '£41.45');
  await page.reload();
  check('the new quantity was saved', (await page.inputValue('tr[data-product="P1"] input.qty')) === '3');
  await shot(page, 'shop-3-cart-updated');

  await Promise.all([page.waitForURL('**/shop.cgi/checkout'), page.click('text=Go to checkout')]);
  await page.fill('#name', 'Ada Lovelace');
  await page.fill('#email', 'ada@example.com');
  await page.fill('#address', '12 St James\'s Square\nLondon SW1Y 4JH');
  await page.check('input[name=payment_method][value=paypal]');
  await shot(page, 'shop-4-checkout');
  await Promise.all([page.waitForURL('**/shop.cgi/order/W*'), page.click('button.place-order')]);
  const number = (await page.textContent('.order-number')) || '';
  check('checking out shows the confirmation with the order number', /^W\d{6}$/.test(number), number);
  check('the confirmation thanks the shopper by name', (await page.textContent('h1')) === 'Thank you, Ada Lovelace!');
  await shot(page, 'shop-5-confirmation');

  await page.fill('textarea[name=review]', 'Lovely mug, keeps the tea hot. <b>Recommended!</b>');
  await Promise.all([page.waitForURL('**/shop.cgi/reviews'), page.click('text=Post review')]);
  check('a review can be posted from the confirmation', (await page.textContent('h1')) === 'Thank you for your review');
  check('the review shows as text, markup and all', (await page.textContent('blockquote')).includes('<b>Recommended!</b>'));
  await shot(page, 'shop-6-review');

  check('no script errors or blocked resources', problems.length === 0, problems.join(' | '));

  await page.goto(`${base}/shop.cgi/cart/add`);
  await shot(page, 'shop-7-error');
  check('the error page is a friendly page', (await page.textContent('h1')) === 'That is not something this page does');
} catch (e) {
  check('the visit ran to its end', false, String(e));
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
