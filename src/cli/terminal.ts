/**
 * Text for a terminal. Cell text, sheet names and file names come from the files a user is given: a control
 * character in them (ESC from `_x001B_`, BEL, a carriage return, a bidirectional override) would be obeyed by the
 * terminal — recolouring, retitling or rewriting what is shown. Printed text has them escaped; JSON output keeps
 * the text as it is (its string escapes already make it safe).
 */

// C0 controls (tab and line feed included: one message is one line), DEL, C1 controls, the line and paragraph
// separators, and the Unicode bidirectional controls (ALM, LRM, RLM, LRE…RLO, LRI…PDI).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Escapes control characters as `\xHH` (up to U+00FF) or `\uHHHH`.
 * @example terminalSafe("Plan\u001b]0;x\u0007") // "Plan\\x1B]0;x\\x07"
 */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (ch) => {
    const code = ch.charCodeAt(0);
    const hex = code.toString(16).toUpperCase();
    return code <= 0xff ? `\\x${hex.padStart(2, "0")}` : `\\u${hex.padStart(4, "0")}`;
  });
}

/** Lines for a terminal, each escaped, joined with line breaks and ending in one. */
export function terminalLines(lines: readonly string[]): string {
  return lines.map(terminalSafe).join("\n") + "\n";
}
