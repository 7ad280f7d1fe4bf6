import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVaderLexicon } from '../../../../shared/adapters/lexicon-file.js';
import { DataValidationError, InvalidInputError } from '../../../../shared/domain/errors.js';
import {
  aggregateSentiment,
  parseVaderLexicon,
  VaderScorer,
} from '../../../../shared/domain/sentiment/vader.js';

const LEXICON_PATH = fileURLToPath(
  new URL('../../../../data/sentiment/vader_lexicon.csv', import.meta.url),
);

const thrownBy = (action: () => unknown): Error => {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, none was thrown');
};

// VADER's normalisation, to state the small-lexicon expectations as raw sums
const normalize = (sum: number) => sum / Math.sqrt(sum * sum + 15);

describe('VaderScorer on the shipped lexicon', () => {
  let scorer: VaderScorer;

  beforeAll(async () => {
    scorer = new VaderScorer(await loadVaderLexicon(LEXICON_PATH));
  });

  // Published in the vaderSentiment README; every one follows the reference rules exactly
  it.each([
    { text: 'VADER is smart, handsome, and funny.', compound: 0.8316 },
    { text: 'VADER is smart, handsome, and funny!', compound: 0.8439 },
    { text: 'VADER is very smart, handsome, and funny.', compound: 0.8545 },
    { text: 'VADER is VERY SMART, handsome, and FUNNY.', compound: 0.9227 },
    { text: 'VADER is VERY SMART, handsome, and FUNNY!!!', compound: 0.9342 },
    { text: 'VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!', compound: 0.9469 },
    { text: 'VADER is not smart, handsome, nor funny.', compound: -0.7424 },
    { text: 'The book was good.', compound: 0.4404 },
    { text: "At least it isn't a horrible book.", compound: 0.431 },
    { text: 'The book was kind of good.', compound: 0.3832 },
    { text: 'The book was only kind of good.', compound: 0.3832 },
    {
      text: 'The plot was good, but the characters are uncompelling and the dialog is not great.',
      compound: -0.7042,
    },
    { text: 'Today SUX!', compound: -0.5461 },
    { text: "Today only kinda sux! But I'll get by, lol", compound: 0.5249 },
    { text: 'Make sure you :) or :D today!', compound: 0.8633 },
    { text: 'Not bad at all', compound: 0.431 },
  ])('README: "$text" -> $compound', ({ text, compound }) => {
    expect(scorer.polarity(text).compound).toBeCloseTo(compound, 3);
  });

  // The README's "tricky sentences"; values from the reference Python implementation
  it.each([
    { text: 'Sentiment analysis has never been good.', compound: -0.3412 },
    { text: 'Sentiment analysis has never been this good!', compound: 0.5672 },
    { text: 'Most automated sentiment analysis tools are shit.', compound: -0.5574 },
    { text: 'With VADER, sentiment analysis is the shit!', compound: 0.6476 },
    { text: 'Other sentiment analysis tools can be quite bad.', compound: -0.5849 },
    { text: 'On the other hand, VADER is quite bad ass', compound: 0.802 },
    { text: 'VADER is such a badass!', compound: 0.4003 },
    { text: 'Without a doubt, excellent idea.', compound: 0.7013 },
    {
      text: 'Roger Dodger is one of the most compelling variations on this theme.',
      compound: 0.2944,
    },
    { text: 'Roger Dodger is at least compelling as a variation on the theme.', compound: 0.2263 },
    {
      text: 'Roger Dodger is one of the least compelling variations on this theme.',
      compound: -0.1695,
    },
    { text: 'Not such a badass after all.', compound: -0.2584 },
  ])('reference: "$text" -> $compound', ({ text, compound }) => {
    expect(scorer.polarity(text).compound).toBeCloseTo(compound, 3);
  });

  it.each([
    { text: 'VADER is smart, handsome, and funny.', pos: 0.746, neg: 0, neu: 0.254 },
    { text: 'Today SUX!', pos: 0, neg: 0.779, neu: 0.221 },
    { text: "Today only kinda sux! But I'll get by, lol", pos: 0.317, neg: 0.127, neu: 0.556 },
    { text: 'Not bad at all', pos: 0.487, neg: 0, neu: 0.513 },
  ])('README proportions for "$text"', ({ text, pos, neg, neu }) => {
    const scores = scorer.polarity(text);
    expect(scores.pos).toBeCloseTo(pos, 3);
    expect(scores.neg).toBeCloseTo(neg, 3);
    expect(scores.neu).toBeCloseTo(neu, 3);
    expect(scores.pos + scores.neg + scores.neu).toBeCloseTo(1, 12);
  });

  it('scores a sentence with no sentiment words as exactly neutral', () => {
    expect(scorer.polarity('The meeting is scheduled for Tuesday at noon.')).toEqual({
      compound: 0,
      pos: 0,
      neg: 0,
      neu: 1,
    });
  });

  it.each(['', '   \n\t '])('scores text without tokens (%j) as all zeros', (text) => {
    expect(scorer.polarity(text)).toEqual({ compound: 0, pos: 0, neg: 0, neu: 0 });
  });

  // Values from the reference Python implementation; the strategy buys above 0.3, exits below 0
  it.each([
    // VADER's lexicon has neither "beats" nor "surge": only "shares" (+1.2) scores, just under 0.3
    { text: 'Apple beats earnings expectations, shares surge', compound: 0.296 },
    { text: 'Apple beats expectations with record profit and strong growth', compound: 0.8316 },
    { text: 'Microsoft reports strong growth in cloud revenue', compound: 0.7096 },
    { text: 'Tesla wins approval for new plant', compound: 0.7783 },
    { text: 'Apple is not a bad investment', compound: 0.431 },
    { text: 'Company misses estimates and cuts guidance', compound: -0.4767 },
    { text: 'Bank warns of weak demand and rising losses', compound: -0.7579 },
    { text: 'Regulator opens fraud probe; shares plunge', compound: -0.3818 },
    { text: 'Strong quarter, but guidance disappoints', compound: -0.3071 },
    { text: 'Company announces quarterly dividend', compound: 0 },
  ])('headline: "$text" -> $compound', ({ text, compound }) => {
    expect(scorer.polarity(text).compound).toBeCloseTo(compound, 3);
  });

  it('puts a clear beat above the entry level and a miss below the exit level', () => {
    expect(
      scorer.polarity('Apple beats expectations with record profit and strong growth').compound,
    ).toBeGreaterThan(0.3);
    expect(scorer.polarity('Company misses estimates and cuts guidance').compound).toBeLessThan(0);
  });
});

