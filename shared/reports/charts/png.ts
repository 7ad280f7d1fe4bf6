import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';

/** Where Debian's fonts-dejavu-core puts DejaVu Sans; a Lambda has no system fonts, so pass your own. */
export const SYSTEM_DEJAVU_SANS = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
] as const;

/** Options of chartPng. */
export interface PngOptions {
  /**
   * DejaVu Sans font files (regular, and bold for the titles), e.g. bundled beside a Lambda's code.
   * Default: the system's, SYSTEM_DEJAVU_SANS. System fonts are never scanned: only these load
   */
  readonly fontFiles?: readonly string[];
  /** Pixels per SVG unit; 2 gives a sharp image on a high-density screen. Default 2 */
  readonly scale?: number;
}

/** The font files are missing: text would silently not render, so the export refuses. */
export class ChartFontError extends Error {
  override name = 'ChartFontError';
}

/** A chart's standalone SVG rendered to PNG bytes by resvg, with DejaVu Sans as every family. */
export function chartPng(svg: string, options: PngOptions = {}): Buffer {
  const fontFiles = [...(options.fontFiles ?? SYSTEM_DEJAVU_SANS)];
  const missing = fontFiles.filter((file) => !existsSync(file));
  if (fontFiles.length === 0 || missing.length > 0) {
    throw new ChartFontError(
      `chart fonts not found: ${missing.join(', ') || 'none given'}; pass PngOptions.fontFiles (DejaVu Sans)`,
    );
  }
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    background: '#ffffff',
    font: {
      loadSystemFonts: false,
      fontFiles,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  });
  return resvg.render().asPng();
}
