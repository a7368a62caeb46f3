// How deep a targets file nests, counted before it is parsed: a parser never sees a bomb.

/**
 * How deep a YAML or JSON text nests, counted without parsing it: open flow brackets and braces
 * (outside quotes and comments), plus each line's block depth (its indentation, and every `- ` or
 * `? ` that opens a nested entry at its start). Stops counting once past `max`.
 */
export function nestingDepth(text: string, max: number): number {
  let flow = 0;
  let deepest = 0;
  let quote: string | undefined;
  let lineStart = true;
  for (let i = 0; i < text.length && deepest <= max; i++) {
    const char = text[i];
    if (lineStart) {
      lineStart = false;
      const block = /^( *)((?:[-?] +)*)/.exec(text.slice(i, i + 4 * max + 8));
      const indent = block?.[1]?.length ?? 0;
      const entries = (block?.[2]?.match(/[-?]/g) ?? []).length;
      deepest = Math.max(deepest, flow + Math.ceil(indent / 2) + entries);
    }
    if (quote !== undefined) {
      if (char === '\\' && quote === '"') i++;
      else if (char === quote) quote = undefined;
      else if (char === '\n') lineStart = true;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '#') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end - 1;
    } else if (char === '[' || char === '{') deepest = Math.max(deepest, ++flow);
    else if (char === ']' || char === '}') flow = Math.max(flow - 1, 0);
    else if (char === '\n') lineStart = true;
  }
  return deepest;
}
