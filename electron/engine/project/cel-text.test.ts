import { describe, expect, it } from 'vitest';
import type { AlarmDef, TagDef } from '../../../shared/project/project-schema.js';
import type { AlarmState } from '../../../shared/protocol/entities.js';
import type { TransitionCause } from '../../../shared/protocol/ops.js';
import { alarmTransitionText } from './cel-text.js';

const ALARM: AlarmDef = {
  id: 'Temperature.H', tag: 'Temp', condition: { type: 'H', limit: 78, deadband: 1 }, text: 'Reactor temperature high',
  priority: 'high', class: 'process', onDelayMs: 0, offDelayMs: 0,
};
const tag = (fields: Partial<TagDef>): TagDef => ({
  id: 'Temp', description: '', type: 'number', unit: '°C', driver: 'Sim', address: 'counter', writable: false, archive: { enabled: true, deadband: 0 }, ...fields,
});
const CELSIUS = tag({});

interface Row {
  name: string;
  from: AlarmState;
  to: AlarmState;
  cause: TransitionCause;
  value?: number | null;
  tag?: TagDef | undefined;
  user?: string | null;
  comment?: string | null;
  shelvedForMs?: number;
  text: string;
}

describe('alarmTransitionText', () => {
  it.each<Row>([
    { name: 'activation with value and unit', from: 'normal', to: 'unackActive', cause: 'process', value: 91.234, text: 'Reactor temperature high: active (91.23 °C)' },
    { name: 'whole numbers without decimals', from: 'normal', to: 'unackActive', cause: 'process', value: 91, text: 'Reactor temperature high: active (91 °C)' },
    { name: 'return before acknowledgement', from: 'unackActive', to: 'unackRtn', cause: 'process', value: 70, text: 'Reactor temperature high: returned to normal, not acknowledged (70 °C)' },
    { name: 'return after acknowledgement', from: 'ackActive', to: 'normal', cause: 'process', value: 70, text: 'Reactor temperature high: returned to normal (70 °C)' },
    { name: 'a tag without unit', from: 'normal', to: 'unackActive', cause: 'process', value: 3.5, tag: tag({ unit: '' }), text: 'Reactor temperature high: active (3.50)' },
    { name: 'a boolean tag reads on', from: 'normal', to: 'unackActive', cause: 'process', value: 1, tag: tag({ type: 'boolean', unit: '' }), text: 'Reactor temperature high: active (on)' },
    { name: 'a boolean tag reads off', from: 'unackActive', to: 'unackRtn', cause: 'process', value: 0, tag: tag({ type: 'boolean', unit: '' }), text: 'Reactor temperature high: returned to normal, not acknowledged (off)' },
    { name: 'no value yet', from: 'normal', to: 'unackActive', cause: 'process', value: null, text: 'Reactor temperature high: active' },
    { name: 'acknowledgement with comment', from: 'unackActive', to: 'ackActive', cause: 'operator', user: 'ann', comment: 'checking valve', text: 'Reactor temperature high: acknowledged by ann — "checking valve"' },
    { name: 'acknowledgement after return, no comment', from: 'unackRtn', to: 'normal', cause: 'operator', user: 'ann', text: 'Reactor temperature high: acknowledged by ann' },
    { name: 'shelving for minutes', from: 'unackActive', to: 'shelved', cause: 'operator', user: 'bob', comment: 'sensor fault', shelvedForMs: 15 * 60_000, text: 'Reactor temperature high: shelved by bob for 15 min — "sensor fault"' },
    { name: 'shelving for whole hours', from: 'unackActive', to: 'shelved', cause: 'operator', user: 'bob', shelvedForMs: 2 * 3_600_000, text: 'Reactor temperature high: shelved by bob for 2 h' },
    { name: 'shelving for hours and minutes', from: 'normal', to: 'shelved', cause: 'operator', user: 'bob', shelvedForMs: 90 * 60_000, text: 'Reactor temperature high: shelved by bob for 1 h 30 min' },
    { name: 'shelving for seconds', from: 'normal', to: 'shelved', cause: 'operator', user: 'bob', shelvedForMs: 30_000, text: 'Reactor temperature high: shelved by bob for 30 s' },
    { name: 'unshelving by an operator', from: 'shelved', to: 'unackActive', cause: 'operator', user: 'bob', text: 'Reactor temperature high: unshelved by bob, now active' },
    { name: 'shelving running out', from: 'shelved', to: 'normal', cause: 'shelveExpiry', text: 'Reactor temperature high: shelving expired, now returned to normal' },
    { name: 'suppression by design', from: 'unackActive', to: 'suppressed', cause: 'design', value: 91, text: 'Reactor temperature high: suppressed by design (91 °C)' },
    { name: 'suppression ending with the condition active', from: 'suppressed', to: 'unackActive', cause: 'design', value: 91, text: 'Reactor temperature high: suppression ended, now active (91 °C)' },
    { name: 'suppression ending with the condition gone', from: 'suppressed', to: 'normal', cause: 'design', value: 60, text: 'Reactor temperature high: suppression ended, now returned to normal (60 °C)' },
  ])('$name', ({ from, to, cause, value = null, tag = CELSIUS, user = null, comment = null, shelvedForMs, text }) => {
    const t = 1_700_000_000_000;
    const shelvedUntil = shelvedForMs === undefined ? null : t + shelvedForMs;
    expect(alarmTransitionText({ def: ALARM, tag, from, to, cause, value, user, comment, shelvedUntil, t })).toBe(text);
  });
});
