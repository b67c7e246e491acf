/**
 * Text from outside (a release record's strings read from GitHub) on a terminal: control characters
 * (C0, DEL, C1) become `?`, so no escape sequence moves the cursor, recolours or forges a line.
 */
export function terminalText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