describe('VADER rules on a two-word lexicon', () => {
  const scorer = new VaderScorer(
    new Map([
      ['good', 2],
      ['bad', -2],
    ]),
  );

  it.each([
    { text: 'good', sum: 2 },
    { text: 'the good', sum: 2 },
    { text: 'very good', sum: 2 + 0.293 }, // booster right before
    { text: 'very much good', sum: 2 + 0.293 * 0.95 }, // two back
    { text: 'very much much good', sum: 2 + 0.293 * 0.9 }, // three back
    { text: 'very much much much good', sum: 2 }, // out of reach
    { text: 'very bad', sum: -2 - 0.293 }, // boosters intensify negatives too
    { text: 'slightly good', sum: 2 - 0.293 }, // dampener
    { text: 'it was kind of good', sum: 2 - 0.293 }, // two-word dampener
    { text: 'GOOD day', sum: 2 + 0.733 }, // caps emphasis against non-caps words
    { text: 'GOOD', sum: 2 }, // all caps is no emphasis
    { text: 'VERY good day', sum: 2 + 0.293 + 0.733 }, // a capitalised booster
    { text: 'not good', sum: 2 * -0.74 },
    { text: "isn't good", sum: 2 * -0.74 }, // any n't
    { text: 'not one two good', sum: 2 * -0.74 }, // negation three back
    { text: 'not one two three good', sum: 2 }, // out of reach
    { text: 'no good', sum: 2 * -0.74 },
    { text: 'least good', sum: 2 * -0.74 },
    { text: 'at least good', sum: 2 },
    { text: 'good but bad', sum: 2 * 0.5 - 2 * 1.5 }, // after "but" dominates
    { text: 'good!', sum: 2 + 0.292 },
    { text: 'good!!!!!!', sum: 2 + 4 * 0.292 }, // capped at four
    { text: 'bad!', sum: -2 - 0.292 }, // emphasis follows the sign
    { text: 'good?', sum: 2 }, // one question mark is a question
    { text: 'good??', sum: 2 + 2 * 0.18 },
    { text: 'good???', sum: 2 + 3 * 0.18 },
    { text: 'good?????', sum: 2 + 0.96 },
    { text: 'hello!!!', sum: 0 }, // no sentiment, nothing to emphasise
    { text: '"good," (good)', sum: 4 }, // surrounding punctuation stripped
  ])('"$text" sums to $sum', ({ text, sum }) => {
    expect(scorer.polarity(text).compound).toBeCloseTo(normalize(sum), 12);
  });

  it('stays inside [-1, 1] however much sentiment piles up', () => {
    const compound = scorer.polarity('very good '.repeat(200)).compound;
    expect(compound).toBeLessThanOrEqual(1);
    expect(compound).toBeGreaterThan(0.999);
  });

  it('keeps emoticons that stripping punctuation would destroy', () => {
    const emoticons = new VaderScorer(
      new Map([
        [':)', 2],
        [':d', 2.3],
      ]),
    );
    expect(emoticons.polarity(':)').compound).toBeCloseTo(normalize(2), 12);
    // ":D" counts as caps, but a one-token text has no caps differential
    expect(emoticons.polarity(':D').compound).toBeCloseTo(normalize(2.3), 12);
  });
});

