/**
 * VADER sentiment (Hutto & Gilbert 2014), ported rule for rule from vaderSentiment 3.3.2
 * (MIT, C.J. Hutto; licence text in data/LICENSES/MIT_cjhutto-vaderSentiment.txt).
 *
 * Kept as in the reference so that scores match the Python package: tokenisation (whitespace
 * split, leading and trailing punctuation stripped unless that leaves two characters or fewer, so
 * ":)" and ":D" survive), lower-case lexicon lookup, booster and dampener words scaled by distance
 * (1.0, 0.95, 0.9), ALL-CAPS emphasis only when the text mixes caps and non-caps, negation up to
 * three tokens back (NEGATE list and "n't"), "no" as a negator, "never so/this", "without doubt",
 * the special-case idioms, "kind of"/"sort of", "least", "but", "!" and "?" amplification and
 * compound = sum / sqrt(sum² + 15) clamped to [-1, 1].
 *
 * Reference quirks kept on purpose, because fixing them would move scores away from the published
 * ones: at distance three, a word right before the lexicon word that is "so" or "this" scales it by
 * 1.25 even without "never" (Python's `and`/`or` precedence), and the "but" rule finds each
 * sentiment by value (`list.index`), so in rare cases it rescales an equal-valued earlier item.
 *
 * Differences from the reference:
 * - No emoji-to-description step: the emoji lexicon is not shipped, so an emoji scores only if the
 *   lexicon itself holds it.
 * - Scores are returned unrounded; the reference rounds compound to 4 places and pos/neg/neu to 3.
 * - Whitespace is JavaScript's `\s`, which differs from Python's `str.split()` only for a few
 *   control characters (U+001C..U+001F, U+0085) and U+FEFF.
 */
import { DataValidationError, InvalidInputError } from '../errors.js';

// Empirically derived intensity changes, from the paper and the reference implementation
const B_INCR = 0.293;
const B_DECR = -0.293;
const C_INCR = 0.733;
const N_SCALAR = -0.74;
const EXCLAMATION_INCR = 0.292;
const MAX_EXCLAMATIONS = 4;
const QUESTION_INCR = 0.18;
const QUESTION_CAP = 0.96;
const NORMALIZE_ALPHA = 15;
// A booster one word back counts fully, two back 95 %, three back 90 %
const DISTANCE_DAMPING = [1, 0.95, 0.9] as const;
// The lexicon was rated on a -4..+4 scale; anything outside it is a corrupt row
const LEXICON_SCORE_LIMIT = 4;

const LEXICON_HEADER = 'token,score,stddev,ratings';

// biome-ignore format: keeps the reference's word list compact
const NEGATE: ReadonlySet<string> = new Set([
  'aint', 'arent', 'cannot', 'cant', 'couldnt', 'darent', 'didnt', 'doesnt',
  "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
  'dont', 'hadnt', 'hasnt', 'havent', 'isnt', 'mightnt', 'mustnt', 'neither',
  "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
  'neednt', "needn't", 'never', 'none', 'nope', 'nor', 'not', 'nothing', 'nowhere',
  'oughtnt', 'shant', 'shouldnt', 'uhuh', 'wasnt', 'werent',
  "oughtn't", "shan't", "shouldn't", 'uh-uh', "wasn't", "weren't",
  'without', 'wont', 'wouldnt', "won't", "wouldn't", 'rarely', 'seldom', 'despite',
]);

// biome-ignore format: a word list, not code
const BOOSTERS = [
  'absolutely', 'amazingly', 'awfully', 'completely', 'considerable', 'considerably',
  'decidedly', 'deeply', 'effing', 'enormous', 'enormously', 'entirely', 'especially',
  'exceptional', 'exceptionally', 'extreme', 'extremely', 'fabulously', 'flipping', 'flippin',
  'frackin', 'fracking', 'fricking', 'frickin', 'frigging', 'friggin', 'fully', 'fuckin',
  'fucking', 'fuggin', 'fugging', 'greatly', 'hella', 'highly', 'hugely', 'incredible',
  'incredibly', 'intensely', 'major', 'majorly', 'more', 'most', 'particularly', 'purely',
  'quite', 'really', 'remarkably', 'so', 'substantially', 'thoroughly', 'total', 'totally',
  'tremendous', 'tremendously', 'uber', 'unbelievably', 'unusually', 'utter', 'utterly', 'very',
];

