import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  equityChart,
  exposureChart,
  monthlyReturnsChart,
  tradeReturnsChart,
} from '../../../shared/reports/charts/index.js';
import {
  ChartFontError,
  chartPng,
  DEJAVU_SANS,
  encodePng,
} from '../../../shared/reports/charts/png.js';
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

describe('encodePng', () => {
  /** The chunks of a PNG, each with its type, data and whether its CRC checks. */
  const chunks = (png: Buffer) => {
    const found: { type: string; data: Buffer; crcOk: boolean }[] = [];
    for (let at = 8; at < png.length; ) {
      const length = png.readUInt32BE(at);
      const data = png.subarray(at + 8, at + 8 + length);
      const crc = png.readUInt32BE(at + 8 + length);
      found.push({
        type: png.toString('latin1', at + 4, at + 8),
        data,
        crcOk: crc32(png.subarray(at + 4, at + 8 + length)) === crc,
      });
      at += 12 + length;
    }
    return found;
  };

  it('stores every pixel as given, in checked chunks a decoder reads', () => {
    const [width, height] = [3, 2];
    const rgba = Uint8Array.from({ length: width * height * 4 }, (_, i) => (i * 37) % 256);
    const png = encodePng(width, height, rgba);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const found = chunks(png);
    expect(found.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(found.every((c) => c.crcOk)).toBe(true);
    expect(dimensions(png)).toEqual({ width, height });
    // Bit depth 8, RGBA
    expect([...found[0]!.data.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
    const rows = inflateSync(found[1]!.data);
    const stride = width * 4;
    for (let y = 0; y < height; y++) {
      expect(rows[y * (stride + 1)]).toBe(0);
      expect([...rows.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))]).toEqual([
        ...rgba.subarray(y * stride, (y + 1) * stride),
      ]);
    }
  });

  it('refuses pixels that are not width × height RGBA', () => {
    expect(() => encodePng(3, 2, new Uint8Array(23))).toThrow(/23 bytes are not 3 × 2 RGBA/);
  });
});
