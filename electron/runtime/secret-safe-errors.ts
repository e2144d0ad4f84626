import type { z } from 'zod';

/**
 * Messages about documents that hold secrets (a cluster file's secret, the passwords of an API
 * request) name the place and the rule that failed, never the value found there: those messages
 * are answered to clients and written to logs.
 */

/**
 * Issues at a secret's place (`isSecret` of its path) keep their place and message but lose the
 * value found, so `formatIssues` cannot echo it. The document's root holds every secret, so an
 * issue about the whole document loses its value too.
 */
export function hideSecretInputs(issues: readonly z.core.$ZodIssue[], isSecret: (path: readonly PropertyKey[]) => boolean): z.core.$ZodIssue[] {
  return issues.map((issue) => {
    if (issue.input === undefined || (issue.path.length > 0 && !isSecret(issue.path))) return issue;
    return { code: 'custom', path: issue.path, message: issue.message, input: undefined };
  });
}

/**
 * V8 quotes the text around an unexpected token, and that text may be a secret: keep only the
 * kind of error and turn a position into a line and column.
 */
export function describeJsonError(message: string, text: string): string {
  const at = / in JSON at position (\d+)/.exec(message);
  if (at) {
    const before = text.slice(0, Number(at[1])).split('\n');
    return `${message.slice(0, at.index)} at line ${before.length}, column ${before.at(-1)!.length + 1}`;
  }
  const kind = message.replace(/,.*$/s, '').replace(/ '.*'$/, '');
  return kind.includes('"') ? 'unexpected text' : kind;
}
