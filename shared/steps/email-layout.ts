// The emails' building blocks: numbers as text, and HTML that a narrow mail client shows well (no
// external resources, no <style> block, inline styles only, tables of few columns that wrap)

// One formatter each: toLocaleString builds a new one per call
const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const signedDollars = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  signDisplay: 'exceptZero',
});
const decimals = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** What a number that is not one reads as: never "NaN" or "undefined" in an email. */
export const NO_VALUE = '–';

/** $1,234.56 */
export const money = (value: number) => (Number.isFinite(value) ? dollars.format(value) : NO_VALUE);

/** +$1,234.56, -$1,234.56 or $0.00 */
export const signedMoney = (value: number) =>
  Number.isFinite(value) ? signedDollars.format(value) : NO_VALUE;

/** 1,234.56: a price */
export const price = (value: number) =>
  Number.isFinite(value) ? decimals.format(value) : NO_VALUE;

/** 0.0123 → 1.23 % */
export function percent(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return NO_VALUE;
  const fixed = (value * 100).toFixed(digits);
  // -0.00 reads as a loss that was not
  return `${Number(fixed) === 0 ? (0).toFixed(digits) : fixed} %`;
}

/** +1.23 % or -1.23 % */
export function signedPercent(value: number, digits = 2): string {
  const text = percent(value, digits);
  return Number.parseFloat(text) > 0 ? `+${text}` : text;
}

/** "1 day", "3 days" */
export const plural = (count: number, one: string, many = `${one}s`) =>
  `${count} ${count === 1 ? one : many}`;

export const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** HTML that is already escaped, told apart from text that is not. */
export interface Html {
  readonly html: string;
}
export const raw = (html: string): Html => ({ html });
const htmlOf = (content: string | Html) =>
  typeof content === 'string' ? escapeHtml(content) : content.html;

const FONT = 'Helvetica,Arial,sans-serif';
const INK = '#111827';
const MUTED = '#6b7280';
const RULE = '#e5e7eb';
export const GAIN = '#047857';
export const LOSS = '#b91c1c';

/** A number coloured by its sign. */
export function toned(text: string, value: number): Html {
  const color = !Number.isFinite(value) || value === 0 ? INK : value > 0 ? GAIN : LOSS;
  return raw(`<span style="color:${color}">${escapeHtml(text)}</span>`);
}

/** Small grey text, e.g. a second line in a cell. */
export const muted = (text: string): Html =>
  raw(`<span style="color:${MUTED};font-size:11px">${escapeHtml(text)}</span>`);

/** Pieces on lines of their own within one cell. */
export const stacked = (...parts: (string | Html)[]): Html => raw(parts.map(htmlOf).join('<br>'));

export const strong = (text: string): Html => raw(`<b>${escapeHtml(text)}</b>`);

/** A whole email: one column up to 600 px wide that shrinks to the screen. */
export function page(title: string, body: readonly Html[], footer = ''): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<title>${escapeHtml(title)}</title></head>` +
    `<body style="margin:0;padding:0;background:#f3f4f6">` +
    `<div style="max-width:600px;margin:0 auto;padding:12px;background:#ffffff;` +
    `font-family:${FONT};font-size:14px;line-height:1.45;color:${INK};` +
    `overflow-wrap:break-word;word-wrap:break-word">` +
    body.map((part) => part.html).join('') +
    (footer
      ? `<p style="margin:18px 0 0;color:${MUTED};font-size:11px">${escapeHtml(footer)}</p>`
      : '') +
    '</div></body></html>'
  );
}

/** The red box: what needs a person, before anything else. */
export function alertBox(title: string, items: readonly string[]): Html {
  const list = items.map((item) => `<li style="margin:3px 0">${escapeHtml(item)}</li>`).join('');
  return raw(
    `<div data-section="alerts" role="alert" style="margin:0 0 14px;padding:10px 12px;` +
      `border:2px solid ${LOSS};border-left-width:8px;border-radius:4px;background:#fef2f2;` +
      `color:#7f1d1d">` +
      `<div style="margin:0 0 4px;font-size:16px;font-weight:bold;color:${LOSS}">` +
      `&#9888; ${escapeHtml(title)}</div>` +
      `<ul style="margin:0;padding:0 0 0 18px;font-size:13px">${list}</ul></div>`,
  );
}

