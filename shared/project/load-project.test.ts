import { describe, expect, it } from 'vitest';
import demo from '../../projects/demo.json' with { type: 'json' };
import { parseProject, type Project } from './load-project.js';

/** A small valid project as a user would write it (defaults left out). */
function base(): Record<string, unknown> & { drivers: Record<string, unknown>[]; tags: Record<string, unknown>[] } {
  return {
    format: 'tandem-project/1',
    id: 'plant-1',
    name: 'Plant 1',
    drivers: [{ id: 'Sim', type: 'simulator' }],
    tags: [
      { id: 'Tank.Level', driver: 'Sim', address: 'triangle?periodMs=60000', unit: '%', writable: true },
      { id: 'Pump.Running', type: 'boolean', driver: 'Sim', address: 'square?duty=0.8' },
    ],
    alarms: [{ id: 'Tank.Level.H', tag: 'Tank.Level', condition: { type: 'H', limit: 90 }, text: 'Tank level high' }],
    recipes: [{ id: 'Fill', name: 'Fill to 80 %', values: { 'Tank.Level': 80 } }],
  };
}

function project(raw: unknown): Project {
  const result = parseProject(raw);
  if (!result.ok) throw new Error(`project did not validate:\n${result.errors.join('\n')}`);
  return result.project;
}

function errorsOf(raw: unknown): string[] {
  const result = parseProject(raw);
  if (result.ok) throw new Error('the project validated but should not have');
  return result.errors;
}

describe('parseProject: a valid project', () => {
  it('validates and fills in the documented defaults', () => {
    const p = project(base());
    expect(p.drivers[0]).toEqual({ id: 'Sim', type: 'simulator', description: '', settings: { periodMs: 100, bulkTags: 0, bulkAlarms: false } });
    expect(p.tags[0]).toMatchObject({ type: 'number', description: '', archive: { enabled: true, deadband: 0 } });
    expect(p.alarms[0]).toMatchObject({ priority: 'medium', class: 'process', onDelayMs: 0, offDelayMs: 0, condition: { deadband: 0 } });
  });

  it('fills in the documented defaults of an OPC UA driver', () => {
    const raw = { ...base(), drivers: [...base().drivers, { id: 'Ua', type: 'opcua', settings: { endpointUrl: 'opc.tcp://10.0.0.6:4840' } }] };
    expect(project(raw).drivers[1]).toEqual({
      id: 'Ua',
      type: 'opcua',
      description: '',
      settings: {
        endpointUrl: 'opc.tcp://10.0.0.6:4840',
        securityMode: 'none',
        acceptUnknownServerCertificate: false,
        samplingIntervalMs: 1_000,
        publishingIntervalMs: 500,
        timeoutMs: 5_000,
        sessionTimeoutMs: 60_000,
        reconnectFirstMs: 500,
        reconnectMaxMs: 30_000,
      },
    });
  });

  it('fills in the documented defaults of a Modbus driver', () => {
    const raw = { ...base(), drivers: [...base().drivers, { id: 'Plc', type: 'modbus', settings: { host: '10.0.0.5' } }] };
    expect(project(raw).drivers[1]).toEqual({
      id: 'Plc',
      type: 'modbus',
      description: '',
      settings: {
        host: '10.0.0.5',
        port: 502,
        unitId: 1,
        timeoutMs: 1_000,
        reconnectFirstMs: 500,
        reconnectMaxMs: 30_000,
        byteOrder: 'big',
        wordOrder: 'big',
        pollGroups: [{ id: 'default', periodMs: 1_000 }],
      },
    });
  });

  it('accepts a project without alarms or recipes', () => {
    const raw = base();
    delete raw.alarms;
    delete raw.recipes;
    expect(project(raw)).toMatchObject({ alarms: [], recipes: [] });
  });

  it('projects/demo.json validates', () => {
    const p = project(demo);
    expect(p.id).toBe('demo');
    expect(p.alarms.length).toBeGreaterThan(0);
  });
});

type Raw = ReturnType<typeof base>;

