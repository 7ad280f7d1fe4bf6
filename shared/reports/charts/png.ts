import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}