export const heading = (text: string): Html =>
  raw(`<h1 style="margin:0 0 8px;font-size:18px;line-height:1.3">${escapeHtml(text)}</h1>`);

/** A titled part of the email; `name` marks it for tests and screen readers alike. */
export function section(name: string, title: string, ...content: Html[]): Html {
  return raw(
    `<div data-section="${escapeHtml(name)}">` +
      `<h2 style="margin:18px 0 6px;padding:0 0 3px;border-bottom:1px solid ${RULE};` +
      `font-size:15px">${escapeHtml(title)}</h2>` +
      content.map((part) => part.html).join('') +
      '</div>',
  );
}

export const subheading = (text: string, note = ''): Html =>
  raw(
    `<h3 style="margin:10px 0 2px;font-size:13px">${escapeHtml(text)}` +
      (note ? ` <span style="font-weight:normal;color:${MUTED}">${escapeHtml(note)}</span>` : '') +
      '</h3>',
  );

export const paragraph = (text: string | Html): Html =>
  raw(`<p style="margin:4px 0;font-size:13px">${htmlOf(text)}</p>`);

export const list = (items: readonly (string | Html)[], ordered = false): Html => {
  const tag = ordered ? 'ol' : 'ul';
  return raw(
    `<${tag} style="margin:4px 0;padding:0 0 0 20px;font-size:13px">` +
      items.map((item) => `<li style="margin:3px 0">${htmlOf(item)}</li>`).join('') +
      `</${tag}>`,
  );
};

export interface Column {
  readonly title: string;
  readonly align?: 'left' | 'right';
}

/**
 * A data table that fits 375 px: keep it to four or five columns and stack a cell's second value
 * under its first. A left-aligned cell may wrap anywhere; a right-aligned one holds figures, which
 * never break ("+$332.6" over "0" on a phone), so the text beside them wraps instead.
 */
export function table(
  name: string,
  columns: readonly Column[],
  rows: readonly (readonly (string | Html)[])[],
): Html {
  const cell = (tag: 'th' | 'td', align: string, extra: string) =>
    `<${tag} align="${align}" style="padding:4px 5px;text-align:${align};vertical-align:top;` +
    `border-bottom:1px solid ${RULE};${extra}">`;
  const head = columns
    .map(
      (c) =>
        `${cell('th', c.align ?? 'left', `color:${MUTED};font-weight:normal;font-size:11px`)}` +
        `${escapeHtml(c.title)}</th>`,
    )
    .join('');
  const body = rows
    .map(
      (row) =>
        '<tr>' +
        row
          .map((value, i) => {
            const align = columns[i]?.align ?? 'left';
            const wrap = align === 'right' ? 'white-space:nowrap' : 'word-break:break-word';
            return `${cell('td', align, wrap)}${htmlOf(value)}</td>`;
          })
          .join('') +
        '</tr>',
    )
    .join('');
  return raw(
    `<table data-table="${escapeHtml(name)}" width="100%" cellpadding="0" cellspacing="0" ` +
      `style="width:100%;border-collapse:collapse;font-size:12px;line-height:1.35">` +
      `<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`,
  );
}

/** Label and value pairs, two columns. */
export const facts = (name: string, pairs: readonly (readonly [string, string | Html])[]): Html =>
  raw(
    `<table data-table="${escapeHtml(name)}" width="100%" cellpadding="0" cellspacing="0" ` +
      `style="width:100%;border-collapse:collapse;font-size:13px;line-height:1.35">` +
      pairs
        .map(
          ([label, value]) =>
            `<tr><td style="padding:3px 8px 3px 0;vertical-align:top;color:${MUTED};` +
            `white-space:nowrap">${escapeHtml(label)}</td>` +
            `<td style="padding:3px 0;vertical-align:top;word-break:break-word">${htmlOf(value)}</td></tr>`,
        )
        .join('') +
      '</table>',
  );

/** An inline image by content id, scaled to the column. */
export const inlineImage = (cid: string, alt: string): Html =>
  raw(
    `<img src="cid:${escapeHtml(cid)}" alt="${escapeHtml(alt)}" width="576" ` +
      'style="display:block;width:100%;max-width:576px;height:auto;border:0;margin:6px 0">',
  );

/** The plain-text part's section title. */
export const textHeading = (title: string) => ['', title.toUpperCase()];
