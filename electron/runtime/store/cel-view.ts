import type { Database, Statement } from 'better-sqlite3';
import type { CelFact } from '../../../shared/protocol/ops.js';
import { CEL_PAGE_MAX, type CelQuery, type CelResponse } from '../../../shared/protocol/api.js';
import type { CelEntry } from '../../../shared/protocol/entities.js';

const COLUMNS = 'id, seq, t, node, kind, user, text, alarm_id AS alarmId, tag, state';

/** The chronological event list: one row per CEL fact, positioned by the seq of the op that logged it. */
export class CelView {
  readonly #db: Database;
  readonly #insert: Statement<unknown[]>;
  /** One statement per combination of filters in use; at most 3 directions x 2^4 filter sets. */
  readonly #queries = new Map<string, Statement<Record<string, unknown>, CelEntry>>();

  constructor(db: Database) {
    this.#db = db;
    this.#insert = db.prepare(
      `INSERT INTO cel (seq, id, t, node, kind, user, text, alarm_id, tag, state)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    );
  }

  /** A CEL id already present (the same fact logged by another op) is kept once. Call inside a transaction. */
  insert(entry: CelFact, seq: number): void {
    this.#insert.run(
      seq,
      entry.id,
      entry.t,
      entry.node,
      entry.kind,
      entry.user,
      entry.text,
      entry.alarmId,
      entry.tag,
      entry.state,
    );
  }

  /** `after` pages forward, oldest first; otherwise newest first, from `before` if given. */
  query(q: CelQuery): CelResponse {
    const pageSize = Math.max(1, Math.min(q.limit, CEL_PAGE_MAX));
    const conditions: string[] = [];
    const params: Record<string, unknown> = { limit: pageSize + 1 };
    const filters: [condition: string, name: string, value: unknown][] = [
      ['seq > @after', 'after', q.after],
      ['seq < @before', 'before', q.before],
      ['kind = @kind', 'kind', q.kind],
      ['t >= @from', 'from', q.from],
      ['t <= @to', 'to', q.to],
    ];
    for (const [condition, name, value] of filters) {
      if (value === undefined) continue;
      conditions.push(condition);
      params[name] = value;
    }
    if (q.text !== undefined && q.text !== '') {
      const like = (column: string) => `${column} LIKE @text ESCAPE '\\'`;
      conditions.push(`(${['text', 'alarm_id', 'tag', 'user'].map(like).join(' OR ')})`);
      params.text = `%${escapeLike(q.text)}%`;
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const sql = `SELECT ${COLUMNS} FROM cel ${where} ORDER BY seq ${q.after !== undefined ? 'ASC' : 'DESC'} LIMIT @limit`;
    const rows = this.#statement(sql).all(params);
    const entries = rows.slice(0, pageSize);
    return { entries, next: rows.length > pageSize ? entries.at(-1)!.seq : null };
  }

  #statement(sql: string): Statement<Record<string, unknown>, CelEntry> {
    let statement = this.#queries.get(sql);
    if (!statement) {
      statement = this.#db.prepare<Record<string, unknown>, CelEntry>(sql);
      this.#queries.set(sql, statement);
    }
    return statement;
  }
}

/** LIKE matches ASCII letters case-insensitively; `%`, `_` and the escape itself are taken literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
