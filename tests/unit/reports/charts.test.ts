import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metricsFor } from '../../../shared/domain/metrics/index.js';
import { drawdownSeries } from '../../../shared/domain/metrics/series.js';
import {
  drawdownFacts,
  equityChart,
  exposureChart,
  gappedReturns,
  monthlyReturns,
  monthlyReturnsChart,
  rollingSharpe,
  rollingSharpeChart,
  strategyContributionChart,
  tradeReturnsChart,
  underwaterChart,
} from '../../../shared/reports/charts/index.js';
import { ChartRenderError, num, pathData } from '../../../shared/reports/charts/svg.js';
import { weekdays } from '../../fixtures/calendar.js';
import { aChartSet, aFlatChartSet, type ChartSet } from './fixtures.js';
import { chartFacts, expectValidChart } from './structure.js';

const CHARTS = {
  equity: (set: ChartSet) => equityChart(set.equity),
  'equity-log': (set: ChartSet) => equityChart(set.equity, { scale: 'log' }),
  underwater: (set: ChartSet) => underwaterChart(set.equity),
  'monthly-returns': (set: ChartSet) => monthlyReturnsChart(set.equity),
  'rolling-sharpe': (set: ChartSet) => rollingSharpeChart(set.equity, { overall: 0.5 }),
  'strategy-contribution': (set: ChartSet) => strategyContributionChart(set.contribution),
  'trade-returns': (set: ChartSet) => tradeReturnsChart(set.tradeReturns),
  exposure: (set: ChartSet) => exposureChart(set.exposure),
} as const;
type ChartName = keyof typeof CHARTS;
const ALL = Object.keys(CHARTS) as ChartName[];
const drawn = (except: ChartName[]) => ALL.filter((name) => !except.includes(name));

describe.each([
  { data: 'a year of trading', set: aChartSet(260), drawn: ALL },
  {
    data: 'a flat curve and no trades',
    set: aFlatChartSet(260),
    drawn: drawn(['trade-returns']),
  },
  {
    data: 'a single month',
    set: aChartSet(21, '2024-01-02'),
    drawn: drawn(['rolling-sharpe']),
  },
  {
    data: 'a single day',
    set: aChartSet(1, '2024-01-02'),
    drawn: ['monthly-returns', 'trade-returns'] as ChartName[],
  },
  { data: 'no days at all', set: aFlatChartSet(0), drawn: [] as ChartName[] },
])('with $data', ({ set, drawn: expected }) => {
  it.each(ALL)('%s is a valid chart, drawn or saying "no data"', (name) => {
    const svg = CHARTS[name](set);
    const facts = expectValidChart(svg);
    expect(facts.empty).toBe(!expected.includes(name));
  });
});

describe('equityChart', () => {
  it.each([
    [
      ['2023-06-15', '2023-06-16'],
      ['Jun 15', 'Jun 16'],
    ],
    [
      ['2023-06-14', '2023-06-15', '2023-06-16', '2023-06-20', '2023-06-21'],
      ['Jun 14', 'Jun 15', 'Jun 16', 'Jun 20', 'Jun 21'],
    ],
  ])('ticks the trading days themselves over a short range: %j', (dates, labels) => {
    const svg = equityChart({
      dates,
      equity: dates.map((_, i) => 100_000 + 100 * i),
      initialCapital: 100_000,
    });

    expectValidChart(svg);
    const facts = chartFacts(svg);
    expect(facts.points[0]).toBe(dates.length);
    // No weekend day (Jun 17-19) and no hour of a day among the date labels
    expect(facts.tickLabels.filter((label) => /^Jun/.test(label))).toEqual(labels);
  });

  it('breaks the benchmark line where it has no value instead of drawing NaN', () => {
    const set = aChartSet(260);
    const svg = equityChart(set.equity);
    const benchmark = /data-series="benchmark"[^>]*\sd="([^"]+)"/.exec(svg)![1]!;
    // The fixture leaves out days 50, 147 and 244: four pieces, each a move-to
    expect(benchmark.match(/M/g)).toHaveLength(4);
    expect(chartFacts(svg).points).toContain(257);
  });

  it('skips days a log scale cannot show', () => {
    const set = aChartSet(260);
    const equity = Float64Array.from(set.equity.equity);
    equity[100] = 0;
    equity[101] = Number.NaN;
    const svg = equityChart({ ...set.equity, equity }, { scale: 'log' });
    expectValidChart(svg);
    expect(svg).toMatch(/data-series="strategy" data-points="258"/);
  });

  it('uses a log axis when asked and names the scale in the title', () => {
    const svg = equityChart(aChartSet(260).equity, { scale: 'log' });
    expect(chartFacts(svg).title).toBe('Equity vs benchmark (log scale)');
    expect(chartFacts(svg).tickLabels.some((label) => label.startsWith('$'))).toBe(true);
  });

  it('escapes the text it is given', () => {
    const set = aChartSet(30);
    const name = '<script>alert("x")</script> & co';
    const svg = equityChart({ ...set.equity, benchmark: { ...set.equity.benchmark!, name } });
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expectValidChart(svg);
  });

  it('rejects a series that does not match its dates', () => {
    const set = aChartSet(30);
    expect(() => equityChart({ ...set.equity, equity: new Float64Array(29) })).toThrow(RangeError);
  });
});

