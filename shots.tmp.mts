import { launchChromium } from './e2e/helpers.ts';
import { signInFromHome } from './e2e/journeys.ts';
const base = 'http://127.0.0.1:3999';
const browser = await launchChromium();
const page = await browser.newPage();
await signInFromHome(page, base, 'giamsat.demo@example.vn', 'DemoCanBo@2026', true);
for (const [name, path] of [['inbox', '/quan-tri/phan-anh-kien-nghi'], ['figures', '/quan-tri/phan-anh-kien-nghi/so-lieu'], ['templates', '/quan-tri/phan-anh-kien-nghi/mau-tra-loi'], ['public', '/phan-anh-kien-nghi']]) {
  await page.goto(base + path);
  for (const w of [1280, 375]) {
    await page.setViewportSize({ width: w, height: 900 });
    await page.screenshot({ path: `/tmp/shots/${name}-${w}.png`, fullPage: true });
  }
}
await browser.close();
