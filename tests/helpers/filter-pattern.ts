// The CloudWatch Logs filter pattern forms the gate generates, evaluated as CloudWatch documents
// them (moto does not evaluate metric filters): JSON patterns `{ $.k = "v" }`, joined by `&&` or
// `||`, on log events that are JSON objects (keys at top level); `IS TRUE`/`IS FALSE` and numbers;
// and regex patterns `%...%`, matched anywhere in the event. Any other form throws (the helper
// must grow with the generator).

const TERM = /^\$\.([A-Za-z_][A-Za-z0-9_]*) (?:= "([^"]*)"|= (-?[0-9.]+)|IS (TRUE|FALSE))$/;

/** One JSON term against a parsed line. */
function termMatches(term: string, line: Record<string, unknown>): boolean {
  const parts = TERM.exec(term);
  if (parts === null) throw new Error(`not a JSON term this helper evaluates: ${term}`);
  const [, key = '', text, number, bool] = parts;
  const value = line[key];
  if (text !== undefined) return value === text;
  if (number !== undefined) return value === Number(number);
  return value === (bool === 'TRUE');
}

/** Whether a CloudWatch Logs filter pattern selects a log event's message. */
export function filterMatches(pattern: string, message: string): boolean {
  const regex = /^%(.+)%$/.exec(pattern);
  if (regex !== null) return new RegExp(regex[1] as string).test(message);
  const json = /^\{ (.+) \}$/.exec(pattern);
  if (json === null) throw new Error(`not a pattern form this helper evaluates: ${pattern}`);
  const body = json[1] as string;
  const joiner = body.includes(') && (') ? '&&' : '||';
  const terms = body.startsWith('(') ? body.slice(1, -1).split(`) ${joiner} (`) : [body];
  let line: unknown;
  try {
    line = JSON.parse(message);
  } catch {
    return false;
  }
  if (typeof line !== 'object' || line === null || Array.isArray(line)) return false;
  const results = terms.map((term) => termMatches(term, line as Record<string, unknown>));
  return joiner === '&&' ? results.every(Boolean) : results.some(Boolean);
}
