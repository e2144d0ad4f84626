import type { Database, Statement } from 'better-sqlite3';
import { StateDigest } from '../../../shared/domain/state-digest.js';
import type { ArchiveQuery, ArchiveResponse, CelQuery, CelResponse } from '../../../shared/protocol/api.js';
import type { AlarmStatus, Position, Sample } from '../../../shared/protocol/entities.js';
import { celFactOf, writeResultOpId, type LoggedOp, type Op, type PairSettings, type RecipeVersion, type RoleChange, type WriteOutcome } from '../../../shared/protocol/ops.js';
import { isNewerVersion } from '../../../shared/domain/versioned-record.js';
import { isNewerUser, type UserRecord } from '../../../shared/domain/user-role.js';
import type { UnfinishedWrite } from '../../engine/redundancy/engine-types.js';
import { PEER_FRAME_BYTES_MAX } from '../../../shared/protocol/peer.js';
import { CelView } from './cel-view.js';
import { log } from '../log.js';
import { openDatabase, type OpenedDatabase } from './open-database.js';
import { SampleArchive } from './sample-archive.js';

export type CommandOp = Extract<Op, { kind: 'command' }>;

/** The most ops one opsAfter call returns, and the body bytes past which it stops early. */
export const OPS_AFTER_MAX = 10_000;
// Half the peer frame limit: the envelope adds each op's position and its own wrapper.
export const OPS_AFTER_BYTES_MAX = PEER_FRAME_BYTES_MAX / 2;

type LogRow = { epoch: number; seq: number; body: string };

/**
 * The durable state of one project on this node: the log of ops and the views built from it (alarms,
 * sample archive, CEL, commands), in one SQLite file that this process holds locked while open.
 * Appending an op that is already logged changes nothing; the digest (stateHash) covers every fact
 * stored, so two nodes holding the same facts show the same hash whatever order they came in.
 */
export class ProjectStore {
  readonly file: string;
  readonly #db: Database;
  readonly #opened: OpenedDatabase;
  readonly #archive: SampleArchive;
  readonly #cel: CelView;
  readonly #insertLog: Statement<[number, number, string, string, number, string]>;
  readonly #upsertAlarm: Statement<[string, string]>;
  readonly #insertCommand: Statement<[string, number]>;
  readonly #setMeta: Statement<[string, string]>;
  readonly #selectAlarms: Statement<[], string>;
  readonly #selectAlarm: Statement<[string], string>;
  readonly #selectCommand: Statement<[string], { seq: number; body: string }>;
  readonly #selectOpsAfter: Statement<[number, number], LogRow>;
  readonly #upsertProgress: Statement<[string, number]>;
  readonly #selectRecipe: Statement<[string], string>;
  readonly #upsertRecipe: Statement<[string, string]>;
  readonly #selectOpBody: Statement<[string], string>;
  readonly #selectUser: Statement<[string], string>;
  readonly #upsertUser: Statement<[string, string]>;
  readonly #insertEpochStart: Statement<[number, number]>;
  readonly #truncateInTransaction: (seq: number, digest: StateDigest) => void;
  readonly #selectProgress: Statement<[], [string, number]>;
  readonly #replicateInTransaction: (ops: readonly LoggedOp[], digest: StateDigest) => LoggedOp[];
  readonly #appendInTransaction: (ops: readonly Op[], epoch: number, digest: StateDigest) => LoggedOp[];
  #epoch: number;
  #seq: number;
  #lastLoggedEpoch: number;
  #digest: StateDigest;

