/**
 * Matches `METHOD /path` against GitHub's URL templates. Segments are decoded one by one, so an
 * encoded slash inside a branch name (`feature%2Fx`) stays part of that name; one `:name*`
 * parameter takes as many segments as it needs (refs and file paths contain slashes).
 */
import type { Reply } from '../core.ts';
import type { Call } from './context.ts';

export interface Route {
  method: string;
  /** e.g. `/repos/:owner/:repo/git/ref/:ref*` */
  path: string;
  /** Octokit's name for it (`pulls.create`), which fault injection matches. */
  operation: string;
  handle(call: Call): Reply;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch | undefined {
  const segments = path.split('/').filter((s) => s !== '');
  for (const route of routes) {
    if (route.method !== method) continue;
    const params = matchPath(route.path, segments);
    if (params) return { route, params };
  }
  return undefined;
}

function matchPath(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split('/').filter((s) => s !== '');
  const params: Record<string, string> = {};
  const star = parts.findIndex((p) => p.startsWith(':') && p.endsWith('*'));
  if (star < 0) return matchFixed(parts, segments, params) ? params : undefined;
  // The starred parameter takes everything between the fixed parts before and after it.
  const after = parts.length - star - 1;
  const middle = segments.slice(star, segments.length - after);
  if (middle.length === 0) return undefined;
  if (!matchFixed(parts.slice(0, star), segments.slice(0, star), params)) return undefined;
  if (!matchFixed(parts.slice(star + 1), segments.slice(segments.length - after), params)) return undefined;
  params[(parts[star] ?? '').slice(1, -1)] = middle.map(decode).join('/');
  return params;
}

function matchFixed(parts: string[], segments: string[], params: Record<string, string>): boolean {
  if (parts.length !== segments.length) return false;
  return parts.every((part, i) => {
    const segment = segments[i] ?? '';
    if (!part.startsWith(':')) return part === segment;
    params[part.slice(1)] = decode(segment);
    return true;
  });
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
