/** What an edit changed, in words for the terminal, the commit message and the pull request. */
import type { Target } from '../model/types.ts';

export function describeValueChanges(before: Target | undefined, after: Target): string[] {
  const lines: string[] = [];
  const old = before?.flags ?? {};
  for (const [name, value] of Object.entries(after.flags ?? {})) {
    const was = old[name];
    if (was?.enabled !== value.enabled)
      lines.push(`${name} ${was ? onOff(was.enabled) : 'absent'} → ${onOff(value.enabled)}`);
    for (const [attr, v] of Object.entries(value.attributes)) {
      const w = was?.attributes[attr];
      if (JSON.stringify(w) !== JSON.stringify(v)) lines.push(`${name}.${attr} ${show(w)} → ${show(v)}`);
    }
  }
  return lines;
}

function onOff(enabled: boolean): string {
  return enabled ? 'on' : 'off';
}

function show(v: unknown): string {
  return v === undefined ? 'unset' : typeof v === 'string' ? v : JSON.stringify(v);
}