describe('the structural checks', () => {
  const svg = equityChart(aChartSet(60).equity);

  it.each([
    ['a NaN coordinate', svg.replace(/ x2="[\d.]+"/, ' x2="NaN"')],
    ['a NaN in a path', svg.replace(/ d="M/, ' d="MNaN,')],
    ['an unclosed element', svg.replace('</g>', '')],
    ['an unescaped label', svg.replace('Equity vs benchmark<', 'Equity & <b>benchmark</b><')],
    ['no axes', svg.replaceAll('class="axis', 'class="gone')],
  ])('catch %s', (_, broken) => {
    expect(() => expectValidChart(broken)).toThrow();
  });
});

describe('the SVG writer', () => {
  it.each([Number.NaN, Number.POSITIVE_INFINITY])('refuses to write %d', (value) => {
    expect(() => num(value)).toThrow(ChartRenderError);
  });

  it('refuses path data with NaN in it', () => {
    expect(() => pathData('M0,0L1,NaN')).toThrow(ChartRenderError);
    expect(pathData(null)).toBe('');
  });
});

describe('monthlyReturns', () => {
  it('measures each month from the last close before it, the first from the capital', () => {
    const dates = ['2024-01-30', '2024-01-31', '2024-02-01', '2024-02-29', '2024-03-01'];
    const equity = [101, 110, 99, 121, 133.1];
    const returns = monthlyReturns(dates, equity, 100);
    expect(returns.years).toEqual(['2024']);
    expect(returns.months.get('2024-01')).toBeCloseTo(0.1, 12);
    expect(returns.months.get('2024-02')).toBeCloseTo(0.1, 12);
    expect(returns.months.get('2024-03')).toBeCloseTo(0.1, 12);
    expect(returns.yearly.get('2024')).toBeCloseTo(0.331, 12);
  });

  it('draws one filled cell for a single month', () => {
    const svg = monthlyReturnsChart(aChartSet(21, '2024-01-02').equity);
    expect(chartFacts(svg).points).toEqual([1]);
    expect(chartFacts(svg).tickLabels).toContain('2024');
  });
});

describe('rollingSharpe', () => {
  it('over a window as long as the run equals the whole-period Sharpe of the metrics', () => {
    const set = aChartSet(200);
    const equity = Float64Array.from(set.equity.equity);
    const rolling = rollingSharpe(gappedReturns(equity, 100_000), 200);
    const metrics = metricsFor({
      dates: set.equity.dates,
      equity,
      initialCapital: 100_000,
      exposure: new Float64Array(200),
      trades: [],
    });
    expect(rolling[198]).toBeNaN();
    expect(rolling[199]).toBeCloseTo(metrics.sharpe!, 10);
  });

  it('is 0, not a division by zero, for a flat curve', () => {
    const flat = new Float64Array(130).fill(100_000);
    expect(rollingSharpe(gappedReturns(flat, 100_000), 126)[129]).toBe(0);
  });
});

describe('drawdownFacts', () => {
  it('agrees with the metrics on the deepest drawdown and the longest time under water', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), {
          minLength: 1,
          maxLength: 80,
        }),
        (returns) => {
          let level = 100;
          const equity = Float64Array.from(returns, (r) => (level *= 1 + r));
          const metrics = metricsFor({
            dates: weekdays('2020-01-01', equity.length),
            equity,
            initialCapital: 100,
            exposure: new Float64Array(equity.length),
            trades: [],
          });
          const facts = drawdownFacts(drawdownSeries(equity, 100));
          expect(facts.worst).toBeCloseTo(metrics.maxDrawdown, 12);
          expect(facts.longest.days).toBe(metrics.maxDrawdownDays);
        },
      ),
    );
  });
});

describe('exposureChart', () => {
  it('shades each regime run and marks each stretch the trading state was not ACTIVE', () => {
    const set = aChartSet(60);
    const svg = exposureChart(set.exposure);
    // Regimes switch every 17 days: 4 runs in 60 days; REDUCING on day 20, HALTED from day 57
    expect(svg).toMatch(/class="regimes" data-runs="4"/);
    expect(svg).toMatch(/class="trading-states" data-marks="2"/);
    expect(svg).toContain('reducing (1 d)');
    expect(svg).toContain('halted (3 d)');
    expect(chartFacts(svg).axisLabels).toEqual(['Exposure ($)', 'Heat']);
  });
});

describe('tradeReturnsChart', () => {
  it('counts every trade, outliers in the end bins', () => {
    const returns = [...aChartSet(300).tradeReturns.returns, 5, -3];
    const svg = tradeReturnsChart({ returns });
    expect(chartFacts(svg).points).toEqual([302]);
    expect(svg).toMatch(/the 2 beyond the 1st–99th percentile/);
    const bars = [...svg.matchAll(/class="bar"/g)];
    expect(bars.length).toBeGreaterThan(5);
  });

  it('draws a single trade', () => {
    const facts = expectValidChart(tradeReturnsChart({ returns: [0.02] }));
    expect(facts.empty).toBe(false);
  });
});
