// Numbers as a reader sees them, in charts and tables alike; a non-finite value is a dash

let moneyFormat: Intl.NumberFormat | undefined;
let cents: Intl.NumberFormat | undefined;

/** 0.1234 → "12.3 %"; a non-finite value is "–". */
export function formatPercent(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return '–';
  const fixed = (value * 100).toFixed(digits);
  // -0.0 reads as a loss that was not
  return `${Number(fixed) === 0 ? (0).toFixed(digits) : fixed} %`;
}

/** 1234.5 → "$1,235", whole dollars; a non-finite value is "–". */
export function formatMoney(value: number): string {
  if (!Number.isFinite(value)) return '–';
  // Built on first use, once: a formatter per call costs a backtest seconds
  moneyFormat ??= new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    maximumFractionDigits: 0,
  });
  return moneyFormat.format(value);
}

/** 1234.5 → "1,234.50": a price or a P&L to the cent. */
export function formatCents(value: number): string {
  if (!Number.isFinite(value)) return '–';
  cents ??= new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return cents.format(value);
}

/** +12.3 % or -4.5 %. */
export function signed(value: number, digits = 1): string {
  const text = formatPercent(value, digits);
  return Number.parseFloat(text) > 0 ? `+${text}` : text;
}

/** +$1,235 or -$567. */
export function signedMoney(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const text = formatMoney(value);
  return value > 0 && text !== '$0' ? `+${text}` : text;
}
