/**
 * Replaces the text between `<!-- generated: name -->` and `<!-- end: name -->` in a README: generated sections
 * are checked against the code they document, and refreshed from it on request.
 */
export function fillGenerated(text: string, name: string, content: string): string {
  const start = `<!-- generated: ${name} -->`;
  const end = `<!-- end: ${name} -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README has no ${start} ... ${end} block`);
  return text.slice(0, i + start.length) + '\n' + content + '\n' + text.slice(j);
}
