/// <reference lib="dom" />
/**
 * The tearsheet and the daily email as a person sees them: opened in headless Chromium (Debian's
 * `chromium` package, driven by playwright-core; `.ci/run` installs it), at a desktop width and at
 * 375 px, a phone's mail client. A console error, an empty or zero-size chart, anything wider
 * than the window, or a figure in a numeric column broken across two lines fails the page.
 * Screenshots go to out/browser/.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataFolder } from '../../shared/adapters/data-folder.js';
import { runBacktest } from '../../shared/backtest/engine.js';
import { summarise } from '../../shared/backtest/summary.js';
import { parseConfig } from '../../shared/domain/config.js';
import { backtestTearsheet } from '../../shared/reports/tearsheet.js';
import { freshWorkflow } from '../integration/daily-run/support.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
// As FACTS.md has it: without the background-networking flags, Chromium keeps dialling Google
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const SHOTS = join('out', 'browser');
const WIDTHS = [1280, 375] as const;

let browser: Browser;
const pages: Record<'tearsheet' | 'email', string> = { tearsheet: '', email: '' };

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  await mkdir(SHOTS, { recursive: true });
  const history = await loadDataFolder('data', { benchmark: 'none' });
  const run = await runBacktest(history, parseConfig({}), { from: '2022-01-01' });
  pages.tearsheet = join(SHOTS, 'tearsheet.html');
  await writeFile(pages.tearsheet, backtestTearsheet(history, run, summarise(history, run)));
  // Six days of the daily run, so the last email has positions, fills, a day's P&L and its chart
  const workflow = await freshWorkflow();
  try {
    for (const date of history.dates.filter((d) => d >= '2023-06-12' && d <= '2023-06-20')) {
      const outcome = await workflow.run(date);
      if (outcome.status !== 'succeeded') throw new Error(`the daily run of ${date} failed`);
    }
    pages.email = join(SHOTS, 'email.html');
    await writeFile(pages.email, await readFile(join(workflow.outboxDir, '2023-06-20-daily.html')));
  } finally {
    await workflow.close();
  }
});
afterAll(() => browser?.close());

/** Opens a file at a width, collecting what the page logs as an error. */
async function open(file: string, width: number): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  // A page that reached for the network would fail here: nothing may leave the file
  page.on('request', (request) => {
    if (!request.url().startsWith('file:') && !request.url().startsWith('data:')) {
      errors.push(`requested ${request.url()}`);
    }
  });
  await page.goto(`file://${join(process.cwd(), file)}`);
  return { page, errors };
}

/** Every visible chart's size and how many marks it drew; the page's width beyond the window. */
const layout = (page: Page) =>
  page.evaluate(() => ({
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    charts: Array.from(document.querySelectorAll('svg'))
      .filter((svg) => svg.checkVisibility() && !svg.parentElement?.closest('svg'))
      .map((svg) => {
        const { width, height } = svg.getBoundingClientRect();
        return {
          label: svg.getAttribute('aria-label') ?? svg.querySelector('title')?.textContent ?? '?',
          width,
          height,
          marks: svg.querySelectorAll('path, rect, circle, line').length,
        };
      }),
    images: Array.from(document.querySelectorAll('img')).map(
      (img) => img.getAttribute('src') ?? '',
    ),
    // A figure in a right-aligned (numeric) cell that the layout broke across two lines
    brokenFigures: Array.from(document.querySelectorAll('td[align="right"]')).flatMap((cell) => {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      const broken: string[] = [];
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        const lines = new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top)));
        if (lines.size > 1) broken.push(node.textContent ?? '');
      }
      return broken;
    }),
  }));

describe.each(WIDTHS)('at %i px', (width) => {
  it('the tearsheet shows every chart, drawn, with no error and nothing wider than the window', async () => {
    const { page, errors } = await open(pages.tearsheet, width);
    const { overflow, charts } = await layout(page);
    await page.screenshot({ path: join(SHOTS, `tearsheet-${width}.png`), fullPage: true });
    await page.close();

    expect(errors).toEqual([]);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(charts.length).toBeGreaterThanOrEqual(7);
    for (const chart of charts) {
      expect(chart.width, chart.label).toBeGreaterThan(100);
      expect(chart.height, chart.label).toBeGreaterThan(50);
      expect(chart.marks, chart.label).toBeGreaterThan(3);
    }
  });

  it('the daily email renders with no error, no outside resource and nothing wider than the window', async () => {
    const { page, errors } = await open(pages.email, width);
    const { overflow, images, brokenFigures } = await layout(page);
    await page.screenshot({ path: join(SHOTS, `email-${width}.png`), fullPage: true });
    const text = await page.evaluate(() => document.body.innerText);
    await page.close();

    expect(errors).toEqual([]);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(brokenFigures).toEqual([]);
    expect(text).toMatch(/\$[\d,]+\.\d\d/);
    expect(text).not.toMatch(/NaN|undefined/);
    // The outbox's .html carries the message's cid: chart inline, as a data: URI
    expect(images.length).toBeGreaterThanOrEqual(1);
    for (const src of images) expect(src).toMatch(/^data:image\/png;base64,/);
  });
});
