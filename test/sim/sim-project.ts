import { parseProject, type Project } from '../../shared/project/load-project.js';
import { parseSimAddress, simValue, type SimSignal } from '../../shared/domain/sim-signals.js';
import type { Sample } from '../../shared/protocol/entities.js';

/** The simulated plant: the counter whose archive must have every slot, and an alarm that comes and goes. */
export function simProject(): Project {
  const result = parseProject({
    format: 'tandem-project/1',
    id: 'sim',
    name: 'Simulated pair',
    drivers: [{ id: 'Sim', type: 'simulator' }],
    tags: [
      { id: 'Sim.Counter', driver: 'Sim', address: 'counter' },
      { id: 'Sim.Blink', type: 'boolean', driver: 'Sim', address: 'square?periodMs=3000&duty=0.5' },
      { id: 'Sim.Setpoint', driver: 'Sim', address: 'constant?value=50', writable: true, writeRange: { min: 0, max: 100 } },
    ],
    alarms: [{ id: 'Blink.On', tag: 'Sim.Blink', condition: { type: 'binary' }, text: 'Blinker on', priority: 'low' }],
    recipes: [{ id: 'batch', name: 'Batch', values: { 'Sim.Setpoint': 60 } }],
  });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.project;
}

export function gridSamples(project: Project, t: number): Sample[] {
  return project.tags.map((tag) => ({ tag: tag.id, t, v: simValue(parseSimAddress(tag.address) as SimSignal, t), q: 'good' as const }));
}
