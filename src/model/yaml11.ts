/**
 * YAML 1.1 read `yes`, `no`, `on`, `off` (and `y`, `n`) as booleans; YAML 1.2, which flagops
 * speaks, reads them as strings. Where a boolean is expected we recognise them to say so plainly.
 */
const YAML11_BOOLEANS: Readonly<Record<string, boolean>> = {
  y: true,
  yes: true,
  on: true,
  n: false,
  no: false,
  off: false,
};

/** The boolean YAML 1.1 would have read, or undefined when the value is not one of those words. */
export function yaml11Boolean(value: unknown): boolean | undefined {
  return typeof value === 'string' ? YAML11_BOOLEANS[value.toLowerCase()] : undefined;
}

export function yaml11BooleanMessage(where: string, value: string): string {
  const meant = yaml11Boolean(value);
  return `${where} is the string "${value}", not a boolean: YAML 1.2 reads yes/no/on/off as text. Write \`${String(meant)}\` instead.`;
}
