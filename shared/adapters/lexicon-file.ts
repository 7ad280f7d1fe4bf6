import { readFile } from 'node:fs/promises';
import { parseVaderLexicon } from '../domain/sentiment/vader.js';

/** Reads a VADER lexicon CSV (token,score,stddev,ratings) into token → score; errors name path:line. */
export async function loadVaderLexicon(path: string): Promise<Map<string, number>> {
  return parseVaderLexicon(await readFile(path, 'utf8'), path);
}
