/** An error the API answers with its status code and a message the caller can act on. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** With `notServer`: the node that serves now, so a client can go there at once. */
    readonly server?: string | null,
    /** Extra response headers (`retry-after` with 429). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, 'notFound', what);
export const badRequest = (why: string) => new HttpError(400, 'badRequest', why);