// biome-ignore format: a word list, not code
const DAMPENERS = [
  'almost', 'barely', 'hardly', 'just enough', 'kind of', 'kinda', 'kindof', 'kind-of', 'less',
  'little', 'marginal', 'marginally', 'occasional', 'occasionally', 'partly', 'scarce',
  'scarcely', 'slight', 'slightly', 'somewhat', 'sort of', 'sorta', 'sortof', 'sort-of',
];

const BOOSTER_DICT: ReadonlyMap<string, number> = new Map([
  ...BOOSTERS.map((word): [string, number] => [word, B_INCR]),
  ...DAMPENERS.map((word): [string, number] => [word, B_DECR]),
]);

// Phrases whose meaning is not the sum of their words ("bad ass" is praise)
const SPECIAL_CASES: ReadonlyMap<string, number> = new Map([
  ['the shit', 3],
  ['the bomb', 3],
  ['bad ass', 1.5],
  ['badass', 1.5],
  ['bus stop', 0],
  ['yeah right', -2],
  ['kiss of death', -1.5],
  ['to die for', 3],
  ['beating heart', 3.1],
  ['broken heart', -2.9],
]);

// Python's string.punctuation, stripped from both ends of a token
const PUNCTUATION: ReadonlySet<string> = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** VADER scores of one text: compound in [-1, 1] and the pos/neg/neu proportions (sum 1, or all 0 for no tokens). */
export interface SentimentScores {
  readonly compound: number;
  readonly pos: number;
  readonly neg: number;
  readonly neu: number;
}

/** Parses the VADER lexicon CSV (token,score,stddev,ratings) to token → score; throws DataValidationError naming file:line. */
export function parseVaderLexicon(csvText: string, fileName: string): Map<string, number> {
  const lines = csvText.replace(/^\uFEFF/, '').split(/\r?\n/);
  // A final newline leaves one empty string behind; any other blank line is corruption
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();

  if (lines[0] !== LEXICON_HEADER) {
    throw new DataValidationError(
      fileName,
      1,
      `expected header "${LEXICON_HEADER}", got "${lines[0]}"`,
    );
  }

  const lexicon = new Map<string, number>();
  for (let index = 1; index < lines.length; index++) {
    const lineNumber = index + 1;
    if (lines[index] === '') throw new DataValidationError(fileName, lineNumber, 'blank line');
    const fields = splitCsvRow(lines[index]!, fileName, lineNumber);
    if (fields.length !== 4) {
      throw new DataValidationError(
        fileName,
        lineNumber,
        `expected 4 fields, got ${fields.length}`,
      );
    }
    const [token, scoreText] = fields as [string, string, string, string];
    if (token === '') throw new DataValidationError(fileName, lineNumber, 'empty token');
    const score = DECIMAL.test(scoreText) ? Number(scoreText) : Number.NaN;
    if (!Number.isFinite(score)) {
      throw new DataValidationError(
        fileName,
        lineNumber,
        `score "${scoreText}" of "${token}" is not a number`,
      );
    }
    if (Math.abs(score) > LEXICON_SCORE_LIMIT) {
      throw new DataValidationError(
        fileName,
        lineNumber,
        `score ${score} of "${token}" is outside [-${LEXICON_SCORE_LIMIT}, ${LEXICON_SCORE_LIMIT}]`,
      );
    }
    // The shipped file repeats 14 tokens (e.g. "lol" 2.9, then 1.8); the reference keeps the last
    lexicon.set(token, score);
  }

  if (lexicon.size === 0) throw new DataValidationError(fileName, 1, 'lexicon has no entries');
  return lexicon;
}

