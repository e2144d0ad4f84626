import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { formatIssues } from '../../../shared/project/load-project.js';
import { REQUEST_BODY_BYTES_MAX, SECRET_FIELDS } from '../../../shared/protocol/api.js';
import { describeJsonError, hideSecretInputs } from '../secret-safe-errors.js';
import { HttpError, badRequest } from './http-error.js';

/** Reads a JSON body of at most REQUEST_BODY_BYTES_MAX bytes and parses it with a schema. */
export async function readBody<T extends z.ZodType>(req: IncomingMessage, schema: T): Promise<z.infer<T>> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > REQUEST_BODY_BYTES_MAX) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > REQUEST_BODY_BYTES_MAX) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw badRequest(`the request body is not valid JSON: ${describeJsonError((error as Error).message, text)}`);
  }
  return parseWith(schema, json, 'body');
}

/** Parses query parameters (each given once) with a schema. */
export function readQuery<T extends z.ZodType>(params: URLSearchParams, schema: T): z.infer<T> {
  const query: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key in query) throw badRequest(`query parameter "${key}" is given more than once`);
    query[key] = value;
  }
  return parseWith(schema, query, 'query');
}

/** A refusal names each wrong field with the value sent, except in password fields (SECRET_FIELDS). */
function parseWith<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const parsed = schema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw badRequest(`invalid ${where}: ${formatIssues(hideSecretInputs(parsed.error.issues, isSecret)).join('; ')}`);
  return parsed.data;
}

function isSecret(path: readonly PropertyKey[]): boolean {
  const field = path.at(-1);
  return typeof field === 'string' && SECRET_FIELDS.has(field);
}

function tooLarge(): HttpError {
  return new HttpError(413, 'tooLarge', `the request body is larger than ${REQUEST_BODY_BYTES_MAX} bytes`);
}
