import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import { initWasm, Resvg } from '@resvg/resvg-wasm';

// resvg as WebAssembly, not its native binding: one build for every platform, so a Lambda on
// arm64 runs what an x64 machine bundled, offline, with the files of RESVG_ASSETS copied beside
// the bundle. `here` is this module's folder in the repository, or the bundle's in a Lambda
const here = dirname(fileURLToPath(import.meta.url));

/** The files chartPng reads at run time, as a Lambda asset lays them out beside its bundle. */
export const RESVG_ASSETS = {
  wasm: 'resvg.wasm',
  fonts: ['fonts/DejaVuSans.ttf', 'fonts/DejaVuSans-Bold.ttf'],
} as const;

// Resolved when asked: a bundle beside its own copy has no node_modules to resolve from
const installedWasm = () =>
  createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm');

/**
 * The copies that let a bundle in `outDir` render charts, as [from, to] paths: the WebAssembly
 * from node_modules and the fonts from `chartsDir`, this module's folder in the repository (the
 * report Lambda's asset, the bench's bundles). A bundle calling it names that folder itself: its
 * own folder is the bundle's.
 */
export function resvgAssetCopies(outDir: string, chartsDir = here): [from: string, to: string][] {
  return [
    [installedWasm(), join(outDir, RESVG_ASSETS.wasm)],
    ...RESVG_ASSETS.fonts.map((font): [string, string] => [
      join(chartsDir, font),
      join(outDir, font),
    ]),
  ];
}

/** Options of chartPng. */
export interface PngOptions {
  /**
   * DejaVu Sans font files (regular, and bold for the titles). Default: the two shipped with the
   * code (fonts/, Bitstream Vera licence). System fonts are never read: only these load
   */
  readonly fontFiles?: readonly string[];
  /** Pixels per SVG unit; 2 gives a sharp image on a high-density screen. Default 2 */
  readonly scale?: number;
}

/** The font files are missing: text would silently not render, so the export refuses. */
export class ChartFontError extends Error {
  override name = 'ChartFontError';
}

/** The shipped fonts, beside the code: this module's fonts/ folder, or a bundle's copy of it. */
export const DEJAVU_SANS: readonly string[] = RESVG_ASSETS.fonts.map((font) => join(here, font));

let ready: Promise<void> | undefined;

// Compiled once per process (~2.5 MB of WebAssembly), on the first chart
function resvgReady(): Promise<void> {
  ready ??= (async () => {
    const besideCode = join(here, RESVG_ASSETS.wasm);
    await initWasm(readFileSync(existsSync(besideCode) ? besideCode : installedWasm()));
  })();
  return ready;
}

/** A chart's standalone SVG rendered to PNG bytes by resvg, with DejaVu Sans as every family. */
export async function chartPng(svg: string, options: PngOptions = {}): Promise<Uint8Array> {
  const fontFiles = [...(options.fontFiles ?? DEJAVU_SANS)];
  const missing = fontFiles.filter((file) => !existsSync(file));
  if (fontFiles.length === 0 || missing.length > 0) {
    throw new ChartFontError(
      `chart fonts not found: ${missing.join(', ') || 'none given'}; pass PngOptions.fontFiles (DejaVu Sans)`,
    );
  }
  await resvgReady();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    background: '#ffffff',
    font: {
      loadSystemFonts: false,
      fontBuffers: fontFiles.map((file) => readFileSync(file)),
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  });
  // WebAssembly memory is not garbage-collected: the tree and the image are freed by hand
  try {
    const image = resvg.render();
    try {
      return encodePng(image.width, image.height, image.pixels);
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** A PNG chunk: length, type, data, and the CRC of type and data. */
function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * 8-bit RGBA pixels as a PNG, compressed by Node's zlib. resvg's own `asPng()` encodes inside the
 * WebAssembly: 135-250 ms for the email's 1280 × 956 chart, against ~40 ms here, and a third
 * smaller (62 KB against 92 KB) at zlib's default level. Every row is filter type 0 (none): the
 * charts are flat colours, where deflate alone does well. chartPng's pixels are opaque (a white
 * background), so resvg's premultiplied alpha is the straight alpha PNG stores.
 */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const stride = width * 4;
  if (rgba.length !== stride * height) {
    throw new RangeError(`${rgba.length} bytes are not ${width} × ${height} RGBA pixels`);
  }
  const rows = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    rows.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  // Bit depth 8, colour type 6 (RGBA), deflate, adaptive filtering, no interlace
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