  private constructor(opened: OpenedDatabase) {
    const { db, file } = opened;
    this.file = file;
    this.#db = db;
    this.#opened = opened;
    this.#archive = new SampleArchive(db);
    this.#cel = new CelView(db);
    this.#insertLog = db.prepare(
      'INSERT INTO log (seq, epoch, id, kind, t, body) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
    );
    this.#upsertAlarm = db.prepare(
      'INSERT INTO alarms (alarm_id, status) VALUES (?, ?) ON CONFLICT (alarm_id) DO UPDATE SET status = excluded.status',
    );
    this.#insertCommand = db.prepare(
      'INSERT INTO commands (request_id, seq) VALUES (?, ?) ON CONFLICT (request_id) DO NOTHING',
    );
    this.#setMeta = db.prepare('UPDATE meta SET value = ? WHERE key = ?');
    this.#selectAlarms = db.prepare<[], string>('SELECT status FROM alarms ORDER BY alarm_id').pluck();
    this.#selectAlarm = db.prepare<[string], string>('SELECT status FROM alarms WHERE alarm_id = ?').pluck();
    this.#selectCommand = db.prepare(
      'SELECT log.seq AS seq, log.body AS body FROM commands JOIN log ON log.seq = commands.seq WHERE request_id = ?',
    );
    this.#selectRecipe = db.prepare<[string], string>('SELECT version FROM recipes WHERE recipe_id = ?').pluck();
    this.#upsertRecipe = db.prepare(
      'INSERT INTO recipes (recipe_id, version) VALUES (?, ?) ON CONFLICT (recipe_id) DO UPDATE SET version = excluded.version',
    );
    this.#selectOpBody = db.prepare<[string], string>('SELECT body FROM log WHERE id = ?').pluck();
    this.#selectUser = db.prepare<[string], string>('SELECT record FROM users WHERE name = ?').pluck();
    this.#upsertUser = db.prepare('INSERT INTO users (name, record) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET record = excluded.record');
    this.#selectOpsAfter = db.prepare('SELECT epoch, seq, body FROM log WHERE seq > ? ORDER BY seq LIMIT ?');
    this.#appendInTransaction = db.transaction((ops, epoch, digest) => this.#logAndApply(ops, epoch, digest));
    this.#upsertProgress = db.prepare(
      'INSERT INTO driver_progress (driver, through) VALUES (?, ?) ON CONFLICT (driver) DO UPDATE SET through = max(through, excluded.through)',
    );
    this.#selectProgress = db.prepare<[], [string, number]>('SELECT driver, through FROM driver_progress').raw();
    this.#insertEpochStart = db.prepare('INSERT INTO epoch_starts (epoch, seq) VALUES (?, ?) ON CONFLICT (epoch) DO NOTHING');
    this.#truncateInTransaction = db.transaction((seq: number, digest: StateDigest) => this.#truncate(seq, digest));
    this.#replicateInTransaction = db.transaction((ops, digest) => this.#logReplicated(ops, digest));
    const meta = new Map(db.prepare<[], [string, string]>('SELECT key, value FROM meta').raw().all());
    this.#epoch = Number(meta.get('epoch'));
    this.#seq = Number(meta.get('seq'));
    this.#digest = StateDigest.fromHex(meta.get('digest') ?? '');
    const lastLogged = db.prepare<[], number>('SELECT epoch FROM log ORDER BY seq DESC LIMIT 1').pluck().get();
    this.#lastLoggedEpoch = lastLogged ?? 0;
  }

  /** Opens `<dataDir>/projects/<projectId>.sqlite`, creating it if needed. Throws StoreOpenError. */
  static open(dataDir: string, projectId: string): ProjectStore {
    const opened = openDatabase(dataDir, projectId, (message) => log('warn', message));
    try {
      return new ProjectStore(opened);
    } catch (error) {
      opened.close();
      throw error;
    }
  }

  /**
   * Logs, in one transaction, every op whose id is not logged yet, at the next seqs and the given
   * epoch, and applies it to the views. Returns only the ops logged now; replays are skipped.
   */
  append(ops: readonly Op[], epoch: number): LoggedOp[] {
    if (epoch > this.#epoch) {
      throw new Error(`cannot log at epoch ${epoch}: the store is at epoch ${this.#epoch} (setEpoch first)`);
    }
    if (epoch < this.#lastLoggedEpoch) {
      throw new Error(`cannot log at epoch ${epoch} after ops of epoch ${this.#lastLoggedEpoch}: positions only grow`);
    }
    if (ops.length === 0) return [];
    const digest = this.#digest.clone();
    let logged: LoggedOp[];
    try {
      logged = this.#appendInTransaction(ops, epoch, digest);
    } catch (error) {
      this.#archive.reload();
      throw error;
    }
    if (logged.length > 0) {
      this.#seq = logged.at(-1)!.seq;
      this.#lastLoggedEpoch = epoch;
      this.#digest = digest;
    }
    return logged;
  }

  /**
   * Logs ops of the Server at the positions the Server gave them, in one transaction, and applies
   * them to the views. They must follow this store's last seq without a gap.
   */
  appendReplicated(ops: readonly LoggedOp[]): LoggedOp[] {
    const first = ops[0];
    if (!first) return [];
    if (first.seq !== this.#seq + 1) throw new Error(`replicated ops must follow seq ${this.#seq}, got ${first.seq}`);
    const highestEpoch = Math.max(...ops.map((op) => op.epoch));
    if (highestEpoch > this.#epoch) throw new Error(`replicated ops of epoch ${highestEpoch} ahead of the store's epoch ${this.#epoch}`);
    const digest = this.#digest.clone();
    let logged: LoggedOp[];
    try {
      logged = this.#replicateInTransaction(ops, digest);
    } catch (error) {
      this.#archive.reload();
      throw error;
    }
    if (logged.length > 0) {
      this.#seq = logged.at(-1)!.seq;
      this.#lastLoggedEpoch = logged.at(-1)!.epoch;
      this.#digest = digest;
    }
    return logged;
  }

  /**
   * Drops the log after `seq`: ops this node logged alone, after the Server merged them. Their facts
   * stay in the archive; CEL entries and commands leave with their ops (they come back, with the
   * Server's positions, by replication), and so do their ids in the digest.
   */
  truncateAfter(seq: number): void {
    if (seq >= this.#seq) return;
    const digest = this.#digest.clone();
    try {
      this.#truncateInTransaction(seq, digest);
    } catch (error) {
      this.#archive.reload();
      throw error;
    }
    this.#digest = digest;
    this.#seq = seq;
    this.#lastLoggedEpoch = this.#db.prepare<[], number>('SELECT epoch FROM log ORDER BY seq DESC LIMIT 1').pluck().get() ?? 0;
  }

  /** The epochs in the log and the seq each starts at. */
  epochStarts(): Array<{ epoch: number; seq: number }> {
    return this.#db.prepare<[], { epoch: number; seq: number }>('SELECT epoch, seq FROM epoch_starts ORDER BY seq').all();
  }

  /** Per driver, the newest sample time the log says was processed. */
  processedThrough(): Map<string, number> {
    return new Map(this.#selectProgress.all());
  }

  position(): Position {
    return { epoch: this.#epoch, seq: this.#seq };
  }

  /**
   * Persists a higher epoch before the caller acts on it. Synced to disk even against power loss:
   * a node that forgot its epoch could act as a Server that was already fenced off.
   */
  setEpoch(epoch: number): void {
    if (!Number.isSafeInteger(epoch) || epoch < this.#epoch) {
      throw new Error(`epochs only grow: the store is at epoch ${this.#epoch}, cannot set ${epoch}`);
    }
    if (epoch === this.#epoch) return;
    this.#db.pragma('synchronous = FULL');
    try {
      this.#setMeta.run(String(epoch), 'epoch');
    } finally {
      this.#db.pragma('synchronous = NORMAL');
    }
    this.#epoch = epoch;
  }

  stateHash(): string {
    return this.#digest.toHex();
  }

  alarms(): AlarmStatus[] {
    return this.#selectAlarms.all().map((status) => JSON.parse(status) as AlarmStatus);
  }

  alarm(alarmId: string): AlarmStatus | undefined {
    const status = this.#selectAlarm.get(alarmId);
    return status === undefined ? undefined : (JSON.parse(status) as AlarmStatus);
  }

  /** The newest archived sample of each tag, by sample time. */
  lastSamples(): Sample[] {
    return this.#archive.lastSamples();
  }

  /** The recipe versions operators saved (the newest of each recipe). */
  recipes(): RecipeVersion[] {
    return this.#jsonRows<RecipeVersion>('SELECT version FROM recipes ORDER BY recipe_id');
  }

  /** The project's users, the current version of each (with their password hashes). */
  users(): UserRecord[] {
    return this.#jsonRows<UserRecord>('SELECT record FROM users ORDER BY name');
  }

  /** The one JSON text column a query selects, parsed. */
  #jsonRows<T>(sql: string): T[] {
    return this.#db
      .prepare<[], string>(sql)
      .pluck()
      .all()
      .map((text) => JSON.parse(text) as T);
  }

  /** The pair's role settings as last logged (the newest version), or null if no operator changed them. */
  pairSettings(): PairSettings | null {
    let newest: PairSettings | null = null;
    for (const body of this.#db.prepare<[], string>("SELECT body FROM log WHERE kind = 'pairSettings' AND kind <> 'samples'").pluck().all()) {
      const op = JSON.parse(body) as Op;
      if (op.kind === 'pairSettings' && isNewerVersion(op.settings, newest)) newest = op.settings;
    }
    return newest;
  }

  /** The newest role changes (who started serving, when, why), newest first. */
  roleChanges(limit: number): Array<RoleChange & { t: number; seq: number }> {
    return this.#db
      .prepare<[number], { seq: number; body: string }>("SELECT seq, body FROM log WHERE kind = 'roleChange' AND kind <> 'samples' ORDER BY seq DESC LIMIT ?")
      .all(limit)
      .flatMap(({ seq, body }) => {
        const op = JSON.parse(body) as Op;
        return op.kind === 'roleChange' ? [{ ...op.change, t: op.t, seq }] : [];
      });
  }

  /** What the log says became of a write command: its outcomes, or null while none is logged. */
  writeOutcomes(requestId: string): WriteOutcome[] | null {
    const body = this.#selectOpBody.get(writeResultOpId(requestId));
    if (body === undefined) return null;
    const op = JSON.parse(body) as Op;
    return op.kind === 'writeResult' ? op.outcomes : null;
  }

  /** Write commands logged without an outcome (their Server stopped before it wrote them). */
  unfinishedWrites(): UnfinishedWrite[] {
    const rows = this.#db
      .prepare<[], { requestId: string; body: string }>(
        `SELECT commands.request_id AS requestId, log.body AS body FROM commands JOIN log ON log.seq = commands.seq
         WHERE json_extract(log.body, '$.command.kind') = 'write'
           AND NOT EXISTS (SELECT 1 FROM log AS result WHERE result.id = 'wr/' || commands.request_id)`, // writeResultOpId
      )
      .all();
    return rows.flatMap(({ body }) => {
      const op = JSON.parse(body) as Op;
      if (op.kind !== 'command' || op.command.kind !== 'write') return [];
      return [{ requestId: op.requestId, user: op.user, command: op.command, t: op.t }];
    });
  }

  /** The logged command with this request id: a retry of it must not act again. */
  command(requestId: string): { seq: number; op: CommandOp } | undefined {
    const row = this.#selectCommand.get(requestId);
    return row === undefined ? undefined : { seq: row.seq, op: JSON.parse(row.body) as CommandOp };
  }

  queryArchive(q: ArchiveQuery): ArchiveResponse {
    return this.#archive.query(q);
  }

  queryCel(q: CelQuery): CelResponse {
    return this.#cel.query(q);
  }

  /** Logged ops after `seq`, oldest first: at most limitOps, and fewer once the bodies pass a size cap. */
  opsAfter(seq: number, limitOps: number): LoggedOp[] {
    return this.#rowsAfter(seq, limitOps).map((row) => ({ ...(JSON.parse(row.body) as Op), epoch: row.epoch, seq: row.seq }));
  }

  /**
   * The same ops as opsAfter, as the JSON text of the array's elements, comma-separated: the stored
   * bodies with their position added, never parsed (peer/envelope-text.ts).
   */
  opsAfterJson(seq: number, limitOps: number): string {
    // A body is a JSON object: its closing brace makes room for the position.
    return this.#rowsAfter(seq, limitOps)
      .map((row) => `${row.body.slice(0, -1)},"epoch":${row.epoch},"seq":${row.seq}}`)
      .join(',');
  }

  /** Releases the file; the data folder can then be used by another process. */
  close(): void {
    this.#opened.close();
  }

  #rowsAfter(seq: number, limitOps: number): LogRow[] {
    const rows: LogRow[] = [];
    let bodyBytes = 0;
    // A negative LIMIT means none to SQLite.
    const limit = Math.max(0, Math.min(limitOps, OPS_AFTER_MAX));
    for (const row of this.#selectOpsAfter.iterate(seq, limit)) {
      // Checked before adding, so a batch never passes the cap (one op always goes, or nothing moves).
      if (rows.length > 0 && bodyBytes + row.body.length > OPS_AFTER_BYTES_MAX) break;
      rows.push(row);
      bodyBytes += row.body.length;
    }
    return rows;
  }

  #logAndApply(ops: readonly Op[], epoch: number, digest: StateDigest): LoggedOp[] {
    const logged: LoggedOp[] = [];
    let seq = this.#seq;
    for (const op of ops) {
      if (this.#insertLog.run(seq + 1, epoch, op.id, op.kind, op.t, JSON.stringify(op)).changes === 0) continue;
      seq += 1;
      this.#insertEpochStart.run(epoch, seq);
      this.#applyToViews(op, seq, digest);
      logged.push({ ...op, epoch, seq });
    }
    if (logged.length > 0) {
      this.#setMeta.run(String(seq), 'seq');
      this.#setMeta.run(digest.toHex(), 'digest');
    }
    return logged;
  }

  #truncate(seq: number, digest: StateDigest): void {
    // Open archive blocks are rebuilt from the log at start: seal them before their ops leave it.
    this.#archive.sealAll(seq + 1);
    const dropped = this.#db.prepare<[number], { id: string; kind: string }>('SELECT id, kind FROM log WHERE seq > ?').all(seq);
    for (const op of dropped) if (op.kind !== 'samples') digest.remove(op.id);
    for (const table of ['cel', 'commands', 'log', 'epoch_starts']) this.#db.prepare(`DELETE FROM ${table} WHERE seq > ?`).run(seq);
    this.#setMeta.run(String(seq), 'seq');
    this.#setMeta.run(digest.toHex(), 'digest');
  }

  #logReplicated(ops: readonly LoggedOp[], digest: StateDigest): LoggedOp[] {
    const logged: LoggedOp[] = [];
    let seq = this.#seq;
    for (const op of ops) {
      if (op.seq !== seq + 1) throw new Error(`replicated ops must be consecutive: seq ${op.seq} after ${seq}`);
      const { epoch, seq: _seq, ...body } = op;
      if (this.#insertLog.run(op.seq, epoch, op.id, op.kind, op.t, JSON.stringify(body)).changes === 0) {
        throw new Error(`op ${op.id} is already logged at another position; the logs have diverged`);
      }
      seq = op.seq;
      this.#insertEpochStart.run(epoch, seq);
      this.#applyToViews(body as Op, seq, digest);
      logged.push(op);
    }
    this.#setMeta.run(String(seq), 'seq');
    this.#setMeta.run(digest.toHex(), 'digest');
    return logged;
  }

  #applyToViews(op: Op, seq: number, digest: StateDigest): void {
    switch (op.kind) {
      case 'samples':
        // A samples op is only a carrier: its samples are the facts, whichever batch brought them.
        this.#archive.insert(op.samples, seq, digest);
        this.#upsertProgress.run(op.driver, op.through);
        return;
      case 'alarm':
        this.#upsertAlarm.run(op.status.alarmId, JSON.stringify(op.status));
        break;
      case 'command':
        this.#insertCommand.run(op.requestId, seq);
        break;
      case 'recipe': {
        const stored = this.#selectRecipe.get(op.recipe.recipeId);
        if (isNewerVersion(op.recipe, stored === undefined ? undefined : (JSON.parse(stored) as RecipeVersion))) {
          this.#upsertRecipe.run(op.recipe.recipeId, JSON.stringify(op.recipe));
        }
        break;
      }
      case 'user': {
        const stored = this.#selectUser.get(op.user.name);
        if (isNewerUser(op.user, stored === undefined ? undefined : (JSON.parse(stored) as UserRecord))) {
          this.#upsertUser.run(op.user.name, JSON.stringify(op.user));
        }
        break;
      }
    }
    const cel = celFactOf(op);
    if (cel) this.#cel.insert(cel, seq);
    digest.add(op.id);
  }
}
