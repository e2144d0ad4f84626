import type { Project } from '../../../shared/project/load-project.js';
import type { Clock } from '../clock.js';
import type { Driver } from './driver.js';
import { ModbusDriver } from './modbus/modbus-driver.js';
import { OpcuaDriver } from './opcua/opcua-driver.js';
import { SimulatorDriver } from './simulator-driver.js';

export function createDrivers(project: Project, clock: Clock): Driver[] {
  return project.drivers.map((def) => {
    const tags = project.tags.filter((tag) => tag.driver === def.id);
    switch (def.type) {
      case 'simulator':
        return new SimulatorDriver(def, tags, clock);
      case 'modbus':
        return new ModbusDriver(def, tags, clock);
      case 'opcua':
        return new OpcuaDriver(def, tags, clock);
    }
  });
}