describe('parseVaderLexicon', () => {
  const header = 'token,score,stddev,ratings';

  it('reads quoted tokens and ratings, CRLF line ends and a byte-order mark', () => {
    const csv = `\uFEFF${header}\r\n",-:",1.2,0.4,"[1, 1, 2]"\r\ngood,1.9,0.9434,"[2, 1, 2]"\r\n`;
    expect(parseVaderLexicon(csv, 'lex.csv')).toEqual(
      new Map([
        [',-:', 1.2],
        ['good', 1.9],
      ]),
    );
  });

  it('keeps the last score of a repeated token, as the reference does', () => {
    const csv = `${header}\nlol,2.9,0.8,"[3]"\nlol,1.8,1.4,"[1]"\n`;
    expect(parseVaderLexicon(csv, 'lex.csv').get('lol')).toBe(1.8);
  });

  it.each([
    { rows: ['token,score', 'good,1.9,0.9,"[2]"'], line: 1, reason: /expected header/ },
    { rows: [header], line: 1, reason: /no entries/ },
    { rows: [header, 'good,1.9,0.9,"[2]"', 'bad,abc,0.6,"[-2]"'], line: 3, reason: /"abc"/ },
    { rows: [header, 'good,,0.9,"[2]"'], line: 2, reason: /score "" of "good" is not a number/ },
    { rows: [header, 'good,1.9,0.9'], line: 2, reason: /expected 4 fields, got 3/ },
    { rows: [header, 'good,1.9,0.9,"[2, 1'], line: 2, reason: /unterminated quoted field/ },
    { rows: [header, 'good,1.9,0.9,"[2]"x'], line: 2, reason: /unexpected text after quoted/ },
    { rows: [header, 'good,9.5,0.9,"[2]"'], line: 2, reason: /outside \[-4, 4\]/ },
    { rows: [header, ',1.9,0.9,"[2]"'], line: 2, reason: /empty token/ },
    { rows: [header, 'good,1.9,0.9,"[2]"', '', 'bad,-2,0.6,"[-2]"'], line: 3, reason: /blank/ },
  ])('rejects line $line: $reason', ({ rows, line, reason }) => {
    const error = thrownBy(() => parseVaderLexicon(`${rows.join('\n')}\n`, 'lex.csv'));
    expect(error).toBeInstanceOf(DataValidationError);
    expect(error).toMatchObject({ name: 'DataValidationError', file: 'lex.csv', line });
    expect(error.message).toMatch(new RegExp(`^lex\\.csv:${line}: .*${reason.source}`));
  });
});

describe('loadVaderLexicon', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'vader-lexicon-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('loads the shipped lexicon', async () => {
    const lexicon = await loadVaderLexicon(LEXICON_PATH);
    expect(lexicon.size).toBe(7506); // 7,520 rows, 14 of them repeat an earlier token
    expect(lexicon.get('good')).toBe(1.9);
    expect(lexicon.get(':)')).toBe(2);
    expect(lexicon.get('lol')).toBe(1.8);
  });

  it('names the file path and line of a bad row', async () => {
    const path = join(directory, 'broken.csv');
    await writeFile(path, 'token,score,stddev,ratings\ngood,high,0.9,"[2]"\n');
    await expect(loadVaderLexicon(path)).rejects.toThrow(`${path}:2: score "high"`);
  });
});

describe('aggregateSentiment', () => {
  it('returns null without headlines, so no news is never neutral news', () => {
    expect(aggregateSentiment([])).toBeNull();
  });

  it.each([
    { scores: [0.5], mean: 0.5 },
    { scores: [0.8316, -0.4767], mean: (0.8316 - 0.4767) / 2 },
    { scores: [1, -1, 0], mean: 0 },
  ])('averages $scores to $mean', ({ scores, mean }) => {
    expect(aggregateSentiment(scores)).toBeCloseTo(mean, 12);
  });

  it.each([[Number.NaN], [1.5], [-2]])('rejects %s, which is not a compound score', (score) => {
    expect(() => aggregateSentiment([0.2, score])).toThrow(InvalidInputError);
  });
});
