import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { formatIssues } from '../../../shared/project/load-project.js';
import { REQUEST_BODY_BYTES_MAX } from '../../../shared/protocol/api.js';
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
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw badRequest(`the request body is not valid JSON: ${(error as Error).message}`);
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

function parseWith<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const parsed = schema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw badRequest(`invalid ${where}: ${formatIssues(parsed.error.issues).join('; ')}`);
  return parsed.data;
}

function tooLarge(): HttpError {
  return new HttpError(413, 'tooLarge', `the request body is larger than ${REQUEST_BODY_BYTES_MAX} bytes`);
}
