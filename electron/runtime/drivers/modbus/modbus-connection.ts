import { Socket } from 'node:net';
import { ModbusTCPClient, UserRequestError } from 'jsmodbus';
import type { ModbusArea } from '../../../../shared/project/modbus-address.js';
import type { WriteRequest } from './write-value.js';

/**
 * `exception`: the server answered but refused this read (wrong register, wrong function); the
 * connection is fine. `comm`: no usable answer (timeout, connection lost); the connection is dropped.
 */
export type ReadResult = { ok: true; values: number[] } | RequestFailure;
export type WriteResult = { ok: true } | RequestFailure;
export type RequestFailure = { ok: false; kind: 'exception' | 'comm'; error: string };

export interface ModbusEndpoint {
  host: string;
  port: number;
  unitId: number;
  timeoutMs: number;
}

/** One TCP connection to a Modbus server, through jsmodbus. Every failure comes back as a value, never thrown. */
export class ModbusConnection {
  private readonly socket = new Socket();
  private readonly client: ModbusTCPClient;
  private closed = false;

  constructor(private readonly endpoint: ModbusEndpoint) {
    this.client = new ModbusTCPClient(this.socket, endpoint.unitId, endpoint.timeoutMs);
  }

  /** Resolves null once connected, or the reason it could not connect. */
  connect(): Promise<string | null> {
    const { host, port, timeoutMs } = this.endpoint;
    return new Promise((resolve) => {
      const fail = (reason: string): void => {
        clearTimeout(timer);
        this.close();
        resolve(`cannot connect to ${host}:${port}: ${reason}`);
      };
      const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
      this.socket.once('error', (error) => fail(error.message));
      this.socket.once('connect', () => {
        clearTimeout(timer);
        this.socket.removeAllListeners('error');
        this.socket.on('error', () => this.close());
        resolve(null);
      });
      this.socket.connect({ host, port });
    });
  }

  /** Called once when the connection ends for any reason after it was established. */
  onClose(listener: () => void): void {
    this.socket.once('close', listener);
  }

  async read(area: ModbusArea, offset: number, count: number): Promise<ReadResult> {
    if (this.closed) return { ok: false, kind: 'comm', error: 'connection closed' };
    try {
      return { ok: true, values: await this.request(area, offset, count) };
    } catch (error) {
      return failure(error, 'read', "check the tag's address and type");
    }
  }

  /** Function 6 for one register, 16 for two, 5 for a coil. */
  async write(request: WriteRequest): Promise<WriteResult> {
    if (this.closed) return { ok: false, kind: 'comm', error: 'connection closed' };
    try {
      if (request.area === 'co') await this.client.writeSingleCoil(request.offset, request.bit);
      else if (request.registers.length === 1) await this.client.writeSingleRegister(request.offset, request.registers[0]!);
      else await this.client.writeMultipleRegisters(request.offset, request.registers);
      return { ok: true };
    } catch (error) {
      return failure(error, 'write', "check the tag's address and that the device allows writing it");
    }
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private async request(area: ModbusArea, offset: number, count: number): Promise<number[]> {
    switch (area) {
      case 'hr':
        return Array.from((await this.client.readHoldingRegisters(offset, count)).response.body.valuesAsArray);
      case 'ir':
        return Array.from((await this.client.readInputRegisters(offset, count)).response.body.valuesAsArray);
      case 'co':
        return bits((await this.client.readCoils(offset, count)).response.body.valuesAsArray, count);
      case 'di':
        return bits((await this.client.readDiscreteInputs(offset, count)).response.body.valuesAsArray, count);
    }
  }
}

function failure(error: unknown, what: 'read' | 'write', advice: string): RequestFailure {
  if (error instanceof UserRequestError && error.err === 'ModbusException') {
    const reason = error.message.replace(/^ModbusException: /, '');
    return { ok: false, kind: 'exception', error: `the server refused the ${what}: ${reason}; ${advice}` };
  }
  const message = error instanceof UserRequestError ? `${error.err}: ${error.message}` : String(error);
  return { ok: false, kind: 'comm', error: message };
}

/** Bit responses are padded to whole bytes; keep the bits asked for, as 0 / 1. */
function bits(values: ArrayLike<boolean | number>, count: number): number[] {
  return Array.from(values).slice(0, count).map((bit) => (bit ? 1 : 0));
}
