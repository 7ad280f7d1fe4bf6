import { describe, expect, it } from 'vitest';
import {
  equityChart,
  exposureChart,
  monthlyReturnsChart,
  tradeReturnsChart,
} from '../../../shared/reports/charts/index.js';
import { ChartFontError, chartPng, DEJAVU_SANS } from '../../../shared/reports/charts/png.js';
import { aChartSet } from './fixtures.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, which always comes first. */
const dimensions = (png: Uint8Array) => {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
};

describe('chartPng', () => {
  const set = aChartSet(260);

  it.each([
    ['equity', () => equityChart(set.equity)],
    ['monthly returns', () => monthlyReturnsChart(set.equity)],
    ['exposure', () => exposureChart(set.exposure)],
    ['a no-data panel', () => tradeReturnsChart({ returns: [] })],
  ])('renders the %s chart as a PNG twice its viewBox', async (_, render) => {
    const svg = render();
    const png = await chartPng(svg);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(png.length).toBeGreaterThan(10_000);
    const [, width, height] = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)!.map(Number);
    expect(dimensions(png)).toEqual({ width: width! * 2, height: height! * 2 });
  });

  it('draws the text with the font it is given', async () => {
    const svg = (body: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">${body}</svg>`;
    const blank = await chartPng(svg(''), { fontFiles: [DEJAVU_SANS[0]!], scale: 1 });
    const lettered = await chartPng(
      svg('<text x="10" y="28" font-family="DejaVu Sans" font-size="20">Equity $1,234</text>'),
      { fontFiles: [DEJAVU_SANS[0]!], scale: 1 },
    );
    expect(lettered.length).toBeGreaterThan(blank.length + 500);
  });

  it('refuses to render without its fonts, rather than drop every label', async () => {
    await expect(
      chartPng(equityChart(set.equity), { fontFiles: ['/nonexistent/DejaVuSans.ttf'] }),
    ).rejects.toThrow(ChartFontError);
  });
});
