import type { z } from 'zod';
import { parseSimAddress } from '../domain/sim-signals.js';
import { parseModbusAddress } from './modbus-address.js';
import { parseOpcuaAddress } from './opcua-address.js';
import { ProjectFile, type AlarmDef, type DriverDef, type TagDef } from './project-schema.js';

export type Project = ProjectFile;

export type ProjectResult = { ok: true; project: Project } | { ok: false; errors: string[] };

const ERRORS_SHOWN_MAX = 20;

/**
 * Validates a parsed project document: shape, then references between its parts, then expands the
 * generated bulk tags. Every error names where it is (`tags[3].driver`) and what is wrong.
 */
export function parseProject(raw: unknown): ProjectResult {
  const parsed = ProjectFile.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { ok: false, errors: formatIssues(parsed.error.issues) };
  const project = expandBulkTags(parsed.data);
  const errors = checkReferences(project, { tags: parsed.data.tags.length, alarms: parsed.data.alarms.length });
  return errors.length > 0 ? { ok: false, errors: errors.slice(0, ERRORS_SHOWN_MAX) } : { ok: true, project };
}

/** One line per schema problem: where, what, and the value found (parse with `reportInput: true`). */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.slice(0, ERRORS_SHOWN_MAX).map((issue) => `${formatPath(issue.path)}: ${describeIssue(issue)}`);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union' && issue.discriminator !== undefined && isRecord(issue.input)) {
    return `${issue.message}, got ${preview(issue.input[issue.discriminator])}`;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return `is missing (expected ${issue.expected})`;
  if (['invalid_type', 'invalid_value', 'invalid_format', 'too_big', 'too_small'].includes(issue.code)) {
    return issue.input === undefined ? issue.message : `${issue.message}, got ${preview(issue.input)}`;
  }
  return issue.message;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function preview(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(document)';
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

/** How many tags and alarms the file itself declares; the generated bulk ones follow them. */
interface DeclaredCounts {
  tags: number;
  alarms: number;
}

function checkReferences(project: Project, declared: DeclaredCounts): string[] {
  const errors: string[] = [];
  const drivers = new Map(project.drivers.map((d) => [d.id, d]));
  const tags = new Map<string, TagDef>();
  errors.push(...duplicateIds(project.drivers, 'drivers', 'driver', project.drivers.length, () => ''));
  errors.push(...duplicateIds(project.tags, 'tags', 'tag', declared.tags, (tag) => tag.driver));
  project.tags.forEach((tag, i) => {
    tags.set(tag.id, tag);
    const driver = drivers.get(tag.driver);
    if (!driver) {
      errors.push(`tags[${i}].driver: driver "${tag.driver}" is not declared in drivers`);
    } else {
      const problem = addressProblem(tag, driver);
      if (problem) errors.push(`tags[${i}].address: ${problem}`);
    }
    if (tag.writeRange && !tag.writable) errors.push(`tags[${i}].writeRange: tag "${tag.id}" is not writable; set "writable": true or drop writeRange`);
  });
  errors.push(...duplicateIds(project.alarms, 'alarms', 'alarm', declared.alarms, (alarm) => tags.get(alarm.tag)?.driver ?? ''));
  project.alarms.forEach((alarm, i) => errors.push(...checkAlarm(alarm, `alarms[${i}]`, tags)));
  errors.push(...duplicateIds(project.recipes, 'recipes', 'recipe', project.recipes.length, () => ''));
  project.recipes.forEach((recipe, i) => {
    for (const tagId of Object.keys(recipe.values)) {
      const tag = tags.get(tagId);
      if (!tag) errors.push(`recipes[${i}].values: tag "${tagId}" is not declared in tags`);
      else if (!tag.writable) errors.push(`recipes[${i}].values: tag "${tagId}" is not writable; a recipe sets values, so mark the tag "writable": true`);
    }
  });
  return errors;
}

/** The address of a tag, read the way its driver reads it: the sentence naming what is wrong, or null. */
function addressProblem(tag: TagDef, driver: DriverDef): string | null {
  switch (driver.type) {
    case 'simulator': {
      const signal = parseSimAddress(tag.address);
      return typeof signal === 'string' ? signal : null;
    }
    case 'modbus': {
      const address = parseModbusAddress(tag.address, driver.settings);
      return typeof address === 'string' ? address : null;
    }
    case 'opcua': {
      const address = parseOpcuaAddress(tag.address);
      return typeof address === 'string' ? address : null;
    }
  }
}

function checkAlarm(alarm: AlarmDef, where: string, tags: Map<string, TagDef>): string[] {
  const errors: string[] = [];
  const tag = tags.get(alarm.tag);
  if (!tag) errors.push(`${where}.tag: tag "${alarm.tag}" is not declared in tags`);
  if (tag && alarm.condition.type === 'binary' && tag.type !== 'boolean') {
    errors.push(`${where}.condition: a binary alarm needs a boolean tag, "${tag.id}" is a ${tag.type}`);
  }
  if (tag && alarm.condition.type !== 'binary' && tag.type !== 'number') {
    errors.push(`${where}.condition: a ${alarm.condition.type} limit needs a number tag, "${tag.id}" is boolean`);
  }
  if (alarm.suppressedBy && !tags.has(alarm.suppressedBy.tag)) {
    errors.push(`${where}.suppressedBy.tag: tag "${alarm.suppressedBy.tag}" is not declared in tags`);
  }
  return errors;
}

/**
 * An id used twice is reported where it is used the second time. Generated bulk items follow the
 * declared ones and are not in the file, so a collision with one is reported at the declared item.
 */
function duplicateIds<T extends { id: string }>(
  items: readonly T[],
  where: string,
  noun: string,
  declaredCount: number,
  generatingDriver: (item: T) => string,
): string[] {
  const firstIndex = new Map<string, number>();
  const errors: string[] = [];
  items.forEach((item, i) => {
    const first = firstIndex.get(item.id);
    if (first === undefined) firstIndex.set(item.id, i);
    else if (i < declaredCount) errors.push(`${where}[${i}].id: ${noun} "${item.id}" is declared twice`);
    else errors.push(`${where}[${first}].id: ${noun} "${item.id}" is also generated by the bulk tags of driver "${generatingDriver(item)}"`);
  });
  return errors;
}

/** Adds the generated load-test tags (and their alarms) a simulator driver asks for. */
function expandBulkTags(project: Project): Project {
  const tags = [...project.tags];
  const alarms = [...project.alarms];
  for (const driver of project.drivers) {
    if (driver.type !== 'simulator') continue;
    const { bulkTags, bulkAlarms } = driver.settings;
    const width = String(bulkTags).length;
    for (let i = 1; i <= bulkTags; i++) {
      const id = `${driver.id}.Bulk.${String(i).padStart(Math.max(5, width), '0')}`;
      tags.push({
        id,
        description: `Generated load tag ${i}`,
        type: 'number',
        unit: '',
        driver: driver.id,
        address: `noise?periodMs=20000&amplitude=50&offset=50&seed=${i}`,
        writable: false,
        archive: { enabled: true, deadband: 0 },
      });
      if (bulkAlarms) {
        alarms.push({
          id: `${id}.H`,
          tag: id,
          condition: { type: 'H', limit: 50, deadband: 1 },
          text: `Load tag ${i} high`,
          priority: 'low',
          class: 'load',
          onDelayMs: 0,
          offDelayMs: 0,
        });
      }
    }
  }
  return { ...project, tags, alarms };
}