/** Adds a Modbus driver `Plc` with these settings and a third tag `Plc.Value` at this address. */
function withModbus(raw: Raw, settings: Record<string, unknown>, address: string): Raw {
  return {
    ...raw,
    drivers: [...raw.drivers, { id: 'Plc', type: 'modbus', settings: { host: '10.0.0.5', ...settings } }],
    tags: [...raw.tags, { id: 'Plc.Value', driver: 'Plc', address }],
  };
}

/** Adds an OPC UA driver `Ua` with these settings and a third tag `Ua.Value` at this address. */
function withOpcua(raw: Raw, settings: Record<string, unknown>, address: string): Raw {
  return {
    ...raw,
    drivers: [...raw.drivers, { id: 'Ua', type: 'opcua', settings: { endpointUrl: 'opc.tcp://10.0.0.6:4840', ...settings } }],
    tags: [...raw.tags, { id: 'Ua.Value', driver: 'Ua', address }],
  };
}

describe('parseProject: each error names where it is and what is wrong', () => {
  it.each<{ name: string; change: (raw: Raw) => unknown; error: string }>([
    { name: 'not an object', change: () => 'tags: []', error: '(document): Invalid input: expected object' },
    { name: 'wrong format', change: (raw) => ({ ...raw, format: 'tandem-project/2' }), error: 'format: Invalid input: expected "tandem-project/1"' },
    { name: 'missing format', change: (raw) => ({ ...raw, format: undefined }), error: 'format: ' },
    { name: 'missing name', change: (raw) => ({ ...raw, name: undefined }), error: 'name: is missing (expected string)' },
    { name: 'missing tags', change: (raw) => ({ ...raw, tags: undefined }), error: 'tags: is missing (expected array)' },
    { name: 'no drivers', change: (raw) => ({ ...raw, drivers: [] }), error: 'drivers: ' },
    { name: 'project id with capitals', change: (raw) => ({ ...raw, id: 'Plant 1' }), error: 'id: use lower-case letters, digits and "-"' },
    { name: 'unknown top-level key', change: (raw) => ({ ...raw, colour: 'blue' }), error: '(document): Unrecognized key: "colour"' },
    { name: 'unknown tag key', change: (raw) => withTag(raw, 1, { adress: 'x' }), error: 'tags[1]: Unrecognized key: "adress"' },
    { name: 'tag missing address', change: (raw) => withTag(raw, 0, { address: undefined }), error: 'tags[0].address: is missing (expected string)' },
    { name: 'tag id with a space', change: (raw) => withTag(raw, 0, { id: 'Tank Level' }), error: 'tags[0].id: use letters, digits, ".", "_" and "-" only' },
    { name: 'wrong tag type', change: (raw) => withTag(raw, 0, { type: 'float' }), error: 'tags[0].type: ' },
    { name: 'deadband as text', change: (raw) => withTag(raw, 0, { archive: { deadband: '0.5' } }), error: 'tags[0].archive.deadband: Invalid input: expected number, received string' },
    { name: 'negative deadband', change: (raw) => withTag(raw, 0, { archive: { deadband: -1 } }), error: 'tags[0].archive.deadband: ' },
    { name: 'flat scaling', change: (raw) => withTag(raw, 0, { scale: { rawLow: 4, rawHigh: 4, euLow: 0, euHigh: 100 } }), error: 'tags[0].scale: rawHigh must differ from rawLow' },
    { name: 'unknown driver type', change: (raw) => ({ ...raw, drivers: [{ id: 'Sim', type: 'profinet' }] }), error: `drivers[0].type: Invalid discriminator value. Expected 'simulator' | 'modbus' | 'opcua', got "profinet"` },
    { name: 'modbus driver without a host', change: (raw) => withModbus(raw, { host: undefined }, 'hr:0'), error: 'drivers[1].settings.host: is missing (expected string)' },
    { name: 'modbus port out of range', change: (raw) => withModbus(raw, { port: 70000 }, 'hr:0'), error: 'drivers[1].settings.port: Too big: expected number to be <=65535, got 70000' },
    { name: 'modbus unknown byte order', change: (raw) => withModbus(raw, { byteOrder: 'network' }, 'hr:0'), error: 'drivers[1].settings.byteOrder: ' },
    { name: 'modbus back-off shorter at the end', change: (raw) => withModbus(raw, { reconnectFirstMs: 5000, reconnectMaxMs: 1000 }, 'hr:0'), error: 'drivers[1].settings.reconnectMaxMs: reconnectMaxMs must be at least reconnectFirstMs' },
    { name: 'modbus unknown area', change: (raw) => withModbus(raw, {}, 'hx:3'), error: 'tags[2].address: unknown Modbus area "hx" in "hx:3"; use hr, ir, co or di' },
    { name: 'modbus offset past 65535', change: (raw) => withModbus(raw, {}, 'hr:70000'), error: 'tags[2].address: register offset "70000" in "hr:70000" must be a whole number from 0 to 65535' },
    { name: 'modbus unknown register type', change: (raw) => withModbus(raw, {}, 'hr:3:float64'), error: 'tags[2].address: unknown register type "float64" in "hr:3:float64"; use int16, uint16, int32, uint32, float32' },
    { name: 'modbus type on a coil', change: (raw) => withModbus(raw, {}, 'co:3:int16'), error: 'tags[2].address: co holds single bits; drop the type "int16" from "co:3:int16"' },
    { name: 'modbus 32-bit value past the last register', change: (raw) => withModbus(raw, {}, 'hr:65535:float32'), error: 'tags[2].address: a float32 at 65535 in "hr:65535:float32" runs past register 65535' },
    { name: 'modbus undeclared poll group', change: (raw) => withModbus(raw, {}, 'hr:3?group=fast'), error: `tags[2].address: poll group "fast" in "hr:3?group=fast" is not declared in the driver's pollGroups` },
    { name: 'modbus unknown parameter', change: (raw) => withModbus(raw, {}, 'hr:3?order=CDAB'), error: 'tags[2].address: unknown parameter "order" in "hr:3?order=CDAB"; use group, byteOrder, wordOrder' },
    { name: 'modbus word order misspelt', change: (raw) => withModbus(raw, {}, 'hr:3:int32?wordOrder=swapped'), error: 'tags[2].address: byteOrder and wordOrder in "hr:3:int32?wordOrder=swapped" must be "big" or "little"' },
    { name: 'opcua endpoint without opc.tcp', change: (raw) => withOpcua(raw, { endpointUrl: 'http://10.0.0.6:4840' }, 'i=2258'), error: 'drivers[1].settings.endpointUrl: use "opc.tcp://host:port[/path]"' },
    { name: 'opcua policy without security', change: (raw) => withOpcua(raw, { securityPolicy: 'Basic256Sha256' }, 'i=2258'), error: 'drivers[1].settings.securityPolicy: securityPolicy applies only with securityMode "sign" or "signAndEncrypt"' },
    { name: 'opcua password without user', change: (raw) => withOpcua(raw, { password: 'secret' }, 'i=2258'), error: 'drivers[1].settings.password: a password needs a userName' },
    { name: 'opcua node id without identifier type', change: (raw) => withOpcua(raw, {}, 'ns=1;Boiler.Temperature'), error: 'tags[2].address: node id "Boiler.Temperature" in "ns=1;Boiler.Temperature" must start with i=, s=, g= or b=' },
    { name: 'opcua sampling not a number', change: (raw) => withOpcua(raw, {}, 'ns=1;s=Boiler?samplingMs=fast'), error: 'tags[2].address: samplingMs "fast" in "ns=1;s=Boiler?samplingMs=fast" must be a whole number of milliseconds from 0 to 3600000' },
    { name: 'unknown driver setting', change: (raw) => ({ ...raw, drivers: [{ id: 'Sim', type: 'simulator', settings: { period: 5 } }] }), error: 'drivers[0].settings: Unrecognized key: "period"' },
    { name: 'duplicate driver id', change: (raw) => ({ ...raw, drivers: [...raw.drivers, { id: 'Sim', type: 'simulator' }] }), error: 'drivers[1].id: driver "Sim" is declared twice' },
    { name: 'duplicate tag id', change: (raw) => ({ ...raw, tags: [...raw.tags, { id: 'Tank.Level', driver: 'Sim', address: 'counter' }] }), error: 'tags[2].id: tag "Tank.Level" is declared twice' },
    { name: 'tag naming an undeclared driver', change: (raw) => withTag(raw, 1, { driver: 'Plc1' }), error: 'tags[1].driver: driver "Plc1" is not declared in drivers' },
    { name: 'bad simulator address', change: (raw) => withTag(raw, 0, { address: 'sine?period=5' }), error: 'tags[0].address: signal "sine" has no parameter "period"' },
    { name: 'unknown simulator signal', change: (raw) => withTag(raw, 0, { address: 'ramp' }), error: 'tags[0].address: unknown simulator signal "ramp"' },
    { name: 'alarm on an undeclared tag', change: (raw) => withAlarm(raw, { tag: 'Tank.Levle' }), error: 'alarms[0].tag: tag "Tank.Levle" is not declared in tags' },
    { name: 'alarm missing text', change: (raw) => withAlarm(raw, { text: undefined }), error: 'alarms[0].text: ' },
    { name: 'unknown alarm condition type', change: (raw) => withAlarm(raw, { condition: { type: 'HHH', limit: 1 } }), error: 'alarms[0].condition.type: ' },
    { name: 'limit alarm without a limit', change: (raw) => withAlarm(raw, { condition: { type: 'H' } }), error: 'alarms[0].condition.limit: is missing (expected number)' },
    { name: 'binary alarm on a number tag', change: (raw) => withAlarm(raw, { condition: { type: 'binary' } }), error: 'alarms[0].condition: a binary alarm needs a boolean tag, "Tank.Level" is a number' },
    { name: 'limit alarm on a boolean tag', change: (raw) => withAlarm(raw, { tag: 'Pump.Running' }), error: 'alarms[0].condition: a H limit needs a number tag, "Pump.Running" is boolean' },
    { name: 'binary alarm active when 2', change: (raw) => withAlarm(raw, { tag: 'Pump.Running', condition: { type: 'binary', activeWhen: 2 } }), error: 'alarms[0].condition.activeWhen: ' },
    { name: 'fractional on-delay', change: (raw) => withAlarm(raw, { onDelayMs: 1.5 }), error: 'alarms[0].onDelayMs: ' },
    { name: 'alarm suppressed by an undeclared tag', change: (raw) => withAlarm(raw, { suppressedBy: { tag: 'Pump.Runing', equals: 0 } }), error: 'alarms[0].suppressedBy.tag: tag "Pump.Runing" is not declared in tags' },
    { name: 'duplicate alarm id', change: (raw) => ({ ...raw, alarms: [...(raw.alarms as object[]), { id: 'Tank.Level.H', tag: 'Tank.Level', condition: { type: 'L', limit: 1 }, text: 'x' }] }), error: 'alarms[1].id: alarm "Tank.Level.H" is declared twice' },
    { name: 'recipe naming an unknown tag', change: (raw) => ({ ...raw, recipes: [{ id: 'Fill', name: 'Fill', values: { 'Tank.Lvl': 80 } }] }), error: 'recipes[0].values: tag "Tank.Lvl" is not declared in tags' },
    { name: 'recipe value as text', change: (raw) => ({ ...raw, recipes: [{ id: 'Fill', name: 'Fill', values: { 'Tank.Level': 'full' } }] }), error: 'recipes[0].values.Tank.Level: Invalid input: expected number, received string' },
    { name: 'recipe setting a tag that is not writable', change: (raw) => ({ ...raw, recipes: [{ id: 'Fill', name: 'Fill', values: { 'Pump.Running': 1 } }] }), error: 'recipes[0].values: tag "Pump.Running" is not writable; a recipe sets values, so mark the tag "writable": true' },
    { name: 'write range on a tag that is not writable', change: (raw) => ({ ...raw, tags: [...(raw as { tags: object[] }).tags, { id: 'X', driver: 'Sim', address: 'counter', writeRange: { min: 0, max: 1 } }] }), error: 'tags[2].writeRange: tag "X" is not writable; set "writable": true or drop writeRange' },
    { name: 'write range upside down', change: (raw) => ({ ...raw, tags: [{ id: 'Tank.Level', driver: 'Sim', address: 'counter', writable: true, writeRange: { min: 5, max: 1 } }] }), error: 'tags[0].writeRange: max must be at least min' },
    { name: 'duplicate recipe id', change: (raw) => ({ ...raw, recipes: [{ id: 'Fill', name: 'A', values: {} }, { id: 'Fill', name: 'B', values: {} }] }), error: 'recipes[1].id: recipe "Fill" is declared twice' },
  ])('$name', ({ change, error }) => {
    const errors = errorsOf(change(base()));
    expect(errors.some((e) => e.startsWith(error)), `expected an error starting with\n  ${error}\ngot\n  ${errors.join('\n  ')}`).toBe(true);
  });

  it('reports every broken reference at once, not only the first', () => {
    const raw = withAlarm(withTag(base(), 1, { driver: 'Plc1' }), { tag: 'Nope' });
    expect(errorsOf(raw)).toEqual([
      'tags[1].driver: driver "Plc1" is not declared in drivers',
      'alarms[0].tag: tag "Nope" is not declared in tags',
    ]);
  });

  it('shows at most 20 errors for a badly broken file', () => {
    const raw = { ...base(), tags: Array.from({ length: 50 }, (_, i) => ({ id: `T${i}`, driver: 'Nope', address: 'counter' })) };
    expect(errorsOf(raw)).toHaveLength(20);
  });
});