/** Scores text with the VADER rules against a lexicon; one Map lookup per token and neighbour. */
export class VaderScorer {
  readonly #lexicon: ReadonlyMap<string, number>;

  constructor(lexicon: ReadonlyMap<string, number>) {
    this.#lexicon = lexicon;
  }

  /** The compound score alone (−1..1): what the news-sentiment strategy trades on. */
  compound(text: string): number {
    return this.polarity(text).compound;
  }

  /** VADER polarity of one text (a headline or sentence); compound is the number the strategy trades on. */
  polarity(text: string): SentimentScores {
    const tokens = tokenize(text);
    const lowered = tokens.map((token) => token.toLowerCase());
    const upper = tokens.map(isUpperCase);
    const isCapDifferent = capsDiffer(upper);

    const sentiments: number[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const word = lowered[i]!;
      // Modifiers carry no valence of their own: they act on the word they precede
      if (BOOSTER_DICT.has(word) || (word === 'kind' && lowered[i + 1] === 'of')) {
        sentiments.push(0);
        continue;
      }
      sentiments.push(this.#valence(lowered, upper, i, isCapDifferent));
    }

    butCheck(lowered, sentiments);
    return scoreValence(sentiments, text);
  }

  #valence(
    lowered: readonly string[],
    upper: readonly boolean[],
    i: number,
    isCapDifferent: boolean,
  ): number {
    const lexicon = this.#lexicon;
    const base = lexicon.get(lowered[i]!);
    if (base === undefined) return 0;

    let valence = base;
    // "no" before a lexicon word negates it rather than scoring on its own
    if (lowered[i] === 'no' && i !== lowered.length - 1 && lexicon.has(lowered[i + 1]!))
      valence = 0;
    if (
      (i > 0 && lowered[i - 1] === 'no') ||
      (i > 1 && lowered[i - 2] === 'no') ||
      (i > 2 && lowered[i - 3] === 'no' && (lowered[i - 1] === 'or' || lowered[i - 1] === 'nor'))
    ) {
      valence = base * N_SCALAR;
    }

    if (upper[i] && isCapDifferent) valence += valence > 0 ? C_INCR : -C_INCR;

    for (let distance = 0; distance < 3; distance++) {
      const before = i - distance - 1;
      // Only non-lexicon words modify: a sentiment word before this one is scored on its own
      if (before < 0 || lexicon.has(lowered[before]!)) continue;
      const scalar = boosterScalar(lowered[before]!, upper[before]!, valence, isCapDifferent);
      valence += scalar * DISTANCE_DAMPING[distance]!;
      valence = negationCheck(valence, lowered, distance, i);
      if (distance === 2) valence = specialIdiomsCheck(valence, lowered, i);
    }

    return this.#leastCheck(valence, lowered, i);
  }

  #leastCheck(valence: number, lowered: readonly string[], i: number): number {
    // "least good" flips, "at least good" and "very least good" do not
    if (i === 0 || lowered[i - 1] !== 'least' || this.#lexicon.has('least')) return valence;
    if (i > 1 && (lowered[i - 2] === 'at' || lowered[i - 2] === 'very')) return valence;
    return valence * N_SCALAR;
  }
}

/** Mean compound score of a symbol's headlines; null when there are none, so no news never reads as neutral. */
export function aggregateSentiment(scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  let sum = 0;
  for (const score of scores) {
    if (!(score >= -1 && score <= 1)) {
      throw new InvalidInputError(`compound score ${score} is not in [-1, 1]`);
    }
    sum += score;
  }
  return sum / scores.length;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const raw of text.split(/\s+/)) {
    if (raw !== '') tokens.push(stripPunctuationIfWord(raw));
  }
  return tokens;
}

