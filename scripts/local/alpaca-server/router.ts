import { badRequest, invalidParameter } from './errors.js';
import type { Venue } from './venue.js';

export interface RouteContext {
  readonly venue: Venue;
  readonly query: URLSearchParams;
  readonly body: unknown;
  /** The path's captured segments, URL-decoded */
  readonly params: readonly string[];
}

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
}

export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly handle: (ctx: RouteContext) => Reply;
}

/** A route: a method and a path pattern whose groups become `params`. */
export const route = (method: string, pattern: RegExp, handle: Route['handle']): Route => ({
  method,
  pattern,
  handle,
});

/** A 200 with a JSON body. */
export const ok = (body: unknown): Reply => ({ status: 200, body });

/** The route for a request; 'method' when the path exists under another method. */
export function findRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: string[] } | 'method' | undefined {
  let pathKnown = false;
  for (const candidate of routes) {
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    if (candidate.method !== method) {
      pathKnown = true;
      continue;
    }
    return { route: candidate, params: match.slice(1).map((part) => decodeURIComponent(part)) };
  }
  return pathKnown ? 'method' : undefined;
}

/** An integer query parameter within bounds, or its default when absent. */
export function intParam(
  query: URLSearchParams,
  name: string,
  fallback: number,
  max: number,
): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!(Number.isInteger(value) && value >= 1 && value <= max)) {
    throw invalidParameter(`invalid ${name}: must be an integer from 1 to ${max}`);
  }
  return value;
}

/** An instant query parameter (RFC 3339, or a date taken as midnight UTC); undefined when absent. */
export function instantParam(query: URLSearchParams, name: string): Date | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const instant = new Date(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw);
  if (Number.isNaN(instant.getTime())) throw badRequest(`invalid ${name}: ${raw}`);
  return instant;
}

/** A date query parameter: the date part of a date or an RFC 3339 instant, as written. */
export function dateParam(query: URLSearchParams, name: string): string | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(new Date(raw).getTime())) {
    throw badRequest(`invalid ${name}: ${raw}`);
  }
  return raw.slice(0, 10);
}

/** A comma-separated list parameter, trimmed, without empty items. */
export function listParam(query: URLSearchParams, name: string): string[] {
  return (query.get(name) ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