describe('parseProject: bulk tags', () => {
  const bulk = (settings: object): Raw => ({ ...base(), drivers: [{ id: 'Load', type: 'simulator', settings }, { id: 'Sim', type: 'simulator' }] });

  it('adds the generated tags after the declared ones, numbered with 5 digits', () => {
    const p = project(bulk({ bulkTags: 12 }));
    const ids = p.tags.map((tag) => tag.id);
    expect(ids.slice(0, 2)).toEqual(['Tank.Level', 'Pump.Running']);
    expect(ids.slice(2)).toEqual(Array.from({ length: 12 }, (_, i) => `Load.Bulk.${String(i + 1).padStart(5, '0')}`));
    expect(p.tags[13]).toMatchObject({ id: 'Load.Bulk.00012', driver: 'Load', type: 'number', archive: { enabled: true } });
    expect(p.alarms.map((a) => a.id)).toEqual(['Tank.Level.H']);
  });

  it('gives each generated tag its own signal and, when asked, a high alarm', () => {
    const p = project(bulk({ bulkTags: 3, bulkAlarms: true }));
    const generated = p.tags.slice(2);
    expect(new Set(generated.map((tag) => tag.address)).size).toBe(3);
    expect(p.alarms.slice(1).map((a) => [a.id, a.tag, a.condition.type])).toEqual([
      ['Load.Bulk.00001.H', 'Load.Bulk.00001', 'H'],
      ['Load.Bulk.00002.H', 'Load.Bulk.00002', 'H'],
      ['Load.Bulk.00003.H', 'Load.Bulk.00003', 'H'],
    ]);
  });

  it('widens the number when 5 digits are not enough', () => {
    const p = project(bulk({ bulkTags: 100_000 }));
    expect(p.tags.at(-1)?.id).toBe('Load.Bulk.100000');
    expect(p.tags[2]?.id).toBe('Load.Bulk.000001');
  });

  it('refuses a declared tag that collides with a generated one, naming the declared tag', () => {
    const raw = bulk({ bulkTags: 2 });
    raw.tags.push({ id: 'Load.Bulk.00002', driver: 'Sim', address: 'counter' });
    expect(errorsOf(raw)).toEqual(['tags[2].id: tag "Load.Bulk.00002" is also generated by the bulk tags of driver "Load"']);
  });

  it('refuses more bulk tags than the limit', () => {
    expect(errorsOf(bulk({ bulkTags: 100_001 }))[0]).toMatch(/^drivers\[0\]\.settings\.bulkTags: /);
  });
});

function withTag(raw: Raw, index: number, fields: Record<string, unknown>): Raw {
  raw.tags[index] = { ...raw.tags[index], ...fields };
  return raw;
}

function withAlarm(raw: Raw, fields: Record<string, unknown>): Raw {
  const alarms = raw.alarms as Record<string, unknown>[];
  alarms[0] = { ...alarms[0], ...fields };
  return raw;
}