// Stripping ":)" leaves "", ":D" leaves "D": two characters or fewer means it was an emoticon
function stripPunctuationIfWord(token: string): string {
  let start = 0;
  let end = token.length;
  while (start < end && PUNCTUATION.has(token[start]!)) start++;
  while (end > start && PUNCTUATION.has(token[end - 1]!)) end--;
  const stripped = token.slice(start, end);
  // Python counts code points; an emoji is two UTF-16 units but one character there
  if (stripped.length <= 2 || (stripped.length <= 4 && [...stripped].length <= 2)) return token;
  return stripped;
}

// Python's str.isupper: at least one cased character and no lower-case one (":D" counts)
function isUpperCase(token: string): boolean {
  return token === token.toUpperCase() && token !== token.toLowerCase();
}

// Caps signal emphasis only against non-caps words: an all-caps headline is just a style
function capsDiffer(upper: readonly boolean[]): boolean {
  let capitalised = 0;
  for (const isUpper of upper) if (isUpper) capitalised++;
  const different = upper.length - capitalised;
  return different > 0 && different < upper.length;
}

function boosterScalar(
  word: string,
  isUpper: boolean,
  valence: number,
  isCapDifferent: boolean,
): number {
  const boost = BOOSTER_DICT.get(word);
  if (boost === undefined) return 0;
  let scalar = valence < 0 ? -boost : boost;
  if (isUpper && isCapDifferent) scalar += valence > 0 ? C_INCR : -C_INCR;
  return scalar;
}

function isNegation(word: string): boolean {
  return NEGATE.has(word) || word.includes("n't");
}

function negationCheck(
  valence: number,
  lowered: readonly string[],
  distance: number,
  i: number,
): number {
  const before = lowered[i - distance - 1]!;
  if (distance === 0) return isNegation(before) ? valence * N_SCALAR : valence;

  const oneBack = lowered[i - 1];
  const twoBack = lowered[i - 2];
  if (distance === 1) {
    if (twoBack === 'never' && (oneBack === 'so' || oneBack === 'this')) return valence * 1.25;
    if (twoBack === 'without' && oneBack === 'doubt') return valence;
    return isNegation(before) ? valence * N_SCALAR : valence;
  }

  const threeBack = lowered[i - 3];
  // Reference precedence: (never and twoBack is so/this) or (oneBack is so/this)
  if (
    (threeBack === 'never' && (twoBack === 'so' || twoBack === 'this')) ||
    oneBack === 'so' ||
    oneBack === 'this'
  ) {
    return valence * 1.25;
  }
  if (threeBack === 'without' && (twoBack === 'doubt' || oneBack === 'doubt')) return valence;
  return isNegation(before) ? valence * N_SCALAR : valence;
}

// Runs only when the word three back is not a lexicon word, as in the reference
function specialIdiomsCheck(valence: number, lowered: readonly string[], i: number): number {
  const [threeBack, twoBack, oneBack, word] = [
    lowered[i - 3],
    lowered[i - 2],
    lowered[i - 1],
    lowered[i],
  ];
  const threeTwo = `${threeBack} ${twoBack}`;
  const twoOne = `${twoBack} ${oneBack}`;
  const threeTwoOne = `${threeTwo} ${oneBack}`;
  const sequences = [`${oneBack} ${word}`, `${twoOne} ${word}`, twoOne, threeTwoOne, threeTwo];

  for (const sequence of sequences) {
    const idiom = SPECIAL_CASES.get(sequence);
    if (idiom !== undefined) {
      valence = idiom;
      break;
    }
  }
  if (i + 1 < lowered.length) valence = SPECIAL_CASES.get(`${word} ${lowered[i + 1]}`) ?? valence;
  if (i + 2 < lowered.length) {
    valence = SPECIAL_CASES.get(`${word} ${lowered[i + 1]} ${lowered[i + 2]}`) ?? valence;
  }

  // Two-word dampeners such as "kind of" and "sort of" right before the word
  for (const nGram of [threeTwoOne, threeTwo, twoOne]) valence += BOOSTER_DICT.get(nGram) ?? 0;
  return valence;
}

