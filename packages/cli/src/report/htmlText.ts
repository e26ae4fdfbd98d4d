// Turning any string into HTML text: findings quote attacker-controlled traffic (XSS payloads,
// header values), so every string that reaches the page goes through escapeHtml, and long ones
// are cut so one hostile record cannot bloat the page.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text safe in element content and in quoted attribute values, in HTML and in inline SVG alike.
 * C0 controls other than tab and newline become U+FFFD: the HTML parser treats most of them as
 * parse errors, and a NUL would otherwise vanish from the evidence without a trace.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\ufffd');
}

/** At most `max` characters, with an ellipsis saying how much was cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** A short form for chart labels; the full text stays in the tooltip and the table. */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}
