// Page-load measurement (not a test): opens the UI served at $URL (default
// http://127.0.0.1:8080) five times in headless Chromium and prints the time to the first
// table render and to every panel drawn.  node load.mjs http://127.0.0.1:8080
import { chromium } from 'playwright-core';

const base = process.argv[2] || process.env.URL || 'http://127.0.0.1:8080';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
for (let i = 0; i < 5; i++) {
  const t0 = Date.now();
  await page.goto(base + '/');
  await page.waitForSelector('body[data-table-ready="1"] #events tbody tr[data-id]', { timeout: 120_000 });
  const table = Date.now() - t0;
  await page.waitForSelector('body[data-ready="1"]', { timeout: 120_000 });
  console.log(`run ${i + 1}: first table render ${table} ms, all panels ${Date.now() - t0} ms`);
}
await browser.close();