// Contrast: what follows "but" dominates what precedes it
function butCheck(lowered: readonly string[], sentiments: number[]): void {
  const butIndex = lowered.indexOf('but');
  if (butIndex < 0) return;
  for (let k = 0; k < sentiments.length; k++) {
    const sentiment = sentiments[k]!;
    // The reference looks each value up by equality (list.index); kept for score parity
    const at = sentiments.indexOf(sentiment);
    if (at < butIndex) sentiments[at] = sentiment * 0.5;
    else if (at > butIndex) sentiments[at] = sentiment * 1.5;
  }
}

function punctuationEmphasis(text: string): number {
  let exclamations = 0;
  let questions = 0;
  for (let k = 0; k < text.length; k++) {
    const code = text.charCodeAt(k);
    if (code === 33) exclamations++;
    else if (code === 63) questions++;
  }
  const exclamationBoost = Math.min(exclamations, MAX_EXCLAMATIONS) * EXCLAMATION_INCR;
  // A single "?" is a plain question; two or three add emphasis, more saturate
  let questionBoost = 0;
  if (questions > 3) questionBoost = QUESTION_CAP;
  else if (questions > 1) questionBoost = questions * QUESTION_INCR;
  return exclamationBoost + questionBoost;
}

function normalize(score: number): number {
  const normalized = score / Math.sqrt(score * score + NORMALIZE_ALPHA);
  return Math.min(1, Math.max(-1, normalized));
}

function scoreValence(sentiments: readonly number[], text: string): SentimentScores {
  if (sentiments.length === 0) return { compound: 0, pos: 0, neg: 0, neu: 0 };

  const emphasis = punctuationEmphasis(text);
  let sum = 0;
  for (const sentiment of sentiments) sum += sentiment;
  if (sum > 0) sum += emphasis;
  else if (sum < 0) sum -= emphasis;

  // Each word counts 1 + |valence| so that neutral words (counted as 1) weigh in proportionally
  let positive = 0;
  let negative = 0;
  let neutral = 0;
  for (const sentiment of sentiments) {
    if (sentiment > 0) positive += sentiment + 1;
    else if (sentiment < 0) negative += -sentiment + 1;
    else neutral += 1;
  }
  if (positive > negative) positive += emphasis;
  else if (positive < negative) negative += emphasis;

  const total = positive + negative + neutral;
  return {
    compound: normalize(sum),
    pos: positive / total,
    neg: negative / total,
    neu: neutral / total,
  };
}

// RFC 4180 fields on one line: quoted fields may hold commas and doubled quotes, not newlines
function splitCsvRow(line: string, fileName: string, lineNumber: number): string[] {
  const fields: string[] = [];
  let position = 0;
  while (true) {
    if (line[position] === '"') {
      let value = '';
      let cursor = position + 1;
      while (true) {
        const quote = line.indexOf('"', cursor);
        if (quote < 0)
          throw new DataValidationError(fileName, lineNumber, 'unterminated quoted field');
        value += line.slice(cursor, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          cursor = quote + 2;
          continue;
        }
        position = quote + 1;
        break;
      }
      fields.push(value);
      if (position === line.length) return fields;
      if (line[position] !== ',') {
        throw new DataValidationError(
          fileName,
          lineNumber,
          `unexpected text after quoted field ${fields.length}`,
        );
      }
      position++;
    } else {
      const comma = line.indexOf(',', position);
      const end = comma < 0 ? line.length : comma;
      const value = line.slice(position, end);
      if (value.includes('"')) {
        throw new DataValidationError(
          fileName,
          lineNumber,
          `stray quote in field ${fields.length + 1}`,
        );
      }
      fields.push(value);
      if (comma < 0) return fields;
      position = comma + 1;
    }
  }
}
