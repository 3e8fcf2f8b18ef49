// The classic Notebook UI in Debian's headless Chromium, driven by Playwright (playwright-core:
// no browser of its own). Run by browser-test/run, which starts the Notebook server.
//
//   node notebook-ui.mjs --url http://127.0.0.1:PORT --token T --notebook NAME.ipynb
//                        --screenshot FILE.png [--expect-svg] [--chromium PATH]
//
// 1. opens the notebook, Cell > Run All, waits for every cell; checks: no error and no stderr
//    output, an HTML table, a PNG chart that the browser decoded, and (--expect-svg) an SVG picture;
//    saves a screenshot of the run notebook.
// 2. then a runaway cell (`while (true) {}`) started from the toolbar's Run button is stopped with
//    the toolbar's interrupt button: the kernel is idle again and the next cell still runs.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--expect-svg') args.expectSvg = true;
  else args[a.replace(/^--/, '')] = process.argv[++i];
}
for (const k of ['url', 'token', 'notebook', 'screenshot']) {
  if (!args[k]) { console.log(`notebook-ui: --${k} is required`); process.exit(2); }
}
const executablePath = args.chromium
  || ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => fs.existsSync(p));

const results = [];
function check(name, ok, detail = '') {
  results.push({ name, ok });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ' - ' + detail : ''}`);
}

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tasklab-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  viewport: { width: 1100, height: 1000 },
});
try {
  const page = context.pages()[0] || await context.newPage();
  // generous: a loaded 2-core machine serves the first page slowly; a failure still ends the run
  page.setDefaultTimeout(120_000);
  page.setDefaultNavigationTimeout(180_000);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(`${args.url}/notebooks/${encodeURIComponent(args.notebook)}?token=${args.token}`);
  await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel
    && Jupyter.notebook.kernel.is_connected(), null, { timeout: 120_000 });
  await page.waitForSelector('#kernel_indicator_icon.kernel_idle_icon', { timeout: 120_000 });
  check('notebook opened, kernel connected', true,
    await page.evaluate(() => Jupyter.notebook.kernel.name));

  // --- 1. Run All from the Cell menu
  await page.click('#celllink');
  await page.click('#run_all_cells > a');
  const codeCells = await page.evaluate(() => Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code').length);
  await page.waitForFunction(() => Jupyter.notebook.get_cells()
    .filter((c) => c.cell_type === 'code')
    .every((c) => typeof c.input_prompt_number === 'number'), null, { timeout: 300_000, polling: 500 });
  await page.waitForSelector('#kernel_indicator_icon.kernel_idle_icon', { timeout: 60_000 });
  check(`Run All executed every code cell (${codeCells})`, true);

  const errors = await page.locator('.output_area .output_error, .output_area .output_stderr').count();
  check('no error and no stderr output', errors === 0, errors ? `${errors} found` : '');
  const tables = await page.locator('.output_area .output_html table').count();
  check('the table shows as an HTML table', tables > 0, `${tables} table(s)`);
  const pngs = await page.locator('.output_area .output_png img').evaluateAll((imgs) =>
    imgs.map((i) => ({ decoded: i.complete && i.naturalWidth > 0, src: i.src.slice(0, 22) })));
  check('the chart shows as a decoded PNG image',
    pngs.length > 0 && pngs.every((p) => p.decoded && p.src === 'data:image/png;base64,'),
    `${pngs.length} image(s)`);
  const svgs = await page.locator('.output_area .output_svg svg').count();
  if (args.expectSvg) check('the COW picture shows as an SVG image', svgs > 0, `${svgs} svg(s)`);
  else console.log(`info the notebook has ${svgs} SVG output(s) (not required for it)`);
  check('no JavaScript error on the page', pageErrors.length === 0, pageErrors.join('; '));

  // the screenshot: the top of the notebook's first rich output, as a reader sees it
  const first = page.locator('.output_area .output_svg, .output_area .output_html, .output_area .output_png').first();
  await first.evaluate((el) => el.closest('.cell').scrollIntoView({ block: 'start' }));
  await page.evaluate(() => window.scrollBy(0, 0));
  fs.mkdirSync(path.dirname(args.screenshot), { recursive: true });
  await page.screenshot({ path: args.screenshot });
  console.log(`info screenshot saved: ${args.screenshot}`);

  // --- 2. a runaway cell, interrupted from the toolbar
  await page.evaluate(() => {
    const cell = Jupyter.notebook.insert_cell_at_bottom('code');
    cell.set_text('long spins = 0;\nwhile (true) { spins++; }');
    Jupyter.notebook.select(Jupyter.notebook.find_cell_index(cell));
    cell.focus_cell();
  });
  await page.click('button[data-jupyter-action="jupyter-notebook:run-cell-and-select-next"]');
  await page.waitForSelector('#kernel_indicator_icon.kernel_busy_icon', { timeout: 30_000 });
  await page.waitForTimeout(2000);
  const stillBusy = await page.locator('#kernel_indicator_icon.kernel_busy_icon').count();
  check('the runaway cell keeps the kernel busy', stillBusy === 1);
  const t0 = Date.now();
  await page.click('button[data-jupyter-action="jupyter-notebook:interrupt-kernel"]');
  await page.waitForSelector('#kernel_indicator_icon.kernel_idle_icon', { timeout: 30_000 });
  check('the toolbar interrupt makes the kernel idle again', true, `${Date.now() - t0} ms`);
  // the kernel still works and kept its state: the next cell runs
  const probeIndex = await page.evaluate(() => {
    const i = Jupyter.notebook.get_selected_index();   // Run selected the cell below the runaway one
    Jupyter.notebook.get_cell(i).set_text('int probe = 40 + 2;\nprobe');
    return i;
  });
  await page.click('button[data-jupyter-action="jupyter-notebook:run-cell-and-select-next"]');
  await page.waitForFunction((i) => {
    const c = Jupyter.notebook.get_cell(i);
    return typeof c.input_prompt_number === 'number' && c.output_area.outputs.length > 0;
  }, probeIndex, { timeout: 60_000 });
  const probe = await page.evaluate((i) => {
    const o = Jupyter.notebook.get_cell(i).output_area.outputs[0];
    return o.data ? o.data['text/plain'] : JSON.stringify(o);
  }, probeIndex);
  check('the next cell runs after the interrupt', String(probe).trim() === '42', `printed ${probe}`);
} catch (e) {
  check('browser session', false, String(e).split('\n')[0]);
} finally {
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
